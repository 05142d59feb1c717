"""Every bound on reading an untrusted file, in one place (SECURITY.md states the same figures).

A harvest or an import reads what strangers wrote, so each cost is bounded
twice. By count, inside the parsers, so a bomb fails at once with a reason
that names it: the items a file gives, the RDATE values and rule repetitions
it asks to walk, the occurrences its recurring series expand to. And by
resources, around the parse: it runs in a child process
(:mod:`blgcal.confine`) with a CPU and a memory limit, against whatever the
counts did not foresee.

A meetings calendar needs a few thousand occurrences at most: the CBD's
whole calendar is about 1,500 events over ten years, and an endless weekly
series over a five-year import window is 260. So one series keeps at most
:data:`MAX_SERIES_OCCURRENCES` (those nearest to today, with a warning: an
endless series is normal in real feeds) and a file's recurring series
together at most :data:`MAX_OCCURRENCES` (more is refused whole: ten endless
daily series are a bomb, not a calendar).
"""

from __future__ import annotations

from dataclasses import dataclass

from blgcal.domain.harvest.records import ParseError, Problem

# Events, rows or records one file may give: ten times the biggest real feed,
# and more than a 10 MB file (HARVEST_MAX_BYTES) of minimal VEVENTs holds at ~200 bytes each.
MAX_ITEMS = 50_000
# Occurrences of recurring series, summed over the file, after each series' cut.
MAX_OCCURRENCES = 5_000
# Occurrences one series keeps; the rest of an endless series is cut with a warning.
MAX_SERIES_OCCURRENCES = 1_000
# RDATE values in one file: each may be an occurrence, and each costs a parsed date.
MAX_RDATES = 10_000
# Repetitions ``dateutil`` walks from one series' DTSTART to the end of the window ...
MAX_PERIODS = 50_000
# ... and summed over the file (about a second of walking).
MAX_TOTAL_PERIODS = 100_000
# Days a recurrence window may span (the longest source window, 3650 days, fits).
MAX_WINDOW_DAYS = 3_700
# Component nesting: real calendars nest three deep (VCALENDAR > VEVENT > VALARM).
MAX_NESTING = 8
# Characters in one CSV cell: the csv module's own default limit, reported rather than raised.
MAX_CSV_FIELD = 131_072
# CPU seconds the child process may spend parsing: a 10 MB feed of 45,000 plain
# events takes 4 s; the wall clock allows twice as much, for a loaded machine.
MAX_PARSE_SECONDS = 30
# Memory the child process may allocate beyond what it inherited, in MB
# (that 10 MB feed peaks at 232 MB of resident memory, inherited pages included).
MAX_PARSE_MEGABYTES = 1_024
# Errors that are the parse's resources running out, not the file's fault: never
# read as "cannot read this file", always left to the child process to report.
EXHAUSTED = (MemoryError, RecursionError)


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """The bounds one parse runs under (the defaults are the constants above)."""

    items: int = MAX_ITEMS
    occurrences: int = MAX_OCCURRENCES
    series_occurrences: int = MAX_SERIES_OCCURRENCES
    rdates: int = MAX_RDATES
    periods: int = MAX_PERIODS
    total_periods: int = MAX_TOTAL_PERIODS
    seconds: int = MAX_PARSE_SECONDS
    megabytes: int = MAX_PARSE_MEGABYTES


def check_items(count: int, source: str, limits: ParseLimits) -> None:
    """Refuse a file that gives more than ``limits.items`` items."""
    if count > limits.items:
        raise ParseError(source, [Problem("", f"the file has {count:,} items; blgcal reads at most"
                                          f" {limits.items:,} from one file (split it)")])
