"""Read other organisations' iCalendar feeds (Google, Outlook, Indico, ...).

The file is checked in three steps, and rejected whole with located problems
if any fails: its shape (:mod:`.ics_scan`), then ``icalendar``'s own reading,
then each VEVENT's properties (``event.errors``). Then:

- several VCALENDARs in one file are read as one stream (RFC 5545 3.4); the
  calendar-level properties are the first calendar's;
- a Windows or Outlook zone name without a VTIMEZONE ("W. Europe Standard
  Time", "(UTC-05:00) Eastern Time (US & Canada)") is read in the IANA zone
  CLDR maps it to (:mod:`.windows_zones`);
- a TZID nobody can resolve (an Outlook "Customized Time Zone" without its
  VTIMEZONE, a typo) is *not* guessed: the wall times are read as UTC and the
  event carries the warning "time zone 'X' unknown: times shown as UTC may be
  wrong". ``icalendar`` would leave them naive, and Google's X-WR-TIMEZONE
  fix would then silently move them into the calendar's zone;
- Google's calendar-level X-WR-TIMEZONE is applied (``x_wr_timezone``);
- recurring series are expanded inside the window by ``recurring-ical-events``
  (EXDATE, RDATE, RECURRENCE-ID overrides, DST), after :mod:`.ics_rules` has
  bounded the work, lazily, one series at a time; at most
  :data:`~.limits.MAX_SERIES_OCCURRENCES` per series are kept, those nearest
  to *today* going forward (the past is cut first, with a warning), and a file
  whose series together keep more than :data:`~.limits.MAX_OCCURRENCES`, list
  more than :data:`~.limits.MAX_RDATES` RDATE values or ask for more than
  :data:`~.limits.MAX_TOTAL_PERIODS` rule repetitions is refused whole. An empty
  ``RRULE:`` line is dropped, with a warning: the event happens once. A
  ``RECURRENCE-ID;RANGE=THISANDFUTURE`` override moves the occurrences after
  it; each occurrence is kept once;
- warnings ``icalendar`` raises (a guessed zone) become the run's warnings,
  never text on standard error.
  Single events skip the library by a fast path that gives the same
  occurrences (:mod:`.ics_expand`).

Plain events (most of a real feed) are not given to ``icalendar`` at all:
:mod:`.ics_plain` reads them from the scanned lines, and only the rest of
the file is parsed by the library. Both readers give an
:class:`~.ics_convert.Occurrence`, in the order the library path would.

Only occurrences overlapping the window (:class:`~blgcal.domain.harvest.window.HarvestWindow`)
are returned, single events included: a harvest must judge disappearance only
inside the same window. Items are keyed by (UID, RECURRENCE-ID); the
RECURRENCE-ID is set for occurrences of recurring series only.
"""

from __future__ import annotations

import warnings as python_warnings
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from blgcal.domain.harvest.ics.convert import (
    UNKNOWN_ZONE,
    Occurrence,
    as_utc,
    occurrence_of,
    to_event,
)
from blgcal.domain.harvest.ics.expand import Series, expand
from blgcal.domain.harvest.ics.plain import Plain, read_plain
from blgcal.domain.harvest.ics.rules import periods, refuse_reason
from blgcal.domain.harvest.ics.scan import EventLines, Scan, ScanError, scan
from blgcal.domain.harvest.limits import EXHAUSTED, MAX_WINDOW_DAYS, ParseLimits, check_items
from blgcal.domain.harvest.records import (
    CUT,
    REFUSED,
    HarvestedItem,
    ParseError,
    ParseResult,
    Problem,
)
from blgcal.domain.harvest.screen import screened
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.harvest.windows_zones import resolve
from blgcal.domain.types import Kind

# Properties whose damage changes when or whether the event happens.
ESSENTIAL = frozenset({"UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
                       "RECURRENCE-ID"})
TIMES = ("DTSTART", "DTEND", "RECURRENCE-ID")
# Properties a VEVENT may carry at most once (RFC 5545 3.6.1).
ONCE = ("UID", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE",
        "STATUS", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "CLASS")
TIME_LISTS = ("EXDATE", "RDATE")


def parse_ics(data: bytes | str, *, source: str, default_body: str,
              window: HarvestWindow, fast: bool = True,
              today: date | None = None,
              default_kind: Kind = Kind.GOVERNING_BODY,
              limits: ParseLimits = ParseLimits()) -> ParseResult:
    """Parse an iCalendar file into the occurrences inside *window*.

    :param source: a file name or URL, shown first in every error.
    :param default_body: the organiser of every event (iCalendar names none
        that blgcal knows).
    :param default_kind: the kind of events the kinds rule cannot place.
    :param fast: read plain events without ``icalendar`` and single events
        without ``recurring-ical-events`` (``False``: the library reads and
        expands everything; the tests compare the two).
    :param today: where a capped series keeps its occurrences from
        (default: the window's first day).
    :param limits: the bounds on items, RDATEs, repetitions and occurrences.
    :raises ParseError: naming the line and the reason of each problem.
    :raises ValueError: if *window* is empty or longer than :data:`MAX_WINDOW_DAYS`.
    """
    if window.days > MAX_WINDOW_DAYS:
        raise ValueError(f"the window must span 1 to {MAX_WINDOW_DAYS} days, not {window}")
    with python_warnings.catch_warnings(record=True) as raised:
        python_warnings.simplefilter("always")
        result = _parse(data, source, (default_body, default_kind), window, fast,
                        today or window.first_date, limits)
    said = [Problem("", f"icalendar: {w.message}"[:300]) for w in raised]
    return ParseResult(result.items, (*result.warnings, *dict.fromkeys(said)))


def _parse(data: bytes | str, source: str, defaults: tuple[str, Kind], window: HarvestWindow,
           fast: bool, today: date, limits: ParseLimits) -> ParseResult:
    shape = _scan(data, source)
    check_items(len(shape.events), source, limits)
    _check_rdates(shape, source, limits)
    plain = read_plain(shape, window) if fast else {}
    rest = [lines for index, lines in enumerate(shape.events) if index not in plain]
    calendar = _read(shape, source, skip=[shape.events[index] for index in plain])
    read = iter([str(event.get("UID", "")) for event in calendar.walk("VEVENT")])
    uids = [plain[index].uid if index in plain else next(read, "")
            for index in range(len(shape.events))]
    where: dict[str, str] = {}
    for uid, lines in zip(uids, shape.events):
        where.setdefault(uid, f"line {lines.begin}")
    warnings: dict[str, list[str]] = defaultdict(list, {uid: [] for uid in uids})
    _check_events(calendar, rest, source, warnings)
    _skip_unsafe_series(calendar, window, (source, limits), warnings, where)
    recurring = _recurring(calendar)
    series = expand(calendar, window, source, today=today, keep=limits.series_occurrences,
                    fast=fast, where=where)
    library = _within_budget(series, recurring, (source, limits), warnings, where, today)
    items = _items(_in_file_order(uids, plain, library), recurring,
                   defaults=defaults, warnings=warnings, where=where, source=source)
    found = [Problem(f"{where.get(uid, '')} (UID {uid!r})".lstrip(), text)
             for uid, texts in warnings.items() for text in dict.fromkeys(texts)]
    return ParseResult(items, tuple(found))


def _check_rdates(shape: Scan, source: str, limits: ParseLimits) -> None:
    """Refuse a file listing more RDATE values than ``limits.rdates``, before reading them."""
    listed = 0
    for number, line in shape.lines:
        if line[:6].upper() in ("RDATE:", "RDATE;"):
            listed += line.count(",") + 1
            if listed > limits.rdates:
                raise ParseError(source, [Problem(f"line {number}", f"the file lists more than"
                                                  f" {limits.rdates:,} RDATE dates; blgcal reads"
                                                  " at most that many from one file")])


def _within_budget(found: Iterator[Series], recurring: set[str], bound: tuple[str, ParseLimits],
                   warnings: dict[str, list[str]], where: dict[str, str],
                   today: date) -> list[Occurrence]:
    """Read the series one by one, warning of cuts; refuse the file past its occurrence budget."""
    source, limits = bound
    occurrences: list[Occurrence] = []
    spent = 0
    for series in found:
        if series.total > len(series.occurrences):
            warnings[series.uid].append(
                f"{CUT}: {series.total} occurrences in the window: only the"
                f" {limits.series_occurrences} nearest to {today} going forward are imported"
                " (earlier ones cut first)")
        if series.uid in recurring:
            spent += len(series.occurrences)
            if spent > limits.occurrences:
                raise ParseError(source, [Problem(
                    f"{where.get(series.uid, '')} (UID {series.uid!r})".lstrip(),
                    f"the file expands to more than {limits.occurrences:,} occurrences of"
                    f" recurring series (each series keeps at most {limits.series_occurrences:,});"
                    " a meetings calendar needs far fewer: are series missing COUNT or UNTIL?")])
        occurrences += [occurrence_of(component) for component in series.occurrences]
    return occurrences


def _in_file_order(uids: list[str], plain: dict[int, Plain],
                   library: list[Occurrence]) -> list[Occurrence]:
    """Series by the first VEVENT of their UID, as the library path orders them."""
    series: dict[str, list[Occurrence]] = defaultdict(list)
    for occurrence in library:
        series[occurrence.uid].append(occurrence)
    ordered: list[Occurrence] = []
    for index, uid in enumerate(uids):
        if index in plain:
            ordered.extend(o for o in (plain[index].occurrence,) if o is not None)
        elif uid in series:
            ordered.extend(series.pop(uid))
    return [*ordered, *(o for left in series.values() for o in left)]


def _scan(data: bytes | str, source: str) -> Scan:
    try:
        return scan(data)
    except ScanError as exc:
        raise ParseError(source, [exc.problem]) from None


def _read(shape: Scan, source: str, skip: list[EventLines]) -> Any:
    """Let ``icalendar`` read the file, without the VEVENTs in *skip*."""
    text = shape.text
    if skip:
        gone = {index for lines in skip for index in range(lines.first, lines.last + 1)}
        text = "\r\n".join(line for index, (_, line) in enumerate(shape.lines)
                            if index not in gone) + "\r\n"
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except EXHAUSTED:
        raise
    # icalendar is a third-party tolerant reader: whatever it raises means
    # "cannot read this", and must reach the user as a located ParseError.
    except Exception as exc:  # noqa: BLE001
        where = shape.locate(str(exc)) or _culprit(shape)
        raise ParseError(source, [Problem(where, f"cannot read iCalendar: {exc}"[:300])]) from None
    first = calendars[0]
    for other in calendars[1:]:
        first.subcomponents.extend(other.subcomponents)
    return first


def _culprit(shape: Scan) -> str:
    """The first component ``icalendar`` cannot read alone (its BEGIN line), else line 1."""
    opened: list[int] = []
    for index, (_number, line) in enumerate(shape.lines):
        word = line.strip().upper()
        if word.startswith("BEGIN:") and word != "BEGIN:VCALENDAR":
            opened.append(index)
        elif word.startswith("END:") and word != "END:VCALENDAR" and opened:
            start = opened.pop()
            if opened:
                continue  # judge top-level components whole
            chunk = [text for _, text in shape.lines[start:index + 1]]
            try:
                icalendar.Calendar.from_ical("\r\n".join(
                    ["BEGIN:VCALENDAR", *chunk, "END:VCALENDAR", ""]))
            except Exception:  # noqa: BLE001 (this is the component icalendar refuses)
                return f"line {shape.lines[start][0]} (in this {word[4:]})"
    return f"line {shape.lines[0][0]}"


def _check_events(calendar: Any, events: list[EventLines], source: str,
                  warnings: dict[str, list[str]]) -> None:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for event, where in zip(calendar.walk("VEVENT"), events):
        uid = str(event.get("UID", ""))
        for name, message in event.errors:
            if name is None:  # a line icalendar could not split into name and value
                warnings[uid].append(f"line {where.begin}: in this VEVENT: {message} (ignored)")
                continue
            text = f"property {name}: {message}"
            if name.upper() in ESSENTIAL:
                problems.append(Problem(f"line {where.line_of(name)}", text))
            else:
                warnings[uid].append(f"line {where.line_of(name)}: {text} (ignored)")
        for name in ("UID", "DTSTART"):
            if name not in event:
                problems.append(Problem(f"line {where.begin}", f"VEVENT has no {name}"
                                        " (RFC 5545 3.6.1 requires one)"))
        problems += [Problem(f"line {where.line_of(name)}", f"{name} appears more than once "
                             "(RFC 5545 3.6.1 allows one)")
                     for name in ONCE if isinstance(event.get(name), list)]
        if any(isinstance(event.get(name), list) for name in ONCE):
            continue
        if "DTSTART" in event and not problems and (wrong := _times_problem(event)):
            problems.append(Problem(f"line {where.line_of('DTEND')}", wrong))
        key = (uid, str(event.get("RECURRENCE-ID", "")))
        if uid and key in seen:
            problems.append(Problem(f"line {where.begin}", f"UID {uid!r} repeats the event"
                                    f" on line {seen[key]}"))
        seen.setdefault(key, where.begin)
    if problems:
        raise ParseError(source, problems)
    for event in calendar.walk("VEVENT"):
        warnings[str(event.get("UID", ""))].extend(_fix_unknown_zones(event))


def _times_problem(event: Any) -> str | None:
    """Check DTEND against DTSTART (RFC 5545 3.6.1) before expansion hides it.

    ``recurring-ical-events`` silently swaps an end before the start.
    """
    start = event.decoded("DTSTART")
    if "DTEND" not in event:
        return None
    end = event.decoded("DTEND")
    if isinstance(start, datetime) != isinstance(end, datetime):
        return "DTSTART and DTEND must both be dates or both date-times (RFC 5545 3.6.1)"
    try:
        before = end < start
    except TypeError:  # one floating, one zoned: nothing to compare
        return None
    return f"DTEND {end} is before DTSTART {start}" if before else None


def _fix_unknown_zones(event: Any) -> list[str]:
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


def _until_dates_to_times(event: Any) -> None:
    """Read Google's UNTIL=<date> on a timed series as the end of that day.

    RFC 5545 3.3.10 wants UNTIL of DTSTART's type; taken as midnight, the
    date would drop the last occurrence its author meant to keep.
    """
    start = event.decoded("DTSTART")
    if not isinstance(start, datetime):
        return
    for rule in event["RRULE"] if isinstance(event["RRULE"], list) else [event["RRULE"]]:
        until = rule.get("UNTIL", [None])[0]
        if isinstance(until, date) and not isinstance(until, datetime):
            end = datetime.combine(until, time(23, 59, 59), start.tzinfo)
            rule["UNTIL"] = [end.astimezone(UTC) if start.tzinfo else end]


def _skip_unsafe_series(calendar: Any, window: HarvestWindow, bound: tuple[str, ParseLimits],
                        warnings: dict[str, list[str]], where: dict[str, str]) -> None:
    """Drop the series too costly to expand, with a warning; refuse a file that asks too much in all."""
    source, limits = bound
    refused: set[str] = set()
    walked = 0
    for event in calendar.walk("VEVENT"):
        if "RRULE" in event and "RECURRENCE-ID" not in event:
            uid = str(event.get("UID", ""))
            rules = event["RRULE"] if isinstance(event["RRULE"], list) else [event["RRULE"]]
            if not any(dict(rule) for rule in rules):
                event.pop("RRULE")
                warnings[uid].append(f"{where.get(uid, 'a VEVENT')}: empty RRULE: read as"
                                     " a single event")
                continue
            _until_dates_to_times(event)
            for rule in rules:
                # Counted before refuse_reason's probe, which walks as far again.
                walked += _periods_within(dict(rule), event.decoded("DTSTART"), window, limits)
                if walked > limits.total_periods:
                    raise ParseError(source, [Problem(
                        f"{where.get(uid, '')} (UID {uid!r})".lstrip(),
                        f"the recurring series ask for more than {limits.total_periods:,} repetitions"
                        " from their starts to the window's end; blgcal walks at most that many"
                        " for one file")])
                reason = refuse_reason(dict(rule), event.decoded("DTSTART"), window,
                                       limit=limits.periods)
                if reason:
                    refused.add(uid)
                    warnings[uid].append(f"{REFUSED}: RRULE {reason}")
    if refused:
        calendar.subcomponents = [c for c in calendar.subcomponents
                                  if c.name != "VEVENT" or str(c.get("UID", "")) not in refused]


def _periods_within(rule: dict[str, list[object]], start: date, window: HarvestWindow,
                    limits: ParseLimits) -> int:
    """The repetitions a rule walks, or 0 for one refused alone for walking too many."""
    walked = periods(rule, start, window)
    return walked if walked <= limits.periods else 0


def _recurring(calendar: Any) -> set[str]:
    return {str(e.get("UID", "")) for e in calendar.walk("VEVENT")
            if {"RRULE", "RDATE", "RECURRENCE-ID"} & set(e)}


def _items(occurrences: list[Occurrence], recurring: set[str], *, defaults: tuple[str, Kind],
           warnings: dict[str, list[str]], where: dict[str, str],
           source: str) -> tuple[HarvestedItem, ...]:
    series: dict[str, list[Occurrence]] = defaultdict(list)
    # Stable: occurrences starting together keep the file's order.
    for occurrence in sorted(occurrences, key=Occurrence.start_key):
        series[occurrence.uid].append(occurrence)
    items, problems = [], []
    for uid, found in series.items():
        for occurrence, recurrence in _keyed(found, uid in recurring):
            try:
                items.append(_item(occurrence, recurrence, defaults, warnings[uid]))
            except ValueError as exc:
                problems.append(Problem(f"{where.get(uid, '')} (UID {uid!r})".lstrip(), str(exc)))
    if problems:
        raise ParseError(source, problems)
    return tuple(items)


def _keyed(found: list[Occurrence], recurring: bool) -> list[tuple[Occurrence, str | None]]:
    """Each occurrence with its item's recurrence key, unique within the series.

    ``recurring-ical-events`` gives every occurrence a
    ``RECURRENCE-ID;RANGE=THISANDFUTURE`` override moves the override's own
    RECURRENCE-ID, so several share it; the first (the override) keeps it, the later ones add
    their start ("20240913T120000Z+20240917T090000Z"). An occurrence
    repeated exactly is kept once.
    """
    if not recurring:
        return [(occurrence, None) for occurrence in found]
    keyed: list[tuple[Occurrence, str | None]] = []
    seen: set[str] = set()
    for occurrence in found:
        key = _recurrence_id(occurrence.recurrence_id)
        if key in seen:
            key = f"{key}+{_recurrence_id(occurrence.start)}"
            if key in seen:
                continue
        seen.add(key)
        keyed.append((occurrence, key))
    return keyed


def _item(occurrence: Occurrence, recurrence_id: str | None, defaults: tuple[str, Kind],
          warnings: list[str]) -> HarvestedItem:
    event = to_event(occurrence, body=defaults[0], kind=defaults[1], warnings=warnings)
    item = screened(HarvestedItem(external_uid=event.uid, event=event, recurrence_id=recurrence_id,
                                  source_url=event.url), strict_urls=False)
    warnings += item.warnings
    return replace(item, warnings=tuple(dict.fromkeys(warnings)))


def _recurrence_id(value: date | None) -> str:
    """RFC 5545 3.8.4.4 form: UTC for date-times, plain for dates."""
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y%m%dT%H%M%SZ")
    assert value is not None  # the library sets RECURRENCE-ID on every occurrence of a series
    return value.strftime("%Y%m%d")
