"""Map Windows and Outlook time zone names to IANA zones.

The table is the Unicode CLDR ``windowsZones.xml`` mapping, as ``icalendar``
ships it (``icalendar.timezone.windows_to_olson``, regenerated from CLDR with
each release): Windows IDs such as "W. Europe Standard Time" map directly.

Outlook and Exchange also write the zone's *display name* as the TZID,
"(UTC-05:00) Eastern Time (US & Canada)", "(GMT+10:00) Canberra, Melbourne,
Sydney", often without a VTIMEZONE. No CLDR table lists display names, so
they are read by rules over the same table, each required to agree with the
offset the name states (the zone's standard offset, from the tz database):

1. a city named in the label that is an IANA zone's city ("Sydney" for
   Australia/Sydney);
2. else the label's region with "Time" read as "Standard Time", a Windows ID
   ("Eastern Time (US & Canada)" is "Eastern Standard Time");
3. else, when the label names nothing found, a fixed offset
   (``Etc/GMT+5`` for "(UTC-05:00)"), which the caller reports as a guess.

Anything else (no offset, an offset over 14 hours) is not a Windows name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

DISPLAY = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2}):?(\d{2}))?\s*\)\s*(.*)$",
                     re.IGNORECASE)
# Two days of the year whose offsets show a zone's standard time (the smaller, north or south).
PROBES = (datetime(2025, 1, 15, 12), datetime(2025, 7, 15, 12))


@dataclass(frozen=True, slots=True)
class Resolved:
    """The IANA zone for a Windows name; ``exact`` is False for a fixed-offset guess."""

    zone: str
    exact: bool = True


def resolve(tzid: str) -> Resolved | None:
    """The IANA zone a Windows ID or Outlook display name means, or None."""
    name = tzid.strip().strip('"')
    if name in WINDOWS_TO_OLSON:
        return Resolved(WINDOWS_TO_OLSON[name])
    match = DISPLAY.match(name)
    if match is None:
        return None
    sign, hours, minutes, label = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    if offset > timedelta(hours=14) or offset.seconds % 900:
        return None
    offset = -offset if sign == "-" else offset
    found = _by_city(label, offset) or _by_region(label, offset)
    if found:
        return Resolved(found)
    return Resolved(_fixed(offset), exact=False)


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z]+(?:[ .'-][a-z]+)*", plain.lower().replace("&", "and"))


def _by_city(label: str, offset: timedelta) -> str | None:
    cities = _cities()
    for part in re.split(r"[,;/]", label):
        for zone in cities.get(" ".join(_words(part)), ()):
            if standard_offset(zone) == offset:
                return zone
    return None


def _by_region(label: str, offset: timedelta) -> str | None:
    region = re.sub(r"\([^)]*\)", "", label).strip()
    qualifier = re.search(r"\(([^)]*)\)", label)
    for name in (region.replace(" Time", " Standard Time"), region + " Standard Time"):
        for candidate in (f"{name} ({qualifier.group(1)})" if qualifier else None, name):
            zone = WINDOWS_TO_OLSON.get(candidate) if candidate else None
            if zone and standard_offset(zone) == offset:
                return zone
    return None


def _fixed(offset: timedelta) -> str:
    hours = int(offset.total_seconds() // 3600)
    if offset.seconds % 3600 or not -12 <= hours <= 14:
        return "UTC"  # Etc/ zones exist for whole hours only; the caller reports the guess
    return "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"


def standard_offset(zone: str) -> timedelta:
    """A zone's standard (winter) UTC offset."""
    info = ZoneInfo(zone)
    return min(info.utcoffset(moment) or timedelta() for moment in PROBES)


@cache
def _cities() -> dict[str, tuple[str, ...]]:
    """IANA zones by their city, as words ("buenos aires", "sao paulo")."""
    found: dict[str, list[str]] = {}
    for zone in sorted(available_timezones()):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/")):
            city = " ".join(_words(zone.rsplit("/", 1)[1].replace("_", " ")))
            found.setdefault(city, []).append(zone)
    return {city: tuple(zones) for city, zones in found.items()}
