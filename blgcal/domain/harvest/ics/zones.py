"""Place times whose TZID has no VTIMEZONE: in CLDR's IANA zone, else in UTC with a warning.

A Windows or Outlook zone name ("W. Europe Standard Time", "(UTC-05:00)
Eastern Time (US & Canada)") is read in the IANA zone CLDR maps it to
(:mod:`~blgcal.domain.harvest.windows_zones`). A TZID nobody can resolve is
*not* guessed: the wall times are read as UTC and the event is marked
(:data:`~.convert.UNKNOWN_ZONE`). ``icalendar`` would leave them naive, and
Google's X-WR-TIMEZONE fix would then silently move them into the calendar's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from blgcal.domain.harvest.ics.convert import UNKNOWN_ZONE
from blgcal.domain.harvest.windows_zones import resolve

TIMES = ("DTSTART", "DTEND", "RECURRENCE-ID")
TIME_LISTS = ("EXDATE", "RDATE")


def fix_unknown_zones(event: Any) -> list[str]:
    """Read Windows zone names in their IANA zone; pin other unknown TZIDs to UTC, and say so."""
    unknown: set[str] = set()
    guessed: set[str] = set()

    def place(params: Any, value: datetime) -> datetime:
        tzid = str(params["TZID"])
        found = resolve(tzid)
        if found is None:
            unknown.add(tzid)
            return value.replace(tzinfo=UTC)
        if not found.exact:
            guessed.add(tzid)
        return value.replace(tzinfo=ZoneInfo(found.zone))

    for name in TIMES:
        prop = event.get(name)
        if prop is not None and _unresolved(prop.params, prop.dt):
            moved = place(prop.params, prop.dt)
            event.pop(name)
            event.add(name, moved)
    for name in TIME_LISTS:
        props = event.get(name)
        if props is None:
            continue
        event.pop(name)
        for prop in props if isinstance(props, list) else [props]:
            values = [d.dt for d in prop.dts]
            if any(_unresolved(prop.params, v) for v in values):
                event.add(name, [place(prop.params, v) if isinstance(v, datetime) else v
                                 for v in values])
            else:
                event.add(name, prop)
    if unknown:
        event.add(UNKNOWN_ZONE, ", ".join(sorted(unknown)))
    return [f"time zone {zone!r} unknown: times shown as UTC may be wrong" for zone in sorted(unknown)] + \
        [f"time zone {zone!r} names no place CLDR knows: read as its fixed UTC offset"
         " (no daylight saving)" for zone in sorted(guessed)]


def _unresolved(params: Any, value: object) -> bool:
    return "TZID" in params and isinstance(value, datetime) and value.tzinfo is None
