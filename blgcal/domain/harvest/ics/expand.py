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

Expansion is lazy, one series (one UID) at a time, so the caller can stop
at its budget (:data:`~.limits.MAX_OCCURRENCES`) before the next series is
computed. Each series keeps at most *keep* occurrences, those nearest to
*today* going forward (the past is cut first); only the kept ones are copied
into components. Within a series the occurrences come in start order, as the
library would give them sorted, so what the parser builds from them is the
same item for item; ``tests/domain/test_harvest_ics_fast.py`` compares the
two paths.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import icalendar
import recurring_ical_events
import x_wr_timezone
from recurring_ical_events.adapters.event import EventAdapter
from recurring_ical_events.util import is_pytz, time_span_contains_event

from blgcal.domain.harvest.ics.convert import last_day, start_key, uid_of
from blgcal.domain.harvest.limits import EXHAUSTED
from blgcal.domain.harvest.records import ParseError, Problem
from blgcal.domain.harvest.window import HarvestWindow

# Properties that make an event more than one plain occurrence (or whose
# arithmetic the library does its own way: DURATION over a DST change).
SERIES = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "DURATION")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Series:
    """One UID's kept occurrences (VEVENT components, in start order) and how many the window held."""

    uid: str
    occurrences: list[Any]
    total: int


def expand(calendar: Any, window: HarvestWindow, source: str, *, today: date, keep: int,
           fast: bool = True, where: dict[str, str] | None = None) -> Iterator[Series]:
    """Each series' occurrences overlapping *window*, one series at a time.

    :param keep: the most occurrences a series keeps, those nearest to *today*.
    :param fast: take the fast path for single events (``False`` sends every
        event through ``recurring-ical-events``; the tests compare the two).
    :param where: the line of each UID, to name the series that fails.
    :raises ParseError: if the library cannot expand a series.
    """
    where = where or {}
    try:
        standard = x_wr_timezone.to_standard(calendar)
        singles, rest = _split(standard, window) if fast else ([], standard)
        query = recurring_ical_events.of(rest)
    except EXHAUSTED:
        raise
    except Exception as exc:  # noqa: BLE001 (third-party expansion: any failure is the file's)
        raise _cannot(source, _failing_line(calendar, where), exc) from None
    yield from singles
    span = window_span(window)
    for series in query.series:
        try:
            found = list(series.between(*span))
        except EXHAUSTED:
            raise
        except Exception as exc:  # noqa: BLE001 (as above)
            raise _cannot(source, where.get(str(series.uid), ""), exc) from None
        kept = nearest(sorted(found, key=lambda o: start_key(o.start)), today, keep,
                       lambda o: last_day(o.end))
        yield Series(str(series.uid), [o.as_component(False) for o in kept], len(found))


def _cannot(source: str, line: str, exc: Exception) -> ParseError:
    return ParseError(source, [Problem(line, f"cannot expand recurring events: {exc}"[:300])])


def _failing_line(calendar: Any, where: dict[str, str]) -> str:
    """The line of the first VEVENT that the library cannot read alone."""
    others = [c for c in calendar.subcomponents if c.name != "VEVENT"]
    for event in calendar.walk("VEVENT"):
        alone = icalendar.Calendar()
        alone.subcomponents = [*others, event]
        try:
            recurring_ical_events.of(x_wr_timezone.to_standard(alone))
        except Exception:  # noqa: BLE001 (this is the one that fails)
            return where.get(uid_of(event), "")
    return ""


def nearest(found: list[T], today: date, keep: int, last: Callable[[T], date]) -> list[T]:
    """The *keep* of *found* (in start order) nearest to *today* going forward.

    Occurrences not yet over (*last* gives the day each ends) come first; what
    room is left goes to the most recent past ones.
    """
    ahead = [i for i, o in enumerate(found) if last(o) >= today]
    first = ahead[0] if ahead else len(found)
    start = max(0, min(first, len(found) - keep))
    return found[start:start + keep]


def _split(standard: Any, window: HarvestWindow) -> tuple[list[Series], Any]:
    """The single events' occurrences, and a calendar of the events left to the library."""
    events = standard.walk("VEVENT")
    if any(_nests_events(event) for event in events):
        return [], standard  # the library walks nested events twice: keep its way
    span = window_span(window)
    uses = Counter(uid_of(event) for event in events)
    singles: list[Series] = []
    rest = icalendar.Calendar()
    for event in events:
        uid = uid_of(event)
        single = _single(event, span) if uses[uid] == 1 else None
        if single is None:
            rest.subcomponents.append(event)
        elif single:
            singles.append(Series(uid, single, 1))
    return singles, rest


def window_span(window: HarvestWindow) -> tuple[Any, Any]:
    """The window as the library's span test takes it."""
    return (recurring_ical_events.CalendarQuery.to_datetime(window.first_date),
            recurring_ical_events.CalendarQuery.to_datetime(window.end_date))


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
