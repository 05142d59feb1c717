"""Turn one VEVENT occurrence into an :class:`Event`.

Both readers of a VEVENT meet here: ``icalendar`` components (through
``recurring-ical-events``) become an :class:`Occurrence` by
:func:`occurrence_of`; plain events are read into one directly
(:mod:`.plain`). :func:`to_event` only ever sees an ``Occurrence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from blgcal.domain.harvest.kinds import code_in, kind_of
from blgcal.domain.places import country_choices, is_zone
from blgcal.domain.types import Event, Kind, Status

STATUSES = {"TENTATIVE": Status.TENTATIVE, "CONFIRMED": Status.CONFIRMED,
            "CANCELLED": Status.CANCELLED}
ONLINE = re.compile(r"\b(online|virtual|zoom|teams|webex|webinar)\b|https?://", re.IGNORECASE)
FLOATING = "floating time (no time zone given): read as UTC, may be wrong"
# Set on events whose TZID could not be resolved: their zone is not known.
UNKNOWN_ZONE = "X-BLGCAL-UNKNOWN-TZID"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a VEVENT as read: the values :func:`to_event` uses.

    Text is unescaped but otherwise as the source wrote it. ``end`` is DTEND,
    else DTSTART + DURATION, else the RFC 5545 3.6.1 default. ``tzid`` is
    DTSTART's TZID parameter; ``recurrence_id`` the decoded RECURRENCE-ID.
    """

    uid: str
    start: date
    end: date
    tzid: str = ""
    summary: str = ""
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    sequence: int = 0
    last_modified: datetime | None = None
    unknown_zone: bool = False
    recurrence_id: date | None = None

    def start_key(self) -> datetime:
        """The UTC start, a date starting at its UTC midnight (for sorting)."""
        return start_key(self.start)


def start_key(start: date) -> datetime:
    """A start as a UTC instant, a date starting at its UTC midnight (for sorting)."""
    if isinstance(start, datetime):
        return as_utc(start)
    return datetime.combine(start, datetime.min.time(), UTC)


def last_day(end: date) -> date:
    """The UTC day an occurrence ending at *end* (DTEND, exclusive for dates) is over by."""
    return as_utc(end).date() if isinstance(end, datetime) else end


def uid_of(component: Any) -> str:
    """The UID of an ``icalendar`` component, "" when it has none."""
    return str(component.get("UID", ""))


def occurrence_of(component: Any) -> Occurrence:
    """Read an ``icalendar`` VEVENT as ``recurring-ical-events`` returns it."""
    raw = component.get("CATEGORIES", [])
    return Occurrence(
        uid=uid_of(component), start=component.decoded("DTSTART"),
        end=_end(component), tzid=str(component["DTSTART"].params.get("TZID", "")),
        summary=str(component.get("SUMMARY", "")), location=str(component.get("LOCATION", "")),
        description=str(component.get("DESCRIPTION", "")), url=str(component.get("URL", "")),
        status=str(component.get("STATUS", "CONFIRMED")),
        categories=tuple(str(c) for prop in (raw if isinstance(raw, list) else [raw])
                         for c in getattr(prop, "cats", [prop])),
        sequence=_sequence(component), last_modified=_utc_or_none(component, "LAST-MODIFIED"),
        unknown_zone=UNKNOWN_ZONE in component,
        recurrence_id=component.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in component else None)


def to_event(occurrence: Occurrence, *, body: str, warnings: list[str],
             kind: Kind = Kind.GOVERNING_BODY) -> Event:
    """Build the event; append anything doubtful to *warnings*.

    The kind and code come from the kinds rule (:mod:`.kinds`) over the
    categories and the summary; *kind* is for events it cannot place.

    :raises ValueError: when the times contradict each other.
    """
    start, end = occurrence.start, occurrence.end
    location = occurrence.location.strip()
    city, country = split_location(location)
    when = _all_day(start, end) if not isinstance(start, datetime) else \
        _timed(start, end, tzid=occurrence.tzid, warnings=warnings)
    if occurrence.unknown_zone:
        when["timezone"] = None
    return Event(
        uid=occurrence.uid, title=_title(occurrence.summary, warnings), bodies=(body,),
        code=code_in(occurrence.summary), kind=_kind(occurrence, kind),
        status=_status(occurrence.status, warnings), **when,
        venue=location or None, city=city, country=country, online=bool(ONLINE.search(location)),
        url=_url(occurrence.url), description=occurrence.description.strip() or None,
        tags=tags(occurrence), sequence=max(0, occurrence.sequence),
        updated_dt=occurrence.last_modified,
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


def _title(summary: str, warnings: list[str]) -> str:
    title = " ".join(summary.split())
    if not title:
        warnings.append("no SUMMARY: titled '(untitled)'")
    return title or "(untitled)"


def _status(status: str, warnings: list[str]) -> Status:
    raw = status.strip().upper()
    if raw not in STATUSES:
        warnings.append(f"STATUS {raw!r} is not TENTATIVE, CONFIRMED or CANCELLED: read as confirmed")
    return STATUSES.get(raw, Status.CONFIRMED)


def _kind(occurrence: Occurrence, default: Kind) -> Kind:
    """A category naming a kind ("Webinar", "Side event") sets it; else the kinds rule."""
    for tag in tags(occurrence):
        slug = tag.replace(" ", "_").replace("-", "_")
        if slug in Kind._value2member_map_:
            return Kind(slug)
    return kind_of(title=occurrence.summary, default=default)


def tags(occurrence: Occurrence) -> tuple[str, ...]:
    """CATEGORIES (RFC 5545 3.8.1.2), possibly repeated, as sorted lower-case tags."""
    words = {c.strip().lower() for c in occurrence.categories}
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


def _url(url: str) -> str | None:
    return url.strip() or None  # checked, and left out if need be, by .screen


def _sequence(component: Any) -> int:
    try:
        return int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0


def _utc_or_none(component: Any, name: str) -> datetime | None:
    value = component.decoded(name) if name in component else None
    return as_utc(value) if isinstance(value, datetime) else None
