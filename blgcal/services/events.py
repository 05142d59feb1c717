"""Convert between rows and domain events, and save events with SEQUENCE rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from blgcal.domain import changes
from blgcal.domain.types import Event as EventData
from blgcal.models import Event, EventBody, EventTag

# Columns copied one to one between the row and the domain event.
PLAIN_FIELDS = (
    "uid", "code", "title", "kind", "status", "visibility", "start_date", "end_date",
    "start_dt", "end_dt", "expected", "timezone", "city", "country", "venue", "online",
    "url", "description", "parent_id", "source_url",
)


def to_domain(row: Event) -> EventData:
    """The domain view of *row*."""
    values = {name: getattr(row, name) for name in PLAIN_FIELDS}
    return EventData(id=row.id, bodies=row.bodies, tags=row.tags,
                     audience=tuple(row.audience or ()), sequence=row.sequence,
                     updated_dt=row.updated_dt, **values)


def to_domain_all(rows: Iterable[Event]) -> list[EventData]:
    return [to_domain(row) for row in rows]


def save_event(session: Session, data: EventData, *, now: datetime,
               row: Event | None = None, origin: str = "manual") -> tuple[Event, bool]:
    """Create or update the row for *data*; return it and whether anything changed.

    SEQUENCE rises only on a material change (RFC 5545 3.8.7.4) and
    ``updated_dt`` moves only when something changed, so a no-op save leaves
    the event's feed bytes exactly as they were.
    """
    data = replace(data, tags=tuple(sorted(set(data.tags))))
    if row is None:
        row = Event(uid=data.uid, created_dt=now, updated_dt=now, sequence=0, origin=origin)
        session.add(row)
        _apply(row, data)
        session.flush()
        return row, True
    before = to_domain(row)
    after = replace(data, id=row.id, uid=row.uid, sequence=row.sequence,
                    updated_dt=row.updated_dt)
    if not changes.changed_fields(before, after):
        return row, False
    if changes.is_material_change(before, after):
        row.sequence += 1
    _apply(row, after)
    row.updated_dt = now
    session.flush()
    return row, True


def _apply(row: Event, data: EventData) -> None:
    for name in PLAIN_FIELDS:
        if name != "uid":
            setattr(row, name, getattr(data, name))
    row.audience = list(data.audience)
    days = data.local_days()
    row.first_date, row.last_date = days if days else (None, None)
    if row.bodies != data.bodies:
        row.organisers = [EventBody(body_slug=slug, position=i) for i, slug in enumerate(data.bodies)]
    if row.tags != data.tags:
        row.tag_rows = [EventTag(tag=tag) for tag in data.tags]
