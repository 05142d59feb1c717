"""Crowded: beyond a few clashes per event and kind, count rather than list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from blgcal.domain.clashes.items import Item, Pair
from blgcal.domain.clashes.model import Clash, ClashKind, Found, Severity
from blgcal.domain.types import Event
from blgcal.domain.wording import describe_event, listed

_PAIR_KINDS = (ClashKind.OVERLAP, ClashKind.SIDE_EVENT, ClashKind.TRAVEL)


class CrowdedFacts(NamedTuple):
    """How many clashes of each pairwise kind were left unlisted."""

    overlap: int
    side_event: int
    travel: int

    def explain(self, events: tuple[Event, ...]) -> str:
        parts = [f"{n} more {kind.replace('_', ' ')}" for kind, n in zip(_PAIR_KINDS, self) if n]
        return f"{describe_event(events[0])} has {listed(parts)} clash(es) beyond those listed."


class Unlisted:
    """Per item and kind, how many clashes were counted but not listed.

    Plain integers in one dictionary per kind rather than a counter per item:
    a crowded calendar has tens of thousands of such items, and fewer live
    objects mean fewer garbage-collector passes.
    """

    def __init__(self) -> None:
        self.items: dict[Item, None] = {}
        self.counts: dict[ClashKind, dict[Item, int]] = {kind: {} for kind in _PAIR_KINDS}


def add_capped(found: Found, pairs: Iterable[Pair], kind: ClashKind, cap: int,
               unlisted: Unlisted) -> None:
    """List each item's first *cap* pairs, in the order given; count the rest."""
    # Keyed by the events' ids, not by the items: the items of a rule that
    # builds them group by group may then be freed as it goes.
    listed_for: dict[int, int] = {}
    crowded, counts = unlisted.items, unlisted.counts[kind]
    for a, b, severity, facts in pairs:
        key_a, key_b = id(a.event), id(b.event)
        count_a, count_b = listed_for.get(key_a, 0), listed_for.get(key_b, 0)
        if count_a < cap and count_b < cap:
            listed_for[key_a], listed_for[key_b] = count_a + 1, count_b + 1
            found.add(min(a.first, b.first), Clash(kind, severity, (a.event, b.event), facts))
        else:  # inline rather than a method: the hot path of a crowded calendar
            crowded[a] = crowded[b] = None
            counts[a], counts[b] = counts.get(a, 0) + 1, counts.get(b, 0) + 1


def add_crowded(found: Found, unlisted: Unlisted) -> None:
    """One ``warn`` clash per item with unlisted pairs, summing them by kind."""
    shared: dict[CrowdedFacts, CrowdedFacts] = {}  # few distinct counts: one object each
    for item in unlisted.items:
        facts = CrowdedFacts(*(unlisted.counts[kind].get(item, 0) for kind in _PAIR_KINDS))
        facts = shared.setdefault(facts, facts)
        found.add(item.first, Clash(ClashKind.CROWDED, Severity.WARN, (item.event,), facts))
