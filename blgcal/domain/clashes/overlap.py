"""Overlap: meetings of different bodies, on the same days, for the same people."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from blgcal.domain.audience import audience_of
from blgcal.domain.clashes.items import Item, Pair, related, spans_meet
from blgcal.domain.clashes.model import Severity
from blgcal.domain.types import Event, Kind
from blgcal.domain.wording import describe_audience, describe_event


class OverlapFacts(NamedTuple):
    """Nothing beyond the events: their audiences say who is needed twice."""

    def explain(self, events: tuple[Event, ...]) -> str:
        a, b = events
        who = describe_audience(audience_of(a) & audience_of(b))
        return f"{describe_event(a)} overlaps {describe_event(b)}: both need {who}."


_FACTS = OverlapFacts()


def overlap_applies(a: Item, b: Item) -> bool:
    """The overlap rule for one pair of attendee items, in either order.

    Local days intersect, audiences do too, no body organises both, neither
    sits inside the other, and two timed meetings' half-open spans meet.
    """
    if a.first > b.last or b.first > a.last:
        return False
    if not a.audience & b.audience or a.bodies & b.bodies or related(a, b):
        return False
    return a.start_dt is None or b.start_dt is None or spans_meet(a, b)


def overlap_pair(a: Item, b: Item) -> Pair:
    """The pair as a clash: ``block`` between two governing bodies, else ``warn``."""
    both_governing = a.event.kind is b.event.kind is Kind.GOVERNING_BODY
    return a, b, Severity.BLOCK if both_governing else Severity.WARN, _FACTS


def overlap_pairs(items: Sequence[Item]) -> Iterator[Pair]:
    """Sweep *items* (in date order), keeping only meetings still running."""
    active: list[Item] = []
    for item in items:
        first = item.first
        active = [a for a in active if a.last >= first]
        for a in active:
            if overlap_applies(a, item):
                yield overlap_pair(a, item)
        active.append(item)
