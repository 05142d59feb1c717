"""How dates, places and labels read on the pages (Jinja filters), and the enums pages compare with."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from blgcal.clock import today
from blgcal.domain.duplicates import DuplicateState
from blgcal.domain.expected import describe_expected, expectation
from blgcal.domain.harvest.sources import OnVanish, RunStatus, SourceKind
from blgcal.domain.jobs import JobState
from blgcal.domain.permissions import Role
from blgcal.domain.places import country_name
from blgcal.domain.slots.request import Mode
from blgcal.domain.types import Event, Kind, Status, Visibility
from blgcal.domain.validation import is_web_url
from blgcal.domain.wording import body_name, finding_kind_label

#: The enums templates compare with (``event.status == Status.CANCELLED``), never their strings.
ENUMS = (Kind, Status, Visibility, Role, SourceKind, OnVanish, RunStatus, DuplicateState, Mode,
         JobState)


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


def expected_label(event: Event) -> str:
    """How an undated event's window reads today: ``expected 2026, no date published yet``."""
    return describe_expected(event.expected, expectation(event.expected, event.status, today()))


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
    """A (value, label) pair for a picker: ``co_location`` -> ``Co-location``."""
    return value, finding_kind_label(value)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update({enum.__name__: enum for enum in ENUMS})
    app.jinja_env.filters.update(
        day_range=day_range, local_time=local_time, expected_label=expected_label,
        place=place, kind_label=kind_label, status_label=status_label,
        country_name=country_name, kind_pair=kind_pair, body_name=body_name,
        finding_kind=finding_kind_label,
    )
    # Only http(s) becomes a link, whatever rows stored before addresses were checked.
    app.jinja_env.tests["web_url"] = is_web_url
