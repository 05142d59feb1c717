"""Each event's VEVENT text, built once per write and stored on the row.

This is where feeds get their speed. :func:`store_piece` runs inside every
write of :mod:`blgcal.services.events` (save, cancel, delete, restore,
revert), so the piece builder (about 0.02 ms an event, byte for byte what
``icalendar``'s serializer writes in 0.3 ms) runs once per change instead of
once per event per feed request. A feed is then one
SELECT of stored text and a ``b"".join`` (:mod:`blgcal.services.feeds.build`).

A deleted event keeps a piece that says STATUS:CANCELLED (the deletion
raised its SEQUENCE), so subscribers see it cancelled before it drops out.
Rows written in bulk (benchmarks, restores of old backups, an upgrade that
changes the builder) get their pieces from :func:`rebuild_pieces`, which
``blgcal feeds rebuild`` and migration 0004 run.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from blgcal.domain.ical import event_component
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Status
from blgcal.models import Event
from blgcal.services import event_rows, queries


def piece_for(data: EventData, *, deleted: bool = False) -> tuple[str | None, str | None]:
    """The ``(ical, ical_tzids)`` column values for *data*; None for undated events."""
    if not data.dated:
        return None, None
    if deleted:
        data = replace(data, status=Status.CANCELLED)
    piece = event_component(data)
    return piece.text, " ".join(piece.tzids) or None


def store_piece(row: Event, data: EventData) -> None:
    """Set *row*'s stored piece from *data*, its domain view after the write."""
    row.ical, row.ical_tzids = piece_for(data, deleted=row.deleted_dt is not None)


_EVENT: Table = Event.__table__  # type: ignore[assignment]
_UPDATE = (update(_EVENT)
           .where(_EVENT.c.id == bindparam("b_id"))
           .values(ical=bindparam("b_ical"), ical_tzids=bindparam("b_tzids")))


def rebuild_pieces(session: Session, *, batch: int = 1000, missing_only: bool = False) -> int:
    """Rebuild every event's stored piece (or only those without one); return how many.

    Reads plain columns (no ORM objects, no version bump) in batches: for
    ``blgcal feeds rebuild``, and after an upgrade for rows a migration added.
    """
    query = select(Event.id).order_by(Event.id)
    if missing_only:  # undated events have no piece: feeds carry dated events only
        query = query.where(Event.ical.is_(None), Event.first_date.is_not(None))
    ids = list(session.scalars(query))
    deleted = set(session.scalars(select(Event.id).where(Event.deleted_dt.is_not(None))))
    for first in range(0, len(ids), batch):
        chunk = ids[first:first + batch]
        events = queries.load(session, select(*event_rows.COLUMNS).where(Event.id.in_(chunk)))
        values = []
        for data in events:
            text, tzids = piece_for(data, deleted=data.id in deleted)
            values.append({"b_id": data.id, "b_ical": text, "b_tzids": tzids})
        if values:
            session.execute(_UPDATE, values)
    return len(ids)
