"""Read our feeds back with three independent parsers.

* ``icalendar`` (tolerant; the library we build with),
* ``ical`` (strict, Home Assistant's; no compat mode),
* Mozilla's ``ical.js`` 2.x (Thunderbird's), under Node, which reads times
  through the feed's own VTIMEZONE blocks rather than the system tz database.

Each returns :class:`ParsedEvent` values normalized the same way (times as
dates or aware UTC datetimes, RRULE parts sorted) so tests can compare them
with ``==``. Each also refuses what a client would get wrong: floating times,
a TZID without a VTIMEZONE, more than one VCALENDAR, a component other than
VEVENT and VTIMEZONE at the top, or a repeated single-valued property.

``ical.js`` runs in one long-lived Node process fed JSON lines, so hundreds
of Hypothesis examples cost one Node start-up. It needs
``npm ci --prefix tests/js``; without it :class:`IcalJsMissing` is raised,
never a silent skip.
"""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import icalendar
from ical.calendar_stream import IcsCalendarStream
from ical.exceptions import CalendarParseError

JS_DIR = Path(__file__).resolve().parents[1] / "js"
INSTALL_COMMAND = "npm ci --prefix tests/js"
# What our VEVENTs may hold; anything else (ATTENDEE, VALARM...) was injected.
EXPECTED_NAMES = frozenset({
    "UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY",
    "LOCATION", "DESCRIPTION", "URL", "CATEGORIES", "STATUS", "CLASS", "TRANSP", "RRULE",
})
# ``ical`` model fields that hold properties or components we never write.
_ICAL_OTHER_FIELDS = {
    "attendees": "ATTENDEE", "organizer": "ORGANIZER", "alarm": "VALARM", "comment": "COMMENT",
    "contacts": "CONTACT", "geo": "GEO", "resources": "RESOURCES", "rdate": "RDATE",
    "exdate": "EXDATE", "attach": "ATTACH", "related_to": "RELATED-TO", "duration": "DURATION",
    "recurrence_id": "RECURRENCE-ID", "priority": "PRIORITY", "created": "CREATED",
    "request_status": "REQUEST-STATUS", "image": "IMAGE", "conference": "CONFERENCE",
    "color": "COLOR",
}


class ParseError(AssertionError):
    """A parser rejected a feed, or accepted it in a way a client would get wrong."""


class IcalJsMissing(RuntimeError):
    """``ical.js`` is not installed for the tests."""


@dataclass(frozen=True)
class ParsedEvent:
    """One VEVENT as a parser understood it."""

    uid: str
    summary: str | None
    description: str | None
    location: str | None
    status: str | None
    sequence: int | None
    all_day: bool
    start: date | datetime
    end: date | datetime | None
    rrule: str | None
    categories: tuple[str, ...]
    url: str | None = None
    classification: str | None = None
    transparency: str | None = None
    dtstamp: datetime | None = None
    unexpected: frozenset[str] = frozenset()


def canonical_rrule(rule: str | None) -> str | None:
    """An RRULE with its parts sorted, so parsers' spellings compare equal."""
    if not rule:
        return None
    return ";".join(sorted(part.upper() for part in rule.split(";")))


def _time(value: object, what: str) -> date | datetime:
    """A DATE as is, a DATE-TIME as aware UTC; naive (floating) is an error."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ParseError(f"{what} is floating (no Z and no known TZID): {value}")
        return value.astimezone(UTC)
    if isinstance(value, date):
        return value
    raise ParseError(f"{what} is not a date or date-time: {value!r}")


# --- icalendar -------------------------------------------------------------

def parse_with_icalendar(data: bytes) -> list[ParsedEvent]:
    """Parse *data* with ``icalendar``, failing on anything it only tolerated."""
    calendars = icalendar.Calendar.from_ical(data, multiple=True)
    if len(calendars) != 1:
        raise ParseError(f"icalendar: {len(calendars)} VCALENDARs")
    calendar = calendars[0]
    declared = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    events = []
    for component in calendar.subcomponents:
        if component.name == "VEVENT":
            events.append(_icalendar_event(component, declared))
        elif component.name != "VTIMEZONE":
            raise ParseError(f"icalendar: unexpected top-level {component.name}")
    return events


def _icalendar_event(vevent: icalendar.cal.Component, declared: set[str]) -> ParsedEvent:
    if vevent.errors:
        raise ParseError(f"icalendar: {vevent.errors}")
    for name, value in vevent.items():
        if isinstance(value, list) and name != "CATEGORIES":
            raise ParseError(f"icalendar: {name} appears more than once")
    for name in ("DTSTART", "DTEND"):
        tzid = vevent[name].params.get("TZID") if name in vevent else None
        if tzid is not None and tzid not in declared:
            raise ParseError(f"icalendar: {name} uses TZID {tzid} without a VTIMEZONE")
    start = vevent.decoded("DTSTART")
    unexpected = {str(n) for n in vevent} - EXPECTED_NAMES
    unexpected |= {str(c.name) for c in vevent.subcomponents}
    return ParsedEvent(
        uid=str(vevent["UID"]),
        summary=_opt_str(vevent.get("SUMMARY")),
        description=_opt_str(vevent.get("DESCRIPTION")),
        location=_opt_str(vevent.get("LOCATION")),
        status=_opt_str(vevent.get("STATUS")),
        sequence=int(vevent.decoded("SEQUENCE")) if "SEQUENCE" in vevent else None,
        all_day=not isinstance(start, datetime),
        start=_time(start, "DTSTART"),
        end=_time(vevent.decoded("DTEND"), "DTEND") if "DTEND" in vevent else None,
        rrule=canonical_rrule(_rrule_text(vevent)),
        categories=_icalendar_categories(vevent.get("CATEGORIES")),
        url=_opt_str(vevent.get("URL")),
        classification=_opt_str(vevent.get("CLASS")),
        transparency=_opt_str(vevent.get("TRANSP")),
        dtstamp=_stamp(vevent.decoded("DTSTAMP")),
        unexpected=frozenset(unexpected),
    )


def _rrule_text(vevent: icalendar.cal.Component) -> str | None:
    if "RRULE" not in vevent:
        return None
    text = vevent["RRULE"].to_ical()
    return text.decode() if isinstance(text, bytes) else str(text)


def _icalendar_categories(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    return tuple(str(c) for v in values for c in v.cats)


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _stamp(value: object) -> datetime:
    moment = _time(value, "DTSTAMP")
    assert isinstance(moment, datetime)
    return moment


# --- ical (strict) ---------------------------------------------------------

def parse_with_ical(data: bytes) -> list[ParsedEvent]:
    """Parse *data* with the strict ``ical`` library, compat mode off."""
    text = data.decode("utf-8")
    if text.count("BEGIN:VCALENDAR") != 1:
        raise ParseError("ical: not exactly one VCALENDAR")
    try:
        calendar = IcsCalendarStream.calendar_from_ics(text)
    except CalendarParseError as error:
        raise ParseError(f"ical rejected the feed: {error}") from error
    if calendar.todos or calendar.journal or calendar.freebusy:
        raise ParseError("ical: unexpected top-level VTODO, VJOURNAL or VFREEBUSY")
    declared = {tz.tz_id for tz in calendar.timezones}
    return [_ical_event(event, declared) for event in calendar.events]


def _ical_event(event: Any, declared: set[str]) -> ParsedEvent:
    for name, value in (("DTSTART", event.dtstart), ("DTEND", event.dtend)):
        tzid = getattr(getattr(value, "tzinfo", None), "key", None)
        if tzid not in (None, "UTC") and tzid not in declared:
            raise ParseError(f"ical: {name} uses TZID {tzid} without a VTIMEZONE")
    unexpected = {name for field, name in _ICAL_OTHER_FIELDS.items() if getattr(event, field)}
    unexpected |= {extra.name.upper() for extra in event.extras}
    return ParsedEvent(
        uid=event.uid,
        summary=event.summary,
        description=event.description,
        location=event.location,
        status=_enum_value(event.status),
        sequence=event.sequence,
        all_day=not isinstance(event.dtstart, datetime),
        start=_time(event.dtstart, "DTSTART"),
        end=_time(event.dtend, "DTEND") if event.dtend is not None else None,
        rrule=canonical_rrule(event.rrule.as_rrule_str()) if event.rrule else None,
        categories=tuple(event.categories),
        url=event.url,
        classification=_enum_value(event.classification),
        transparency=_enum_value(event.transparency),
        dtstamp=_stamp(event.dtstamp),
        unexpected=frozenset(unexpected),
    )


def _enum_value(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


# --- ical.js ---------------------------------------------------------------

class NodeIcalJs:
    """One Node process running ``parse.mjs`` in *js_dir*, started on first use."""

    def __init__(self, js_dir: Path = JS_DIR) -> None:
        self.js_dir = js_dir
        self._process: subprocess.Popen[bytes] | None = None

    def parse(self, feeds: list[bytes]) -> list[dict[str, Any]]:
        process = self._process or self._start()
        assert process.stdin is not None and process.stdout is not None
        line = json.dumps([feed.decode("utf-8") for feed in feeds]) + "\n"
        process.stdin.write(line.encode("ascii"))
        process.stdin.flush()
        answer = process.stdout.readline()
        if not answer:
            raise RuntimeError(f"ical.js parser died: {_read(process.stderr)}")
        results: list[dict[str, Any]] = json.loads(answer)
        return results

    def _start(self) -> subprocess.Popen[bytes]:
        node = shutil.which("node")
        if not (self.js_dir / "node_modules" / "ical.js" / "package.json").is_file() or not node:
            raise IcalJsMissing(
                f"ical.js is not installed in {self.js_dir}; run: {INSTALL_COMMAND}")
        self._process = subprocess.Popen(
            [node, str(self.js_dir / "parse.mjs")], cwd=self.js_dir,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        atexit.register(self.close)
        return self._process

    def close(self) -> None:
        """End the Node process we started: closing stdin ends its input loop."""
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        process.wait(timeout=10)


def _read(stream: IO[bytes] | None) -> str:
    return stream.read().decode("utf-8", "replace") if stream is not None else ""


_NODE = NodeIcalJs()


def parse_with_icaljs(feeds: list[bytes]) -> list[list[ParsedEvent]]:
    """Parse every feed in *feeds* with ``ical.js`` in one round trip to Node."""
    results = []
    for index, result in enumerate(_NODE.parse(feeds)):
        if "error" in result:
            raise ParseError(f"ical.js, feed {index}: {result['error']}")
        if result["others"]:
            raise ParseError(f"ical.js: unexpected top-level {result['others']}")
        results.append([_icaljs_event(event) for event in result["events"]])
    return results


def _icaljs_time(value: str | int | None) -> date | datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    return datetime.fromtimestamp(value, UTC)


def _icaljs_event(raw: dict[str, Any]) -> ParsedEvent:
    start = _icaljs_time(raw["start"])
    assert start is not None, "ical.js: no DTSTART"
    stamp = _icaljs_time(raw["dtstamp"])
    names = set(raw["properties"]) | set(raw["components"])
    return ParsedEvent(
        uid=raw["uid"], summary=raw["summary"], description=raw["description"],
        location=raw["location"], status=raw["status"], sequence=raw["sequence"],
        all_day=not isinstance(start, datetime), start=start, end=_icaljs_time(raw["end"]),
        rrule=canonical_rrule(raw["rrule"]), categories=tuple(raw["categories"]),
        url=raw["url"], classification=raw["classification"],
        transparency=raw["transparency"],
        dtstamp=stamp if isinstance(stamp, datetime) else None,
        unexpected=frozenset(names - EXPECTED_NAMES),
    )


def parse_all(data: bytes) -> dict[str, list[ParsedEvent]]:
    """Parse *data* with all three parsers, keyed by parser name."""
    return {
        "icalendar": parse_with_icalendar(data),
        "ical": parse_with_ical(data),
        "ical.js": parse_with_icaljs([data])[0],
    }
