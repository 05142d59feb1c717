"""Turn a read calendar into its occurrences inside a window.

``recurring-ical-events`` expands every series (RRULE, RDATE, EXDATE,
RECURRENCE-ID overrides, DST) but costs about 0.1 ms for each event, even one
that happens once: it builds a rule set, a series and span extensions for
it. Most events of a real feed happen once, so those take a fast path that
does exactly what the library does for them, with the library's own pieces:
its span test (``time_span_contains_event``) and its copy of the component
(``EventAdapter.as_component``, which sets DTSTART, DTEND and RECURRENCE-ID
and drops DURATION). An event takes the fast path only when the library's
answer is plain arithmetic: no RRULE, RDATE, EXDATE, RECURRENCE-ID or
DURATION, no other component with its UID, an integer SEQUENCE if any,
DTSTART and DTEND both dates, or both aware in the same (non-pytz) zone, and
more than two days from either edge of the window. Everything else goes to
the library as before.

The occurrences come back in the library's order (series in the order their
UID first appears), so what the parser builds from them is the same item for
item; ``tests/domain/test_harvest_ics_fast.py`` compares the two paths.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import icalendar
import recurring_ical_events
import x_wr_timezone
from recurring_ical_events.adapters.event import EventAdapter
from recurring_ical_events.util import is_pytz, time_span_contains_event

from blgcal.domain.harvest.records import ParseError, Problem

# Properties that make an event more than one plain occurrence (or whose
# arithmetic the library does its own way: DURATION over a DST change).
SERIES = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "DURATION")


def expand(calendar: Any, window: tuple[date, date], source: str, *,
           fast: bool = True, where: dict[str, str] | None = None) -> list[Any]:
    """The occurrences overlapping ``[window[0], window[1])``, as VEVENT components.

    :param fast: take the fast path for single events (``False`` sends every
        event through ``recurring-ical-events``; the tests compare the two).
    :param where: the line of each UID, to name the series that fails.
    :raises ParseError: if the library cannot expand a series.
    """
    try:
        standard = x_wr_timezone.to_standard(calendar)
        if not fast:
            return _library(standard, window)
        return _expand(standard, window)
    except Exception as exc:  # noqa: BLE001 (third-party expansion: any failure is the file's)
        line = _failing_line(calendar, window, where or {})
        raise ParseError(source, [Problem(line, f"cannot expand recurring events: {exc}"[:300])]) from None


def _failing_line(calendar: Any, window: tuple[date, date], where: dict[str, str]) -> str:
    """The line of the first VEVENT that the library cannot expand alone."""
    others = [c for c in calendar.subcomponents if c.name != "VEVENT"]
    for event in calendar.walk("VEVENT"):
        alone = icalendar.Calendar()
        alone.subcomponents = [*others, event]
        try:
            _library(x_wr_timezone.to_standard(alone), window)
        except Exception:  # noqa: BLE001 (this is the one that fails)
            return where.get(str(event.get("UID", "")), "")
    return ""


def _library(calendar: Any, window: tuple[date, date]) -> list[Any]:
    return list(recurring_ical_events.of(calendar).between(window[0], window[1]))


def _expand(standard: Any, window: tuple[date, date]) -> list[Any]:
    events = standard.walk("VEVENT")
    if any(_nests_events(event) for event in events):
        return _library(standard, window)  # the library walks nested events twice: keep its way
    span = window_span(window)
    uses = Counter(str(event.get("UID", "")) for event in events)
    order: dict[str, list[Any] | None] = {}
    rest: list[Any] = []
    for event in events:
        uid = str(event.get("UID", ""))
        single = _single(event, span) if uses[uid] == 1 else None
        if single is None:
            rest.append(event)
        order.setdefault(uid, single)
    series: dict[str, list[Any]] = defaultdict(list)
    if rest:
        others = icalendar.Calendar()
        others.subcomponents = rest
        for occurrence in _library(others, window):
            series[str(occurrence.get("UID", ""))].append(occurrence)
    return [occurrence for uid, single in order.items()
            for occurrence in (series[uid] if single is None else single)]


def window_span(window: tuple[date, date]) -> tuple[Any, Any]:
    """The window as the library's span test takes it."""
    return (recurring_ical_events.CalendarQuery.to_datetime(window[0]),
            recurring_ical_events.CalendarQuery.to_datetime(window[1]))


def _single(event: Any, span: tuple[Any, Any]) -> list[Any] | None:
    """The event's one occurrence in *span* (or none); None if not a plain single event."""
    if any(name in event for name in SERIES) or "DTSTART" not in event:
        return None
    sequence = event.get("SEQUENCE", -1)
    if not isinstance(sequence, int):
        return None
    start = event["DTSTART"].dt
    end = event["DTEND"].dt if "DTEND" in event else \
        start if isinstance(start, datetime) else start + timedelta(days=1)
    if isinstance(start, datetime):
        if not (isinstance(end, datetime) and start.tzinfo is not None
                and end.tzinfo is start.tzinfo and not is_pytz(start.tzinfo)):
            return None
    elif isinstance(end, datetime) or not isinstance(start, date):
        return None
    if end < start:
        return None
    placed = placement(start, end, span)
    if placed is None:
        return None
    if not placed:
        return []
    occurrence = EventAdapter(event).as_component(start, end, False)
    if sequence >= 0:
        occurrence["SEQUENCE"] = sequence
    return [occurrence]


def placement(start: date, end: date, span: tuple[Any, Any]) -> bool | None:
    """Inside the window (True), outside (False), or too near an edge to tell (None).

    Near an edge the library's answer depends on how it lines up zones with
    the window's dates (an event ending at 00:45 in Berlin on the window's
    first day is outside for it), so such events go through the library.
    """
    first, last = _day(start), _day(end)
    margin = timedelta(days=2)
    window_start, window_end = _day(span[0]), _day(span[1])
    if last + margin < window_start or first - margin > window_end:
        return False
    if first - margin >= window_start and last + margin <= window_end:
        return bool(time_span_contains_event(span[0], span[1], start, end))
    return None


def _day(moment: Any) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _nests_events(component: Any) -> bool:
    return any(sub.name == "VEVENT" or _nests_events(sub) for sub in component.subcomponents)
