"""Turn one expanded VEVENT occurrence into an :class:`Event`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from blgcal.domain.places import country_choices, is_zone
from blgcal.domain.types import UTC, Event, Kind, Status

STATUSES = {"TENTATIVE": Status.TENTATIVE, "CONFIRMED": Status.CONFIRMED,
            "CANCELLED": Status.CANCELLED}
ONLINE = re.compile(r"\b(online|virtual|zoom|teams|webex|webinar)\b|https?://", re.IGNORECASE)
FLOATING = "floating time (no time zone given): read as UTC, may be wrong"
# Set on events whose TZID could not be resolved: their zone is not known.
UNKNOWN_ZONE = "X-BLGCAL-UNKNOWN-TZID"


def to_event(component: Any, *, body: str, warnings: list[str]) -> Event:
    """Build the event; append anything doubtful to *warnings*.

    :param component: an ``icalendar`` VEVENT as ``recurring-ical-events``
        returns it, with DTSTART and DTEND filled in.
    :raises ValueError: when the times contradict each other.
    """
    start, end = component.decoded("DTSTART"), _end(component)
    location = str(component.get("LOCATION", "")).strip()
    city, country = split_location(location)
    tzid = str(component["DTSTART"].params.get("TZID", ""))
    when = _all_day(start, end) if not isinstance(start, datetime) else \
        _timed(start, end, tzid=tzid, warnings=warnings)
    if UNKNOWN_ZONE in component:
        when["timezone"] = None
    return Event(
        uid=str(component.get("UID", "")), title=_title(component, warnings), bodies=(body,),
        kind=_kind(component), status=_status(component, warnings), **when,
        venue=location or None, city=city, country=country, online=bool(ONLINE.search(location)),
        url=_url(component), description=str(component.get("DESCRIPTION", "")).strip() or None,
        tags=categories(component), sequence=_sequence(component),
        updated_dt=_utc_or_none(component, "LAST-MODIFIED"),
    )


def _end(component: Any) -> date:
    """DTEND, else DTSTART + DURATION, else the RFC 5545 3.6.1 default."""
    start = component.decoded("DTSTART")
    if "DTEND" in component:
        return component.decoded("DTEND")  # type: ignore[no-any-return]
    if "DURATION" in component:
        return start + component.decoded("DURATION")  # type: ignore[no-any-return]
    # A DATE start lasts one day; a DATE-TIME start is an instant.
    return start if isinstance(start, datetime) else start + timedelta(days=1)


def _all_day(start: date, end: date) -> dict[str, Any]:
    if isinstance(end, datetime):
        raise ValueError("DTSTART is a date but DTEND is a date-time (RFC 5545 3.6.1)")
    if end < start:
        raise ValueError(f"DTEND {end} is before DTSTART {start}")
    # DTEND is exclusive; some producers repeat DTSTART for a one-day event.
    return {"start_date": start, "end_date": max(start, end - timedelta(days=1))}


def _timed(start: datetime, end: date, *, tzid: str, warnings: list[str]) -> dict[str, Any]:
    if not isinstance(end, datetime):
        raise ValueError("DTSTART is a date-time but DTEND is a date (RFC 5545 3.6.1)")
    if start.tzinfo is None or end.tzinfo is None:
        warnings.append(FLOATING)
    start_dt, end_dt = as_utc(start), as_utc(end)
    if end_dt < start_dt:
        raise ValueError(f"DTEND {end_dt:%Y-%m-%d %H:%M}Z is before DTSTART {start_dt:%Y-%m-%d %H:%M}Z")
    return {"start_dt": start_dt, "end_dt": end_dt, "timezone": zone_name(start, tzid)}


def as_utc(value: datetime) -> datetime:
    """An aware UTC instant; naive values were flagged already and read as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def zone_name(value: datetime, tzid: str = "") -> str | None:
    """The IANA name of *value*'s zone, or None for UTC and zones nobody names.

    Outlook's VTIMEZONEs carry Windows names ("W. Europe Standard Time"); the
    instant comes from the VTIMEZONE's own rules, the name from the CLDR
    mapping that ``icalendar`` ships.
    """
    zone = value.tzinfo
    key = getattr(zone, "key", None) if isinstance(zone, ZoneInfo) else None
    name = key or (tzid if is_zone(tzid) else WINDOWS_TO_OLSON.get(tzid))
    return name if name and name not in {"UTC", "Etc/UTC", "Etc/GMT"} else None


def _title(component: Any, warnings: list[str]) -> str:
    title = " ".join(str(component.get("SUMMARY", "")).split())
    if not title:
        warnings.append("no SUMMARY: titled '(untitled)'")
    return title or "(untitled)"


def _status(component: Any, warnings: list[str]) -> Status:
    raw = str(component.get("STATUS", "CONFIRMED")).strip().upper()
    if raw not in STATUSES:
        warnings.append(f"STATUS {raw!r} is not TENTATIVE, CONFIRMED or CANCELLED: read as confirmed")
    return STATUSES.get(raw, Status.CONFIRMED)


def _kind(component: Any) -> Kind:
    """A category naming a kind ("Webinar", "Side event") sets it; else a meeting."""
    for tag in categories(component):
        slug = tag.replace(" ", "_").replace("-", "_")
        if slug in Kind._value2member_map_:
            return Kind(slug)
    return Kind.GOVERNING_BODY


def categories(component: Any) -> tuple[str, ...]:
    """CATEGORIES (RFC 5545 3.8.1.2), possibly repeated, as lower-case tags."""
    raw = component.get("CATEGORIES", [])
    found = raw if isinstance(raw, list) else [raw]
    words = {str(c).strip().lower() for prop in found for c in getattr(prop, "cats", [prop])}
    return tuple(sorted(w for w in words if w))


def split_location(location: str) -> tuple[str | None, str | None]:
    """Guess (city, country) from "Venue, City, Country"; None where unsure."""
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if len(parts) < 2:
        return None, None
    country = _country_codes().get(parts[-1].lower())
    return (parts[-2], country) if country else (None, None)


@cache
def _country_codes() -> dict[str, str]:
    return {name.lower(): code for code, name in country_choices()}


def _url(component: Any) -> str | None:
    url = str(component.get("URL", "")).strip()
    return url if url.startswith(("https://", "http://")) else None


def _sequence(component: Any) -> int:
    try:
        return max(0, int(component.get("SEQUENCE", 0)))
    except (TypeError, ValueError):
        return 0


def _utc_or_none(component: Any, name: str) -> datetime | None:
    value = component.decoded(name) if name in component else None
    return as_utc(value) if isinstance(value, datetime) else None
