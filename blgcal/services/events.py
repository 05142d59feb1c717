"""Save, cancel, delete, restore and revert events (the mapping is :mod:`event_rows`).

Every change writes a revision (who, when, through what, each field before
and after). SEQUENCE rises only on a material change (RFC 5545 3.8.7.4) and
``updated_dt`` moves only when something changed, so a no-op save leaves the
event's feed bytes exactly as they were.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from blgcal.domain import changes, snapshots
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Status
from blgcal.models import Event, EventBody, EventTag, Revision
from blgcal.services.event_rows import content_values, to_domain
from blgcal.services.feeds.pieces import store_piece
from blgcal.services.history import Actor, record


class StaleEdit(Exception):
    """The edit was based on an older version of the event than the stored one."""

    def __init__(self, row: Event) -> None:
        super().__init__(f"event {row.id} is at version {row.version}")
        self.row = row


def save_event(session: Session, data: EventData, *, now: datetime, actor: Actor,
               row: Event | None = None, origin: str = "manual",
               expected_version: int | None = None, action: str | None = None
               ) -> tuple[Event, bool]:
    """Create or update the row for *data*; return it and whether anything changed.

    :param expected_version: the version the editor saw; a different stored
        version raises :class:`StaleEdit` and nothing is written.
    """
    data = replace(data, tags=tuple(sorted(set(data.tags))))
    if row is None:
        row = Event(uid=data.uid, created_dt=now, updated_dt=now, sequence=0, origin=origin)
        session.add(row)
        _apply(row, data)
        session.flush()
        record(session, row, action=action or "create", actor=actor, now=now,
               changes={}, state=snapshots.snapshot(to_domain(row)))
        return row, True
    if expected_version is not None and expected_version != row.version:
        raise StaleEdit(row)
    before = to_domain(row)
    after = replace(data, id=row.id, uid=row.uid, sequence=row.sequence,
                    updated_dt=row.updated_dt)
    changed = changes.changed_fields(before, after)
    if not changed:
        return row, False
    if changes.is_material_change(before, after):
        row.sequence += 1
    row.updated_dt = now
    _apply(row, after)
    session.flush()
    record(session, row, action=action or _action(before, after), actor=actor, now=now,
           changes=snapshots.diff(changed), state=snapshots.snapshot(to_domain(row)))
    return row, True


def _action(before: EventData, after: EventData) -> str:
    if after.status is Status.CANCELLED and before.status is not Status.CANCELLED:
        return "cancel"
    return "update"


def cancel_event(session: Session, row: Event, *, now: datetime, actor: Actor) -> bool:
    """Mark the event cancelled (it stays in feeds as STATUS:CANCELLED)."""
    _, changed = save_event(session, replace(to_domain(row), status=Status.CANCELLED),
                            now=now, actor=actor, row=row)
    return changed


def delete_event(session: Session, row: Event, *, now: datetime, actor: Actor) -> None:
    """Move the event to the trash; it can be restored until an admin purges it."""
    if row.deleted_dt is not None:
        return
    row.deleted_dt = row.updated_dt = now
    row.sequence += 1  # feeds show it cancelled for a while: a material change
    store_piece(row, to_domain(row))
    session.flush()
    record(session, row, action="delete", actor=actor, now=now,
           changes={"deleted": [False, True]}, state=snapshots.snapshot(to_domain(row)))


def restore_event(session: Session, row: Event, *, now: datetime, actor: Actor) -> None:
    """Take the event out of the trash."""
    if row.deleted_dt is None:
        return
    row.deleted_dt = None
    row.updated_dt = now
    row.sequence += 1
    store_piece(row, to_domain(row))
    session.flush()
    record(session, row, action="restore", actor=actor, now=now,
           changes={"deleted": [True, False]}, state=snapshots.snapshot(to_domain(row)))


def revert_event(session: Session, row: Event, revision: Revision, *, now: datetime,
                 actor: Actor) -> bool:
    """Bring the event back to its state right after *revision*."""
    target = state_after(revision, row)
    _, changed = save_event(session, target, now=now, actor=actor, row=row,
                            action=f"revert to #{revision.id}")
    return changed


def state_after(revision: Revision, row: Event) -> EventData:
    """The event as it was right after *revision* (bookkeeping stays *row*'s)."""
    if revision.event_id != row.id:
        raise ValueError("the revision belongs to another event")
    return snapshots.restore(revision.snapshot, to_domain(row))


def _apply(row: Event, data: EventData) -> None:
    for name, value in content_values(data).items():
        if name != "uid":
            setattr(row, name, value)
    if row.bodies != data.bodies:
        row.organisers = [EventBody(body_slug=slug, position=i) for i, slug in enumerate(data.bodies)]
    if row.tags != data.tags:
        row.tag_rows = [EventTag(tag=tag) for tag in data.tags]
    store_piece(row, to_domain(row))
