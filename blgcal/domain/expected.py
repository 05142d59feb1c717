"""Expected windows of undated meetings: ``2027-11``, ``2026-03/2026-04``, ``2028``.

A meeting known without dates is, on a given day, in one of three states:

- **ahead**: its window has not reached its last month;
- **overdue**: its last month has come, or it has passed, and still no date
  is published ("expected 2026, no date published yet" in December 2026);
  secretariats publish dates months ahead, so such a meeting is late or will
  not take place as expected;
- **held**: a confirmed meeting whose window has passed took place; only its
  exact dates are missing.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import Enum

from blgcal.domain.types import Status


class Expectation(Enum):
    AHEAD = "ahead"
    OVERDUE = "overdue"
    HELD = "held"


def window_bounds(window: str) -> tuple[date, date]:
    """The first and last day a window covers; ValueError when it is malformed."""
    parts = window.split(" ")[0].split("/")
    if len(parts) > 2:
        raise ValueError(f"{window!r}: at most one '/' between two periods")
    first, _ = _period(parts[0])
    _, last = _period(parts[-1])
    if last < first:
        raise ValueError(f"{window!r}: the window ends before it starts")
    return first, last


def _period(text: str) -> tuple[date, date]:
    if len(text) == 4 and text.isdigit():
        return date(int(text), 1, 1), date(int(text), 12, 31)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
        if 1 <= month <= 12:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    raise ValueError(f"{text!r} is not a year (YYYY) or a month (YYYY-MM)")


def expectation(window: str | None, status: Status, today: date) -> Expectation:
    """Where a meeting expected in *window* stands on *today* (see the module's rule).

    A missing or malformed window says nothing about time, so it stays ahead.
    """
    try:
        _, last = window_bounds(window) if window else (None, None)
    except ValueError:
        return Expectation.AHEAD
    if last is None or today < last.replace(day=1):
        return Expectation.AHEAD
    if last < today and status is Status.CONFIRMED:
        return Expectation.HELD
    return Expectation.OVERDUE


def describe_window(window: str | None) -> str:
    """``2027-11`` -> ``expected November 2027``; ``2026-03/2026-04`` -> a range."""
    if not window:
        return "dates to be announced"
    parts = [_month_or_year(part) for part in window.split(" ")[0].split("/")]
    return "expected " + " \u2013 ".join(parts)


def describe_expected(window: str | None, state: Expectation) -> str:
    """The window as a page shows it: an overdue one says no date is published."""
    text = describe_window(window)
    return f"{text}, no date published yet" if state is Expectation.OVERDUE else text


def _month_or_year(text: str) -> str:
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        return f"{date(int(text[:4]), int(text[5:7]), 1):%B %Y}"
    return text
