"""Travel: too few free days between meetings in far-apart cities.

Also the cities travel cannot be checked for, because they cannot be located.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from blgcal.domain.audience import audience_of
from blgcal.domain.clashes.items import Item, Pair, related
from blgcal.domain.clashes.model import Clash, ClashKind, Found, Severity
from blgcal.domain.geo import (
    Place,
    TravelRules,
    distance_km,
    locate,
    normalise_city,
    zone_shift_hours,
)
from blgcal.domain.types import Event
from blgcal.domain.wording import describe_audience, describe_event, plural


class TravelFacts(NamedTuple):
    """Free days between the meetings, and days the journey needs."""

    free: int
    need: int

    def explain(self, events: tuple[Event, ...]) -> str:
        a, b = events
        gap = "no free day" if self.free == 0 else plural(self.free, "free day")
        who = describe_audience(audience_of(a) & audience_of(b))
        return (f"{describe_event(a)} ends with {gap} before {describe_event(b)}, "
                f"but the journey needs {plural(self.need, 'day')}: {who} attend both.")


class UnknownCityFacts(NamedTuple):
    """Nothing beyond the events: all are in the one city that cannot be found."""

    def explain(self, events: tuple[Event, ...]) -> str:
        city, country = events[0].city, events[0].country
        where = f"{city} ({country})" if country else f"{city} (no country given)"
        rest = f" and {len(events) - 1} other meeting(s)" if len(events) > 1 else ""
        return (f"{where} cannot be located, so travel to and from "
                f"{describe_event(events[0])}{rest} was not checked.")


@dataclass(slots=True)
class _Mover:
    """An attendee item at a located city; *spot* numbers equal places alike."""

    item: Item
    place: Place
    zone: str
    spot: int


def place_of(event: Event) -> Place | None:
    return None if event.online else locate(event.city, event.country)


def clock_zone(event: Event, place: Place) -> str:
    """The zone whose clock a traveller to *event* at *place* reads: the venue's, else the city's."""
    return event.timezone or place.timezone


def travel_pairs(items: Sequence[Item], rules: TravelRules) -> Iterator[Pair]:
    """Look back from each meeting only as far as the longest journey could need."""
    movers = _movers(items)
    by_last: defaultdict[int, list[_Mover]] = defaultdict(list)
    for mover in movers:
        by_last[mover.item.last].append(mover)
    journeys = _Journeys(rules)
    reach = rules.longest + 1
    for b in movers:
        first, audience = b.item.first, b.item.audience
        for last in range(first - reach, first):
            for a in by_last.get(last, ()):
                # The audience test inline: most pairs fail it, and cheaply.
                if a.item.audience & audience and (need := journeys.short_by(a, b, first - last - 1)):
                    yield a.item, b.item, Severity.WARN, journeys.facts(first - last - 1, need)


def _movers(items: Sequence[Item]) -> list[_Mover]:
    spots: dict[Place, int] = {}
    movers = []
    for item in items:
        place = place_of(item.event)
        if place is not None:
            spot = spots.setdefault(place, len(spots))
            movers.append(_Mover(item, place, clock_zone(item.event, place), spot))
    return movers


class _Journeys:
    """Days journeys need under *rules*, distances remembered for one call."""

    def __init__(self, rules: TravelRules) -> None:
        self.rules = rules
        self.base: dict[tuple[int, int], int] = {}
        self._facts: dict[tuple[int, int], TravelFacts] = {}

    def facts(self, free: int, need: int) -> TravelFacts:
        """One facts object per (free, need): there are only a few."""
        return self._facts.setdefault((free, need), TravelFacts(free, need))

    def short_by(self, a: _Mover, b: _Mover, free: int) -> int:
        """Days the journey from *a* to *b* needs if *free* days are too few, else 0.

        The caller has checked that the two share an audience.
        """
        if a.spot == b.spot or related(a.item, b.item):
            return 0
        base = self.base.get((a.spot, b.spot))
        if base is None:
            base = self.base[a.spot, b.spot] = self.rules.base_days(distance_km(a.place, b.place))
        if base + self.rules.jet_lag_days <= free:
            return 0  # enough even with jet lag: the clocks need not be read
        shift = zone_shift_hours(a.zone, b.zone, date.fromordinal(b.item.first))
        need = base + self.rules.jet_lag(shift)
        return need if need > free else 0


def add_unknown_cities(found: Found, items: Sequence[Item]) -> None:
    """One ``info`` clash per city that cannot be located, naming its meetings."""
    lost: defaultdict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        event = item.event
        if event.city and not event.online and place_of(event) is None:
            lost[normalise_city(event.city), event.country or ""].append(item)
    for group in lost.values():
        events = tuple(item.event for item in group)
        found.add(group[0].first, Clash(ClashKind.UNKNOWN_CITY, Severity.INFO, events,
                                        UnknownCityFacts()))
