"""Read other organisations' iCalendar feeds (Google, Outlook, Indico, ...).

The file is checked in three steps, and rejected whole with located problems
if any fails: its shape (:mod:`.scan`), then ``icalendar``'s own reading,
then each VEVENT's properties (``event.errors``, :mod:`.check`). Then:

- several VCALENDARs in one file are read as one stream (RFC 5545 3.4); the
  calendar-level properties are the first calendar's;
- a Windows or Outlook zone name without a VTIMEZONE is read in the IANA zone
  CLDR maps it to; a TZID nobody can resolve (an Outlook "Customized Time
  Zone" without its VTIMEZONE, a typo) is read as UTC, with the warning "time
  zone 'X' unknown: times shown as UTC may be wrong" (:mod:`.zones`);
- Google's calendar-level X-WR-TIMEZONE is applied (``x_wr_timezone``);
- recurring series are expanded inside the window by ``recurring-ical-events``
  (EXDATE, RDATE, RECURRENCE-ID overrides, DST), after :mod:`.rules` and
  :mod:`.bounds` have bounded the work, lazily, one series at a time; at most
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
  occurrences (:mod:`.expand`).

Plain events (most of a real feed) are not given to ``icalendar`` at all:
the plain reader (:mod:`.plain`) reads them from the scanned lines, and only the rest of
the file is parsed by the library. Both readers give an
:class:`~.convert.Occurrence`, in the order the library path would.

Only occurrences overlapping the window (:class:`~blgcal.domain.harvest.window.HarvestWindow`)
are returned, single events included: a harvest must judge disappearance only
inside the same window. Items are keyed by (UID, RECURRENCE-ID) (:mod:`.items`).
"""

from __future__ import annotations

import warnings as python_warnings
from collections import defaultdict
from datetime import date

from blgcal.domain.harvest.ics.bounds import check_rdates, skip_unsafe_series, within_budget
from blgcal.domain.harvest.ics.check import check_events
from blgcal.domain.harvest.ics.convert import uid_of
from blgcal.domain.harvest.ics.expand import expand
from blgcal.domain.harvest.ics.items import in_file_order, items, recurring
from blgcal.domain.harvest.ics.library import read_calendar, scanned
from blgcal.domain.harvest.ics.notes import Notes
from blgcal.domain.harvest.ics.plain import read_plain
from blgcal.domain.harvest.ics.zones import fix_unknown_zones
from blgcal.domain.harvest.limits import MAX_WINDOW_DAYS, ParseLimits, check_items
from blgcal.domain.harvest.records import ParseResult, Problem
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.types import Kind


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
    shape = scanned(data, source)
    check_items(len(shape.events), source, limits)
    check_rdates(shape, source, limits)
    plain = read_plain(shape, window) if fast else {}
    rest = [lines for index, lines in enumerate(shape.events) if index not in plain]
    calendar = read_calendar(shape, source, skip=[shape.events[index] for index in plain])
    read = iter([uid_of(event) for event in calendar.walk("VEVENT")])
    uids = [plain[index].uid if index in plain else next(read, "")
            for index in range(len(shape.events))]
    notes = Notes(warnings=defaultdict(list, {uid: [] for uid in uids}))
    for uid, lines in zip(uids, shape.events):
        notes.where.setdefault(uid, f"line {lines.begin}")
    check_events(calendar, rest, source, notes)
    for event in calendar.walk("VEVENT"):
        notes.warnings[uid_of(event)].extend(fix_unknown_zones(event))
    skip_unsafe_series(calendar, window, (source, limits), notes)
    series_uids = recurring(calendar)
    series = expand(calendar, window, source, today=today, keep=limits.series_occurrences,
                    fast=fast, where=notes.where)
    library = within_budget(series, series_uids, (source, limits), notes, today)
    found = items(in_file_order(uids, plain, library), series_uids,
                  defaults=defaults, notes=notes, source=source)
    return ParseResult(found, notes.problems())
