"""Side events: timed side events of one meeting that cannot both happen."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import NamedTuple

from blgcal.domain.clashes.items import Item, Pair, spans_meet
from blgcal.domain.clashes.model import Severity
from blgcal.domain.geo import normalise_city
from blgcal.domain.types import Event
from blgcal.domain.wording import body_name, describe_event


class SideEventFacts(NamedTuple):
    """Whether the two share a room (else they share an organising body)."""

    room: bool

    def explain(self, events: tuple[Event, ...]) -> str:
        a, b = events
        if self.room:
            why = f"both are booked in {a.venue}"
        else:
            why = ", ".join(sorted(body_name(body) for body in set(a.bodies) & set(b.bodies)))
            why += " organises both"
        return f"Side event {describe_event(a)} overlaps {describe_event(b)}: {why}."


_ROOM, _BODY = SideEventFacts(room=True), SideEventFacts(room=False)
_START = attrgetter("start_dt")


def side_event_pairs(groups: Iterable[list[Item]]) -> Iterator[Pair]:
    """Sweep each parent meeting's side events (a group) in order of start."""
    for group in groups:
        group.sort(key=_START)  # stable: ties keep the date order of the items
        active: list[Item] = []
        for item in group:
            active = [a for a in active if spans_meet(a, item)]
            yield from (pair for a in active if (pair := _side_pair(a, item)))
            active.append(item)


def _side_pair(a: Item, b: Item) -> Pair | None:
    """``block`` when the two share a room, ``warn`` when a body organises both."""
    venue_a, venue_b = normalise_city(a.event.venue or ""), normalise_city(b.event.venue or "")
    if venue_a and venue_a == venue_b:
        return a, b, Severity.BLOCK, _ROOM
    return (a, b, Severity.WARN, _BODY) if a.bodies & b.bodies else None
