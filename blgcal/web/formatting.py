"""How dates, places and labels read on the pages (Jinja filters)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from blgcal.domain.places import country_name
from blgcal.domain.types import Kind, Status


def day_range(first: date | None, last: date | None) -> str:
    """``24 Nov – 5 Dec 2025``, ``24–29 Nov 2025``, ``21 Feb 2025``."""
    if first is None or last is None:
        return "Dates to be announced"
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def local_time(moment: datetime | None, zone: str | None) -> str:
    """``Mon 24 Nov 2025, 14:00 CET`` at *zone* (UTC when unknown)."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone) if zone else ZoneInfo("UTC"))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


def expected_window(window: str | None) -> str:
    """``2027-11`` -> ``expected November 2027``; ``2026-03/2026-04`` -> a range."""
    if not window:
        return "dates to be announced"
    parts = [_month_or_year(part) for part in window.split(" ")[0].split("/")]
    return "expected " + " – ".join(parts)


def _month_or_year(text: str) -> str:
    if len(text) == 7:
        return f"{date(int(text[:4]), int(text[5:7]), 1):%B %Y}"
    return text


def place(city: str | None, country: str | None, online: bool = False) -> str:
    parts = [part for part in (city, country_name(country)) if part]
    text = ", ".join(parts)
    if online:
        return f"{text} and online" if text else "Online"
    return text or "Venue to be announced"


def kind_label(value: str) -> str:
    return Kind(value).label


def status_label(value: str) -> str:
    return Status(value).value.capitalize()


def kind_pair(value: str) -> tuple[str, str]:
    """A (value, label) pair for a picker: ``co_location`` -> ``Co location``."""
    return value, value.replace("_", " ").capitalize()


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        day_range=day_range, local_time=local_time, expected_window=expected_window,
        place=place, kind_label=kind_label, status_label=status_label,
        country_name=country_name, kind_pair=kind_pair,
    )
