"""Each event once, reduced to the numbers the rules compare.

Rules compare many pairs, so an :class:`Item` holds what a pair test reads
as plain integers: local days as ordinals, audiences and bodies as bit masks
(bits assigned per call), ids with "none" values that never match.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from blgcal.domain.audience import DEFAULT_AUDIENCE, audience_of
from blgcal.domain.clashes.model import Facts, Severity
from blgcal.domain.geo import local_ordinals
from blgcal.domain.types import GONE_STATUSES, Event, Kind

_AUDIENCED = frozenset(kind for kind, tags in DEFAULT_AUDIENCE.items() if tags)
_NO_ID, _NO_PARENT = -1, -2


@dataclass(slots=True, eq=False)
class Item:
    """An event with what the rules need, computed once per call.

    Not frozen, and compared by identity: frozen dataclasses construct several
    times slower, and a big calendar builds one of these per event per call.
    """

    event: Event
    first: int
    last: int
    audience: int
    bodies: int
    id: int
    parent: int
    start_dt: datetime | None
    end_dt: datetime | None


Pair = tuple[Item, Item, Severity, Facts]
"""Two items a rule found, earlier first, with the clash's severity and facts."""


class Masks:
    """Bit masks for sets of words, a bit per word as first met."""

    def __init__(self) -> None:
        self._bits: dict[str, int] = {}
        self._masks: dict[frozenset[str] | tuple[str, ...], int] = {}

    def of(self, words: frozenset[str] | tuple[str, ...]) -> int:
        mask = self._masks.get(words)
        if mask is None:
            mask = 0
            for word in words:
                mask |= self._bits.setdefault(word, 1 << len(self._bits))
            self._masks[words] = mask
        return mask


def related(a: Item, b: Item) -> bool:
    """True when one event sits inside the other (a side event in its COP)."""
    return a.id == b.parent or b.id == a.parent


def spans_meet(a: Item, b: Item) -> bool:
    """Half-open UTC spans intersect: an end equal to a start is no overlap."""
    assert a.start_dt and a.end_dt and b.start_dt and b.end_dt
    return a.start_dt < b.end_dt and b.start_dt < a.end_dt


def attendees(events: Sequence[Event], today: date | None) -> list[Item]:
    """Live dated events with an audience, side events aside, in date order."""
    side, audienced = Kind.SIDE_EVENT, _AUDIENCED
    wanted = [n for n, event in enumerate(events) if event.kind in audienced
              or (event.audience and event.kind is not side)]
    items = _items(events, wanted, today, Masks(), Masks())
    return [item for item in items if item.audience]


def side_event_groups(events: Sequence[Event], today: date | None) -> Iterator[list[Item]]:
    """Live timed side events with a parent meeting: per parent, in date order.

    Groups come in the order of their earliest side event, and their items
    are built one group at a time, so that only a group's items are alive at
    once: a big calendar is mostly side events.
    """
    side = Kind.SIDE_EVENT
    floor = today.toordinal() if today is not None else 0
    rows = []
    for n, event in enumerate(events):
        if event.kind is side and event.start_dt is not None and event.parent_id is not None:
            days = live_days(event)
            if days is not None and days[1] >= floor:
                rows.append((*days, event.uid, n))
    rows.sort()
    groups: dict[int | None, list[tuple[int, int, str, int]]] = {}
    for row in rows:
        groups.setdefault(events[row[3]].parent_id, []).append(row)
    bodies = Masks()
    for group in groups.values():
        yield [_item(events[n], first, last, None, bodies) for first, last, _, n in group]


def _items(events: Sequence[Event], wanted: list[int], today: date | None,
           audiences: Masks | None, bodies: Masks) -> list[Item]:
    """Items for *events* at the *wanted* positions, live on or after *today*, in date order.

    :param audiences: the masks for audiences, or None when no rule reads them.
    """
    floor = today.toordinal() if today is not None else 0
    items = []
    for n in wanted:
        days = live_days(events[n])
        if days is not None and days[1] >= floor:
            items.append(_item(events[n], *days, audiences, bodies))
    # By (first, last, uid) in two stable sorts on keys that are not
    # containers: fewer live objects, fewer garbage-collector passes.
    items.sort(key=_uid)
    items.sort(key=_days_key)
    return items


def _uid(item: Item) -> str:
    return item.event.uid


def _days_key(item: Item) -> int:
    return item.first << 22 | item.last  # ordinals stay below 2**22


def live_days(event: Event) -> tuple[int, int] | None:
    """Local first and last day ordinals; None when undated, cancelled or postponed."""
    return None if event.status in GONE_STATUSES else local_ordinals(event)


def _item(event: Event, first: int, last: int, audiences: Masks | None, bodies: Masks) -> Item:
    audience = audiences.of(audience_of(event)) if audiences is not None else 0
    return Item(event, first, last, audience, bodies.of(event.bodies),
                _NO_ID if event.id is None else event.id,
                _NO_PARENT if event.parent_id is None else event.parent_id, event.start_dt,
                event.end_dt)
