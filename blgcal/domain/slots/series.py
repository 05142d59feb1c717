"""A series of virtual meetings that shares out the inconvenient hours.

The window is cut into ``repeat`` periods of a week or a month from its first
day; each period gets one meeting, chosen in order. When no time lies inside
everyone's office hours, someone must start early or finish late; each
meeting is chosen by, in turn:

1. the fewest minutes outside office hours, all secretariats together;
2. the fewest secretariats outside their hours (one early start, not two
   half-early ones);
3. the smallest running total of the worst-off secretariat, so whoever has
   carried the early or late hour least so far carries it next;
4. the day nearest one period after the previous meeting, for a steady rhythm;
5. the earliest start.

No meeting puts one secretariat more than ``SlotRules.series_max_out``
minutes outside its hours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from blgcal.domain.slots import scoring
from blgcal.domain.slots.model import Slot
from blgcal.domain.slots.occupancy import Occupancy
from blgcal.domain.slots.request import SlotRequest, SlotRules
from blgcal.domain.slots.virtual import (
    DAY_MINUTES,
    Office,
    common_starts,
    describe_times,
    hours_text,
    instant,
    local_times,
    midnight,
    out_of_hours,
)
from blgcal.domain.wording import format_days, listed


@dataclass(frozen=True, slots=True)
class Series:
    """The meetings found, each secretariat's total minutes out of hours, and empty periods."""

    slots: tuple[Slot, ...]
    totals: tuple[tuple[str, int], ...]
    empty: tuple[str, ...]


def periods(request: SlotRequest, today: date | None) -> list[tuple[date, date]]:
    """The window cut into ``repeat`` periods, each clipped to the window and today."""
    found = []
    for number in range(request.repeat):
        first = request.every.shift(request.first, number)
        last = min(request.every.shift(request.first, number + 1) - timedelta(days=1),
                   request.last)
        found.append((max(first, today) if today else first, last))
    return found


def series(request: SlotRequest, occ: Occupancy, found: Sequence[Office], *,
           names: Mapping[str, str], optional: Mapping[str, str], rules: SlotRules,
           today: date | None) -> Series:
    """One meeting per period, rotating who sits outside their office hours."""
    assert request.minutes is not None
    length, most = request.minutes, rules.series_max_out
    totals = [0] * len(found)
    slots, empty = [], []
    target: date | None = None
    for number, (first, last) in enumerate(periods(request, today), start=1):
        pick = _best(found, totals, length, most, rules.step_minutes, first, last,
                     target=target or first)
        if pick is None:
            empty.append(f"meeting {number} ({format_days(first, last)})")
            continue
        start, outs = pick
        target = request.every.shift(instant(start).date(), 1)
        totals = [total + out for total, out in zip(totals, outs)]
        slots.append(_slot(request, occ, found, start, outs, number=number, names=names,
                           optional=optional, rules=rules))
    return Series(tuple(slots), tuple((office.body.slug, total)
                                      for office, total in zip(found, totals)), tuple(empty))


def _best(found: Sequence[Office], totals: Sequence[int], length: int, most: int, step: int,
          first: date, last: date, *, target: date) -> tuple[int, list[int]] | None:
    if first > last:
        return None
    low, high = midnight(first), midnight(last) + DAY_MINUTES
    # Only starts where every secretariat is at most *most* minutes away from its hours.
    widened = [office.widened(most) for office in found]
    best: tuple[tuple[int, int, int, int, int], list[int]] | None = None
    for start in common_starts(widened, length=length, step=step, low=low, high=high):
        outs = out_of_hours(found, start, length)
        if outs is None or max(outs) > most:
            continue
        cost = (sum(outs), sum(1 for out in outs if out),
                max(total + out for total, out in zip(totals, outs)),
                abs((instant(start).date() - target).days), start)
        if best is None or cost < best[0]:
            best = (cost, outs)
    return None if best is None else (best[0][4], best[1])


def _slot(request: SlotRequest, occ: Occupancy, found: Sequence[Office], start: int,
          outs: Sequence[int], *, number: int, names: Mapping[str, str],
          optional: Mapping[str, str], rules: SlotRules) -> Slot:
    assert request.minutes is not None
    verdict = scoring.Verdict()
    times = local_times(found, start, request.minutes, outs)
    verdict.reasons.append(f"Meeting {number} of {request.repeat}: "
                           f"{describe_times(found, times)}.")
    late = [f"{office.body.short_name} {out} minutes ({local.start:%H:%M}\u2013"
            f"{local.end:%H:%M} in {office.city})"
            for office, local, out in zip(found, times, outs) if out]
    if late:
        verdict.score -= sum(outs) // 10
        verdict.reasons.append(f"Outside {hours_text(request)}: {listed(late)}; the series "
                               f"shares these hours out.")
    else:
        verdict.reasons.append(f"Inside {hours_text(request)} for every secretariat.")
    ordinal = instant(start).date().toordinal()
    scoring.people_elsewhere(verdict, occ, required=names, optional=optional, first=ordinal,
                             last=ordinal)
    scoring.tentative_nearby(verdict, occ, first=ordinal, last=ordinal, within=rules.nearby_days)
    return Slot(verdict.score, tuple(verdict.reasons), tuple(verdict.conflicts),
                start_dt=instant(start), end_dt=instant(start + request.minutes),
                local_times=times)
