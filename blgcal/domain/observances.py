"""International days: expand their yearly rules into dates."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from dateutil.rrule import rrulestr

from blgcal.domain.types import Observance

YEARLY_ONLY = "FREQ=YEARLY"


def validate_rrule(rule: str) -> None:
    """Raise ValueError unless *rule* is a yearly RFC 5545 RRULE (3.3.10)."""
    if not rule.upper().startswith(YEARLY_ONLY):
        raise ValueError(f"observance rules must be yearly (FREQ=YEARLY), not {rule!r}")
    try:
        parsed = rrulestr(rule, dtstart=datetime(2000, 1, 1))
        first = parsed.after(datetime(2000, 1, 1), inc=True)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{rule!r} is not a valid RRULE: {exc}") from None
    if first is None:
        raise ValueError(f"{rule!r} never occurs")


def occurrences(observance: Observance, first: date, last: date) -> list[date]:
    """Dates of *observance* from *first* to *last*, both inclusive."""
    dtstart = datetime(first.year, 1, 1)
    rule = rrulestr(observance.rrule, dtstart=dtstart)
    found = rule.between(datetime.combine(first, datetime.min.time()),
                         datetime.combine(last, datetime.max.time()), inc=True)
    return [moment.date() for moment in found]


@lru_cache(maxsize=64)
def upcoming(observances: tuple[Observance, ...], today: date, *, limit: int = 5,
             horizon_days: int = 400) -> list[tuple[date, Observance]]:
    """The next *limit* observance days from *today*, soonest first.

    Cached: the answer changes once a day, and expanding rules costs more than
    rendering the rest of the agenda.
    """
    last = date.fromordinal(today.toordinal() + horizon_days)
    dated = [(day, item) for item in observances for day in occurrences(item, today, last)]
    dated.sort(key=lambda pair: (pair[0], pair[1].name))
    return dated[:limit]
