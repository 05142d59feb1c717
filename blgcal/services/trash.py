"""The trash: soft-deleted events, restorable until an admin purges them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain import snapshots
from blgcal.models import Event
from blgcal.services.event_rows import to_domain
from blgcal.services.history import Actor, record


def trashed(session: Session) -> Sequence[Event]:
    """Deleted events, most recently deleted first."""
    query = select(Event).where(Event.deleted_dt.is_not(None))
    return session.scalars(query.order_by(Event.deleted_dt.desc())).all()


def can_purge(row: Event, *, now: datetime, after_days: int) -> bool:
    return row.deleted_dt is not None and now - row.deleted_dt > timedelta(days=after_days)


def purge(session: Session, row: Event, *, now: datetime, actor: Actor, after_days: int) -> bool:
    """Delete the row for good once it has been in the trash long enough.

    Its revisions stay in the audit trail, keyed by the event's UID.
    """
    if not can_purge(row, now=now, after_days=after_days):
        return False
    record(session, row, action="purge", actor=actor, now=now, changes={},
           state=snapshots.snapshot(to_domain(row)))
    session.flush()
    session.delete(row)
    session.flush()
    return True
