"""Decide what a harvest writes over an event that staff may have edited.

The rule: for each field the harvest manages, the provenance row remembers
what the harvest last wrote (``harvested``). A field whose current value
differs from that was changed since by someone else (a person, or another
source of a merged event): it keeps its value, and what the source now says
is held beside it so the event page can show "the source now says X". Every
other field takes the source's new value. The dates are one unit: a person
who moved the start keeps the end too, so an event is never half-moved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from blgcal.domain.changes import content_hash
from blgcal.domain.harvest.records import HarvestedItem
from blgcal.domain.snapshots import to_json
from blgcal.domain.types import Event, Status

WHEN = ("start_date", "end_date", "start_dt", "end_dt", "expected")
SINGLE = ("title", "code", "kind", "status", "visibility", "timezone", "city", "country",
          "venue", "online", "url", "description", "source_url", "tags", "audience")
# Units of fields the harvest writes; bodies and parent are left to people.
UNITS: tuple[tuple[str, ...], ...] = (WHEN, *((name,) for name in SINGLE))
MANAGED = WHEN + SINGLE


@dataclass(frozen=True, slots=True)
class Decision:
    """The event to save, the new ``harvested`` record and the held-back values."""

    event: Event
    harvested: dict[str, Any]
    held: dict[str, Any]


def incoming(item: HarvestedItem, **changes: Any) -> Event:
    """The event as the source states it (its page as ``source_url``), with *changes*."""
    event, tags = item.event, tuple(sorted(set(item.event.tags)))
    if event.source_url != item.source_url or event.tags != tags:
        changes.update(source_url=item.source_url, tags=tags)
    return replace(event, **changes) if changes else event


def item_hash(item: HarvestedItem, said: Event | None = None) -> str:
    """A digest of what the item says: DTSTAMP, SEQUENCE and UIDs aside.

    :param said: ``incoming(item)`` if already built (UID and id do not count).
    """
    digest = content_hash(said if said is not None else incoming(item))
    if not item.titles:
        return digest
    titles = json.dumps(item.titles, ensure_ascii=False)
    return hashlib.sha256(f"{digest}\0{titles}".encode()).hexdigest()


def state(event: Event, snapshot: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The managed fields of *event*, as JSON.

    :param snapshot: ``snapshots.snapshot(event)`` if already built.
    """
    if snapshot is not None:
        return {name: snapshot[name] for name in MANAGED}
    return {name: to_json(name, getattr(event, name)) for name in MANAGED}


def decide(current: Event, harvested: Mapping[str, Any], said: Event) -> Decision:
    """Merge what the source now *said* into *current*, staff edits first."""
    now, new = state(current), state(said)
    values: dict[str, Any] = {}
    record: dict[str, Any] = {}
    held: dict[str, Any] = {}
    for unit in UNITS:
        if _changed_by_others(unit, now, harvested):
            record.update({name: harvested[name] for name in unit})
            held.update({name: new[name] for name in unit if new[name] != now[name]})
        else:
            values.update({name: getattr(said, name) for name in unit})
            record.update({name: new[name] for name in unit})
    return Decision(replace(current, **values), record, held)


def vanish(current: Event, harvested: Mapping[str, Any]) -> Decision:
    """The source no longer lists the event: it says "cancelled" (staff-set status wins)."""
    return decide(current, harvested, replace(current, status=Status.CANCELLED))


def _changed_by_others(unit: tuple[str, ...], now: Mapping[str, Any],
                       harvested: Mapping[str, Any]) -> bool:
    return any(name in harvested and harvested[name] != now[name] for name in unit)


def restate(current: Event, harvested: Mapping[str, Any], held: Mapping[str, Any]) -> dict[str, Any]:
    """What the source says that differs from *current* (after a merge moved it)."""
    says = {**harvested, **held}
    now = state(current)
    return {name: value for name, value in says.items() if name in now and value != now[name]}
