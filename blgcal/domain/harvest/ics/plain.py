"""Read plain VEVENTs straight from the scanned lines, without ``icalendar``.

``icalendar`` builds a component, a parameter map and a typed value for every
property, about 0.2 ms an event; a harvest of 10,000 meetings spent most of
its time there. Most events of a real feed are plain: one occurrence, a
date or a UTC or IANA-zoned time, and text. Those are read here, with
``icalendar``'s own value functions (:func:`unescape_backslash`,
:func:`split_on_unescaped_comma`) so the text comes out exactly as the
library would give it, into the same :class:`~.convert.Occurrence`.

A VEVENT is plain only when nothing in it needs the library's judgement:

- it sits directly in the VCALENDAR, has no subcomponent (VALARM), and its
  UID is non-empty and used by no other VEVENT;
- each property is one this module reads (UID, DTSTAMP, CREATED,
  LAST-MODIFIED, DTSTART, DTEND, SEQUENCE, SUMMARY, LOCATION, DESCRIPTION,
  STATUS, URL, CATEGORIES) or one whose value blgcal never reads and
  ``icalendar`` cannot reject (X- properties, CLASS, TRANSP, COMMENT, ...);
  each appears at most once (CATEGORIES, X- and the ignored ones may repeat);
- parameters are unquoted ``NAME=value`` pairs, only LANGUAGE and X- ones
  on text, VALUE=DATE or an IANA TZID on DTSTART and DTEND;
- DTSTART and DTEND are both dates, or both UTC, or both in the same IANA
  zone, with DTEND not before DTSTART; stamps are UTC date-times;
- it lies more than two days inside or outside the window
  (:func:`~.expand.placement`).

Anything else (RRULE, DURATION, floating or Windows-zoned times, quoted
parameters, a value that does not parse) goes to ``icalendar`` as before,
and so do whole files with line breaks other than CRLF and LF, a nested
VEVENT, several VCALENDARs, or an X-WR-TIMEZONE that is not one IANA zone. Calendar-level
X-WR-TIMEZONE moves UTC times into its zone, as ``x_wr_timezone`` does.

``tests/domain/test_harvest_ics_plain.py`` checks that parsing with and
without this reader gives the same result, error messages included.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from icalendar.parser import Contentline, split_on_unescaped_comma, unescape_backslash

from blgcal.domain.harvest.ics.convert import UNKNOWN_ZONE, Occurrence
from blgcal.domain.harvest.ics.expand import placement, window_span
from blgcal.domain.harvest.ics.scan import EventLines, Scan
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.places import is_zone
from blgcal.domain.types import zone_info

# Digits are ASCII only: icalendar refuses a date in Arabic-Indic digits, which
# Python's int() and a Unicode \d would read.
PARAMETER = re.compile(r"[A-Za-z0-9-]+=[^;:,\"\\^\s]*")
UTC_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", re.ASCII)
LOCAL_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})", re.ASCII)
DATE = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
INTEGER = re.compile(r"-?\d{1,18}", re.ASCII)
TEXT = {"UID": "uid", "SUMMARY": "summary", "LOCATION": "location",
        "DESCRIPTION": "description", "STATUS": "status"}
STAMPS = ("DTSTAMP", "CREATED", "LAST-MODIFIED")
# Values blgcal never reads, of types icalendar accepts whatever they say.
IGNORED = frozenset({"CLASS", "TRANSP", "COMMENT", "CONTACT", "RESOURCES"})
ADDRESSES = frozenset({"ORGANIZER", "ATTENDEE"})  # refused by icalendar if they hold a line break
REPEATABLE = IGNORED | ADDRESSES | {"CATEGORIES"}


class NotPlain(Exception):
    """This VEVENT needs ``icalendar``."""


@dataclass(frozen=True, slots=True)
class Plain:
    """A plain VEVENT: its UID and its occurrence (None when outside the window)."""

    uid: str
    occurrence: Occurrence | None


def read_plain(shape: Scan, window: HarvestWindow) -> dict[int, Plain]:
    """The plain VEVENTs of *shape*, by index in ``shape.events``.

    VEVENTs missing from the result are for ``icalendar``.
    """
    if not shape.simple_breaks or shape.calendars != 1 or any(e.depth != 1 for e in shape.events):
        return {}
    try:
        shift = _calendar_zone(shape)
    except NotPlain:
        return {}
    uses = Counter(unescape_backslash(_value(shape.lines[i][1]))
                   for event in shape.events for i in event.uids)
    span = window_span(window)
    found: dict[int, Plain] = {}
    for index, event in enumerate(shape.events):
        try:
            found[index] = _read_event(shape, event, uses, span, shift)
        except NotPlain:
            continue
    return found


def _calendar_zone(shape: Scan) -> tzinfo | None:
    """The zone of a calendar-level X-WR-TIMEZONE, if there is exactly one, valid.

    No zone name holds a backslash, so escaped or not, a value with one is
    no zone and the file goes to ``icalendar``.
    """
    values = [line for i in shape.top
              if (line := shape.lines[i][1]).partition(":")[0].split(";")[0].upper()
              == "X-WR-TIMEZONE"]
    if not values:
        return None
    name = _value(values[0])
    if len(values) > 1 or not is_zone(name):
        raise NotPlain
    return zone_info(name)


def _value(line: str) -> str:
    """A content line's value, split where ``icalendar`` splits it.

    A line icalendar cannot split keeps the plain split: counted as a UID it
    can only send more events to icalendar, and at calendar level icalendar
    refuses the file anyway.
    """
    head, _, value = line.partition(":")
    if '"' in head or "\\" in head:
        try:
            parts: tuple[str, Any, str] = Contentline(line).raw_parts()  # type: ignore[no-untyped-call]
        except ValueError:
            return value
        return parts[2]
    return value


def _read_event(shape: Scan, event: EventLines, uses: Counter[str], span: tuple[Any, Any],
                shift: tzinfo | None) -> Plain:
    """Read one VEVENT, or raise :class:`NotPlain`."""
    if event.children:
        raise NotPlain
    fields = _properties(shape.lines[event.first + 1:event.last])
    uid = fields.get("uid", "")
    if not uid or uses[uid] != 1:
        raise NotPlain
    start, end, tzid = _times(fields, shift)
    placed = placement(start, end, span)
    if placed is None:
        raise NotPlain
    return Plain(uid, Occurrence(start=start, end=end, tzid=tzid, **fields) if placed else None)


def _properties(lines: list[tuple[int, str]]) -> dict[str, Any]:
    """The VEVENT's properties as :class:`Occurrence` fields, DTSTART and DTEND as (time, TZID)."""
    fields: dict[str, Any] = {"categories": []}
    seen: set[str] = set()
    for _, line in lines:
        name, params, value = _split(line)
        if name in seen and name not in REPEATABLE and not name.startswith("X-"):
            raise NotPlain
        seen.add(name)
        READERS.get(name, _other)(fields, name, params, value)
    fields["categories"] = tuple(fields["categories"])
    return fields


def _times(fields: dict[str, Any], shift: tzinfo | None) -> tuple[date, date, str]:
    """Take DTSTART and DTEND out of *fields*: both dates, or both times in one zone."""
    if "start" not in fields:
        raise NotPlain
    start, tzid = fields.pop("start")
    end, end_tzid = fields.pop("end", (_default_end(start), tzid))
    if type(start) is not type(end) or tzid != end_tzid or end < start:
        raise NotPlain
    if shift is not None and isinstance(start, datetime):
        start, end = _shifted(start, shift), _shifted(end, shift)
    return start, end, tzid


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """Name, parameters and raw value, where no quoting or escaping can mislead."""
    head, colon, value = line.partition(":")
    if not colon or '"' in head or "\\" in head:
        raise NotPlain
    if ";" not in head:
        return head.upper(), {}, value
    name, _, rest = head.partition(";")
    params: dict[str, str] = {}
    for pair in rest.split(";"):
        if not PARAMETER.fullmatch(pair):
            raise NotPlain
        key, _, param = pair.partition("=")
        if key.upper() in params:
            raise NotPlain
        params[key.upper()] = param
    return name.upper(), params, value


def _text(fields: dict[str, Any], name: str, params: dict[str, str], value: str) -> None:
    _text_params(params)
    fields[TEXT[name]] = unescape_backslash(value) if "\\" in value else value


def _text_params(params: dict[str, str]) -> None:
    if params and any(key != "LANGUAGE" and not key.startswith("X-") for key in params):
        raise NotPlain


def _url(fields: dict[str, Any], name: str, params: dict[str, str], value: str) -> None:
    if params:
        raise NotPlain
    fields["url"] = unescape_backslash(value)


def _categories(fields: dict[str, Any], name: str, params: dict[str, str], value: str) -> None:
    _text_params(params)
    fields["categories"].extend(split_on_unescaped_comma(value))


def _sequence(fields: dict[str, Any], name: str, params: dict[str, str], value: str) -> None:
    if params or not INTEGER.fullmatch(value):
        raise NotPlain
    fields["sequence"] = int(value)


def _stamp(fields: dict[str, Any], name: str, params: dict[str, str], value: str) -> None:
    if params:
        raise NotPlain
    stamp = _date_time(UTC_STAMP.fullmatch(value), UTC)
    if name == "LAST-MODIFIED":
        fields["last_modified"] = stamp


def _time(fields: dict[str, Any], name: str, params: dict[str, str], value: str) -> None:
    """A DATE (bare or VALUE=DATE), a UTC DATE-TIME, or a local one with an IANA TZID."""
    tzid = params.get("TZID", "")
    if params == {"VALUE": "DATE"}:
        moment: date = _date(DATE.fullmatch(value))
    elif not params:
        moment = _date(DATE.fullmatch(value)) if len(value) == 8 else \
            _date_time(UTC_STAMP.fullmatch(value), UTC)
    elif params.keys() == {"TZID"} and is_zone(tzid):
        moment = _date_time(LOCAL_STAMP.fullmatch(value), zone_info(tzid))
    else:
        raise NotPlain
    fields["start" if name == "DTSTART" else "end"] = (moment, tzid)


def _other(fields: dict[str, Any], name: str, params: dict[str, str], value: str) -> None:
    """Accept a property blgcal does not read, if ``icalendar`` would accept it too."""
    if "VALUE" in params or "TZID" in params or name == UNKNOWN_ZONE:
        raise NotPlain
    if name.startswith("X-") or name in IGNORED:
        return
    if name in ADDRESSES and "\\" not in value:
        return
    raise NotPlain


Reader = Callable[[dict[str, Any], str, dict[str, str], str], None]
READERS: dict[str, Reader] = {
    **dict.fromkeys(TEXT, _text), **dict.fromkeys(STAMPS, _stamp),
    "DTSTART": _time, "DTEND": _time, "URL": _url, "CATEGORIES": _categories,
    "SEQUENCE": _sequence,
}


def _date(match: re.Match[str] | None) -> date:
    if match is None:
        raise NotPlain
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise NotPlain from None


def _date_time(match: re.Match[str] | None, zone: tzinfo) -> datetime:
    if match is None:
        raise NotPlain
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        raise NotPlain from None


def _default_end(start: date) -> date:
    """RFC 5545 3.6.1: a DATE start lasts the day, a DATE-TIME start is an instant."""
    return start if isinstance(start, datetime) else start + timedelta(days=1)


def _shifted(moment: datetime, zone: tzinfo) -> datetime:
    """Move a UTC time into the calendar's X-WR-TIMEZONE, as ``x_wr_timezone`` does."""
    name = moment.tzname()
    return moment.astimezone(zone) if name is not None and name.upper() == "UTC" else moment
