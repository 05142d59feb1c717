"""Decide, cheaply, whether a recurring series is safe to expand.

``recurring-ical-events`` expands through ``dateutil``, which walks period by
period from DTSTART and stops only at the first occurrence past the window,
at COUNT or UNTIL *occurrences*, or at year 9999. A rule that matches rarely or
never ("every day in February that is the 31st") therefore walks eight
thousand years of days. Work is bounded here by construction:

- at most one occurrence a day: FREQ of DAILY or longer, and BYHOUR, BYMINUTE,
  BYSECOND with one value each (RFC 5545 3.3.10), so a window of N days yields
  at most N occurrences per series;
- at most :data:`~.limits.MAX_PERIODS` periods from DTSTART to the end of
  the window (and :data:`~.limits.MAX_TOTAL_PERIODS` over a file, checked by
  the caller with :func:`periods`);
- a probe proves the rule matches again within 400 years after the window.
  The Gregorian calendar repeats exactly every 146097 days (400 years), so the
  probe runs on a copy moved whole cycles forward, where ``dateutil``'s own
  year-9999 stop lies under 400 years past the window.

A series that fails is not expanded; the caller warns and skips it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr

from blgcal.domain.harvest.limits import MAX_PERIODS
from blgcal.domain.harvest.window import HarvestWindow

CYCLE = timedelta(days=146_097)
PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 28, "YEARLY": 365}


def refuse_reason(rule: dict[str, list[object]], start: date, window: HarvestWindow, *,
                  limit: int = MAX_PERIODS) -> str | None:
    """Say why *rule* (a parsed RRULE) starting at *start* must not be expanded.

    Return None when it is safe; *limit* bounds :func:`periods`.
    """
    freq = _freq(rule)
    if freq not in PERIOD_DAYS:
        return f"FREQ={freq or '?'} repeats more than once a day; only DAILY or longer is imported"
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if len(rule.get(part, ())) > 1:
            return f"{part} with several values repeats more than once a day"
    walked = periods(rule, start, window)
    if walked > limit:
        return f"starts {walked} repetitions before the window ends (limit {limit})"
    if not _matches_after(rule, start, window.end_date):
        return "the rule matches no date for centuries after the window (is it impossible?)"
    return None


def periods(rule: dict[str, list[object]], start: date, window: HarvestWindow) -> int:
    """The repetitions ``dateutil`` walks from *start* to the window's end (0 if FREQ is unknown)."""
    days = PERIOD_DAYS.get(_freq(rule))
    return max(0, (window.end_date - _day(start)).days // (days * _interval(rule))) if days else 0


def _freq(rule: dict[str, list[object]]) -> str:
    return str(rule.get("FREQ", [""])[0]).upper()


def _interval(rule: dict[str, list[object]]) -> int:
    try:
        return max(1, int(str(rule.get("INTERVAL", [1])[0])))
    except ValueError:
        return 1


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _matches_after(rule: dict[str, list[object]], start: date, end: date) -> bool:
    """Probe on a copy shifted whole 400-year cycles so year 9999 is near."""
    if _day(start) >= end:
        return True  # no occurrence can fall in the window: nothing is expanded
    cycles = (date.max - end) // CYCLE
    shift = CYCLE * cycles
    naive = start.replace(tzinfo=None) if isinstance(start, datetime) else \
        datetime.combine(start, datetime.min.time())
    # COUNT and UNTIL end a series only by counting matches, so the probe drops them.
    text = ";".join(f"{k}={','.join(_text(v) for v in vs)}" for k, vs in rule.items()
                    if k not in {"COUNT", "UNTIL"})
    try:
        probe = rrulestr(text, dtstart=naive + shift, cache=False)
        return probe.after(datetime.combine(end, datetime.min.time()) + shift) is not None
    except (ValueError, OverflowError):
        return False


def _text(value: object) -> str:
    to_ical = getattr(value, "to_ical", None)
    if to_ical is not None:
        return str(to_ical().decode())
    return str(value)
