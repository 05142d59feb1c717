"""Can every required head reach the venue in time, and get on to their next meeting?

The rule is the travel clash's (:mod:`blgcal.domain.clashes.travel`): two
meetings in different cities need as many free days between them as the
journey takes (:class:`~blgcal.domain.geo.TravelRules`, clocks read at the
venue). A slot is checked against each required body's in-person meetings
that need its head and end just before it or start just after it; a
meeting in the same city, or one that cannot be located, needs no journey.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from blgcal.domain.geo import Place, TravelRules, journey_days
from blgcal.domain.slots.occupancy import Occupancy, Stop
from blgcal.domain.wording import describe_event, plural


@dataclass(frozen=True, slots=True)
class Journey:
    """One journey to or from the slot: free days, days needed, and its sentence."""

    free: int
    need: int
    text: str

    @property
    def fits(self) -> bool:
        return self.need <= self.free


def journeys(occ: Occupancy, names: Mapping[str, str], *, place: Place, zone: str,
             first: int, last: int, rules: TravelRules) -> list[Journey]:
    """The journeys that could be too short for a slot at *place* from *first* to *last*.

    :param names: the required bodies, slug to short name.
    """
    found = []
    reach = rules.longest
    on_date = date.fromordinal(first)
    for slug, name in names.items():
        ends, starts = occ.ends.get(slug), occ.starts.get(slug)
        if not ends or not starts:
            continue  # no in-person meeting of this body near the window
        for day in range(first - reach, first):
            for stop in ends.get(day, ()):
                found.append(_journey(stop, name, first - stop.last - 1, before=True,
                                      need=_days(stop, place, zone, on_date, rules)))
        for day in range(last + 1, last + reach + 1):
            for stop in starts.get(day, ()):
                found.append(_journey(stop, name, stop.first - last - 1, before=False,
                                      need=_days(stop, place, zone, on_date, rules)))
    return [journey for journey in found if journey.need]


def _days(stop: Stop, place: Place, zone: str, on_date: date, rules: TravelRules) -> int:
    return journey_days(stop.place, place, zones=(stop.zone, zone), on_date=on_date, rules=rules)


def _journey(stop: Stop, name: str, free: int, *, before: bool, need: int) -> Journey:
    gap = "no free day" if free == 0 else plural(free, "free day")
    side = "after" if before else "before"
    text = (f"{name} has {gap} {side} {describe_event(stop.event)}; "
            f"the journey needs {plural(need, 'day')}")
    return Journey(free, need, text)
