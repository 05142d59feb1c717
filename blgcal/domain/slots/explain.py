"""Why the answer is what it is: the constraints by days removed, and the nearest misses.

Microsoft Graph's ``findMeetingTimes`` says only *that* nothing fits
(``emptySuggestionsReason``); this names the constraint that ruled out the
most days, with the meetings behind it, and the days (or, for a virtual
meeting, the times) that came closest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from blgcal.domain.slots.model import Cause, Day, Explanation, Removal, Slot
from blgcal.domain.slots.request import SlotRequest
from blgcal.domain.slots.virtual import (
    DAY_MINUTES,
    Office,
    common_starts,
    instant,
    local_times,
    midnight,
    out_of_hours,
)
from blgcal.domain.wording import format_day, format_days, listed, plural

SHOWN = 4
MISSES = 3


def removals(days: Sequence[Day]) -> tuple[Removal, ...]:
    """Each constraint with the days it rules out, most first; a day counts under each."""
    counts: Counter[Cause] = Counter()
    texts: dict[Cause, dict[str, None]] = {}  # dicts as ordered sets
    for day in days:
        for cause in day.causes:
            counts[cause] += 1
        for cause, text in day.why:
            texts.setdefault(cause, {})[text] = None
    order = sorted(counts, key=lambda cause: (-counts[cause], list(Cause).index(cause)))
    return tuple(Removal(cause, counts[cause], _detail(list(texts[cause]))) for cause in order)


def _detail(texts: Sequence[str]) -> str:
    shown = list(texts[:SHOWN])
    if len(texts) > SHOWN:
        shown.append(f"{len(texts) - SHOWN} more")
    return "; ".join(shown)


def explain(request: SlotRequest, days: Sequence[Day], slots: Sequence[Slot], *,
            nearest: Sequence[str] = (), empty: Sequence[str] = (),
            totals: Mapping[str, int] | None = None) -> Explanation:
    """The summary sentence, the removals and the nearest misses.

    :param totals: for a series, each secretariat's minutes out of office hours.
    """
    removed = removals(days)
    total = len(days)
    window = format_days(request.first, request.last)
    top = (f" {removed[0].cause.label.capitalize()} rules out the most days: "
           f"{removed[0].days} of {total} ({removed[0].detail})." if removed else "")
    if totals is not None:
        spent = listed([f"{name} {minutes}" for name, minutes in totals.items()])
        summary = (f"{plural(len(slots), 'meeting')}, one a {request.every.value} from "
                   f"{format_day(request.first)}; minutes outside office hours over the "
                   f"series: {spent}.")
    elif slots:
        free = sum(1 for day in days if day.free)
        summary = f"{plural(len(slots), 'slot')} in {window}; {free} of {total} days are free.{top}"
    else:
        summary = f"No slot fits in {window}.{top}"
    if empty:
        summary += f" No time fits for {listed(list(empty))}."
    return Explanation(summary, removed, tuple(nearest))


def day_misses(days: Sequence[Day]) -> list[str]:
    """Days ruled out by one constraint only (not a weekend or the past), earliest first."""
    close = [day for day in days if len(day.causes) == 1
             and day.causes[0] not in {Cause.WEEKEND, Cause.PAST}]
    return [f"{_day(day.day)}: {'; '.join(day.notes)}" for day in close[:MISSES]]


def time_misses(request: SlotRequest, found: Sequence[Office], days: Sequence[Day],
                names: Mapping[str, str], *, step: int) -> list[str]:
    """For a virtual meeting: the times that leave the fewest minutes outside office hours."""
    assert request.minutes is not None
    length = request.minutes
    hours_only = [day for day in days if day.causes == (Cause.HOURS,)]
    ranked: list[tuple[int, int, list[int]]] = []
    for day in hours_only:
        low = midnight(day.day)
        widened = [office.widened(length) for office in found]
        for start in common_starts(widened, length=length, step=step, low=low,
                                   high=low + DAY_MINUTES):
            outs = out_of_hours(found, start, length)
            if outs is not None:
                ranked.append((sum(outs), start, outs))
    ranked.sort()
    misses, seen = [], set()
    for _, start, outs in ranked:
        if instant(start).date() in seen:
            continue
        seen.add(instant(start).date())
        misses.append(_time_miss(found, start, length, outs, names))
        if len(misses) == MISSES:
            break
    return misses


def _time_miss(found: Sequence[Office], start: int, length: int, outs: Sequence[int],
               names: Mapping[str, str]) -> str:
    times = local_times(found, start, length, outs)
    who = [f"{names[office.body.slug]} {out} minutes outside office hours "
           f"({local.start:%H:%M}\u2013{local.end:%H:%M} in {office.city})"
           for office, local, out in zip(found, times, outs) if out]
    begin, end = instant(start), instant(start + length)
    return f"{_day(begin.date())}, {begin:%H:%M}\u2013{end:%H:%M} UTC: {listed(who)}"


def _day(day: date) -> str:
    return f"{day:%a} {format_day(day)}"
