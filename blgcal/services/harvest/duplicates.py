"""Find an existing event a harvested item duplicates; list and resolve unsure pairs.

The rule and its index are pure (:mod:`blgcal.domain.duplicates`); this
module only gathers the candidates once per harvest, in one query, and keeps
the editors' list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from blgcal.domain.duplicates import Candidates, DuplicateState
from blgcal.domain.harvest.merge import restate
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.types import Event as EventData
from blgcal.models import Event, PossibleDuplicate, Provenance
from blgcal.services.event_rows import to_domain
from blgcal.services.events import delete_event
from blgcal.services.history import Actor

#: The columns the rule reads: candidates are loaded as these plain values, not as rows.
COMPARED = (Event.id, Event.uid, Event.title, Event.code, Event.city, Event.timezone,
            Event.start_date, Event.end_date, Event.start_dt, Event.end_dt)


def candidates(session: Session, window: HarvestWindow, *, source_id: int) -> Candidates:
    """Live dated events overlapping *window*, except those this source provides."""
    own = select(Provenance.event_id).where(Provenance.source_id == source_id)
    query = select(*COMPARED).where(Event.deleted_dt.is_(None), Event.first_date <= window.last_date,
                                    Event.last_date >= window.first_date, Event.id.not_in(own))
    return Candidates(EventData(bodies=(), **row._asdict()) for row in session.execute(query))


def add_pair(session: Session, a: int, b: int, *, reason: str, now: datetime) -> None:
    """Put (a, b) on the list unless the pair is already there (in any state)."""
    low, high = sorted((a, b))
    exists = session.scalar(select(PossibleDuplicate.id).where(
        PossibleDuplicate.event_a_id == low, PossibleDuplicate.event_b_id == high))
    if exists is None:
        session.add(PossibleDuplicate(event_a_id=low, event_b_id=high, reason=reason[:500],
                                      state=DuplicateState.OPEN, created_dt=now))


def open_pairs(session: Session) -> Sequence[PossibleDuplicate]:
    """Unresolved pairs, oldest first."""
    query = select(PossibleDuplicate).where(PossibleDuplicate.state == DuplicateState.OPEN)
    return session.scalars(query.order_by(PossibleDuplicate.id)).all()


def pair_events(session: Session, pair: PossibleDuplicate) -> tuple[Event, Event]:
    a, b = session.get(Event, pair.event_a_id), session.get(Event, pair.event_b_id)
    assert a is not None and b is not None  # rows cascade with their events
    return a, b


def mark_distinct(session: Session, pair: PossibleDuplicate, *, now: datetime,
                  actor: Actor) -> None:
    """Record that the two events are different meetings; never propose them again."""
    pair.state, pair.resolved_dt, pair.resolved_by = DuplicateState.DISTINCT, now, actor.label
    session.flush()


def merge_pair(session: Session, pair: PossibleDuplicate, *, now: datetime,
               actor: Actor) -> Event:
    """Keep the older event, move the other's provenance onto it, trash the other.

    The kept event's values stay; the moved sources' differing values show
    as "the source now says" on its page.
    """
    keep, drop = pair_events(session, pair)
    current = to_domain(keep)
    for row in session.scalars(select(Provenance).where(Provenance.event_id == drop.id)):
        row.event_id = keep.id
        row.source_values = restate(current, row.harvested, row.source_values)
    delete_event(session, drop, now=now, actor=actor)
    pair.state, pair.resolved_dt, pair.resolved_by = DuplicateState.MERGED, now, actor.label
    session.execute(update(PossibleDuplicate).where(
        PossibleDuplicate.state == DuplicateState.OPEN,
        or_(PossibleDuplicate.event_a_id == drop.id, PossibleDuplicate.event_b_id == drop.id))
        .values(state=DuplicateState.MERGED, resolved_dt=now, resolved_by=actor.label))
    session.flush()
    return keep
