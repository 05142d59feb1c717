"""What counts as a change to an event, for SEQUENCE and for harvests.

RFC 5545 3.8.7.4: SEQUENCE is raised when the organizer makes a *significant*
revision. Calendar clients (Google above all) keep the old copy otherwise, so
every change of time, place, status or title counts; a no-op save does not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields

from blgcal.domain.types import Event

MATERIAL_FIELDS = (
    "title", "code", "status", "start_date", "end_date", "start_dt", "end_dt",
    "timezone", "city", "country", "venue", "online",
)
# Bookkeeping that says nothing about the event itself.
UNHASHED_FIELDS = frozenset({"id", "uid", "sequence", "updated_dt"})
HASHED_FIELDS = tuple(sorted(f.name for f in fields(Event) if f.name not in UNHASHED_FIELDS))


def material_fields(event: Event) -> tuple[object, ...]:
    """The values whose change raises SEQUENCE."""
    return tuple(getattr(event, name) for name in MATERIAL_FIELDS)


def is_material_change(before: Event, after: Event) -> bool:
    return material_fields(before) != material_fields(after)


def changed_fields(before: Event, after: Event) -> dict[str, tuple[object, object]]:
    """Map each differing field (bookkeeping aside) to its (before, after) pair."""
    return {
        f.name: (getattr(before, f.name), getattr(after, f.name))
        for f in fields(Event)
        if f.name not in UNHASHED_FIELDS and getattr(before, f.name) != getattr(after, f.name)
    }


def content_hash(event: Event) -> str:
    """A stable digest of everything the event says, bookkeeping aside.

    Producers such as Indico regenerate DTSTAMP on every fetch and never raise
    SEQUENCE, so harvests compare this digest instead of trusting either.

    The text hashed is what ``json.dumps(dataclasses.asdict(event))`` gave
    (sorted keys): every field is a scalar or a tuple of strings, so reading
    the fields directly yields the same JSON, without ``asdict``'s deep copy
    (five times slower, and run for every item of every harvest).
    """
    data = {name: getattr(event, name) for name in HASHED_FIELDS}
    text = json.dumps(data, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
