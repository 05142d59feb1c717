"""Find an existing event a harvested item duplicates; list and resolve unsure pairs.

The rule itself is pure (:mod:`blgcal.domain.duplicates`); this module only
gathers candidates once per harvest and keeps the editors' list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from blgcal.domain.duplicates import Verdict, city_key, code_key, compare, title_key
from blgcal.domain.harvest.merge import restate
from blgcal.domain.types import Event as EventData
from blgcal.models import Event, PossibleDuplicate, Provenance
from blgcal.services.event_rows import to_domain
from blgcal.services.events import delete_event
from blgcal.services.history import Actor


class Candidates:
    """Dated events around a window, indexed by code, title and city."""

    def __init__(self, events: Iterable[EventData]) -> None:
        self._index: dict[tuple[str, str], list[EventData]] = defaultdict(list)
        for event in events:
            for key in self._keys(event):
                self._index[key].append(event)

    @staticmethod
    def _keys(event: EventData) -> list[tuple[str, str]]:
        pairs = [("code", code_key(event.code)), ("title", title_key(event.title)),
                 ("city", city_key(event.city))]
        return [(name, value) for name, value in pairs if value is not None]

    def match(self, event: EventData, *, taken: set[int]) -> tuple[EventData, Verdict] | None:
        """The best match for *event*: a sure one first, else an unsure one."""
        found: dict[int, EventData] = {}
        for key in self._keys(event):
            found.update({c.id: c for c in self._index.get(key, ()) if c.id is not None})
        verdicts = [(c, v) for c in found.values() if c.id not in taken
                    and (v := compare(event, c)) is not None]
        verdicts.sort(key=lambda pair: (not pair[1].same, pair[0].id))
        return verdicts[0] if verdicts else None


def candidates(session: Session, window: tuple[date, date], *, source_id: int) -> Candidates:
    """Live dated events overlapping *window*, except those this source provides."""
    own = select(Provenance.event_id).where(Provenance.source_id == source_id)
    query = select(Event).where(Event.deleted_dt.is_(None), Event.first_date < window[1],
                                Event.last_date >= window[0], Event.id.not_in(own))
    return Candidates(to_domain(row) for row in session.scalars(query))


def add_pair(session: Session, a: int, b: int, *, reason: str, now: datetime) -> None:
    """Put (a, b) on the list unless the pair is already there (in any state)."""
    low, high = sorted((a, b))
    exists = session.scalar(select(PossibleDuplicate.id).where(
        PossibleDuplicate.event_a_id == low, PossibleDuplicate.event_b_id == high))
    if exists is None:
        session.add(PossibleDuplicate(event_a_id=low, event_b_id=high, reason=reason[:500],
                                      state="open", created_dt=now))


def open_pairs(session: Session) -> Sequence[PossibleDuplicate]:
    """Unresolved pairs, oldest first."""
    query = select(PossibleDuplicate).where(PossibleDuplicate.state == "open")
    return session.scalars(query.order_by(PossibleDuplicate.id)).all()


def pair_events(session: Session, pair: PossibleDuplicate) -> tuple[Event, Event]:
    a, b = session.get(Event, pair.event_a_id), session.get(Event, pair.event_b_id)
    assert a is not None and b is not None  # rows cascade with their events
    return a, b


def mark_distinct(session: Session, pair: PossibleDuplicate, *, now: datetime,
                  actor: Actor) -> None:
    """Record that the two events are different meetings; never propose them again."""
    pair.state, pair.resolved_dt, pair.resolved_by = "distinct", now, actor.label
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
    pair.state, pair.resolved_dt, pair.resolved_by = "merged", now, actor.label
    session.execute(update(PossibleDuplicate).where(
        PossibleDuplicate.state == "open",
        or_(PossibleDuplicate.event_a_id == drop.id, PossibleDuplicate.event_b_id == drop.id))
        .values(state="merged", resolved_dt=now, resolved_by=actor.label))
    session.flush()
    return keep
