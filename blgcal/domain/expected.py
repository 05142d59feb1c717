"""Expected windows of undated meetings: ``2027-11``, ``2026-03/2026-04``, ``2028``."""

from __future__ import annotations

import calendar
from datetime import date


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


def is_ahead(window: str | None, today: date) -> bool:
    """Whether a meeting expected in *window* may still lie ahead of *today*."""
    if not window:
        return True
    try:
        return window_bounds(window)[1] >= today
    except ValueError:
        return True
