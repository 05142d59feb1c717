"""Write one parsed source into the calendar: create, update, vanish, provenance.

Built for 10,000-item sources: the source's provenance is read in one query
of plain columns, unchanged items (same content hash) cost no query at all,
only changed and vanished items load their rows, and new events are
inserted in bulk (each still with its creation revision).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import InstrumentedAttribute, Session

from blgcal.domain import snapshots
from blgcal.domain.harvest.merge import Decision, decide, incoming, item_hash, state, vanish
from blgcal.domain.harvest.records import HarvestedItem
from blgcal.domain.harvest.sources import OnVanish, SourceKind
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.ids import stable_uid
from blgcal.domain.types import Event as EventData
from blgcal.models import Event, EventBody, EventTag, Provenance, Revision, Source
from blgcal.services.event_rows import content_values, to_domain
from blgcal.services.events import save_event
from blgcal.services.feeds.pieces import piece_for
from blgcal.services.harvest import duplicates
from blgcal.services.history import Actor, revision_values

CHUNK = 500
Key = tuple[str, str]
#: The namespace of a kind's UIDs when it is not the kind's own name.
UID_NAMESPACE = {SourceKind.CSV: "meeting"}


class DropRefused(Exception):
    """The source suddenly lists far fewer items than before: nothing is written."""


@dataclass
class Counts:
    """How many items did what, and which events (``changes``: action, event id, title)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    merged: int = 0
    changes: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Known:
    """What the unchanged check needs of a provenance row of the source, and its event's days."""

    id: int
    content_hash: str
    vanished: bool
    days: tuple[date, date] | None


def key(item: HarvestedItem) -> Key:
    return item.external_uid, item.recurrence_id or ""


def event_uid(kind: SourceKind, item: HarvestedItem) -> str:
    """The blgcal UID of an item: the same external identity gives the same event.

    CSV rows share the seed's namespace, so a spreadsheet that lists a
    shipped meeting finds it rather than copying it.
    """
    suffix = f"#{item.recurrence_id}" if item.recurrence_id else ""
    return stable_uid(UID_NAMESPACE.get(kind, kind), item.external_uid + suffix)


def apply_result(session: Session, source: Source, items: Sequence[HarvestedItem], *,
                 now: datetime, window: HarvestWindow, max_drop: float,
                 accept_drop: bool = False, origin: str = "harvest") -> Counts:
    """Bring the calendar in line with *items*; raise DropRefused before writing."""
    known = preload(session, source.id)
    items = [item for item in items if window.contains(item.event.local_days())]
    seen = {key(item) for item in items}
    live = [name for name, k in known.items() if not k.vanished and window.contains(k.days)]
    gone = [name for name in live if name not in seen]
    check_drop(len(gone), live=len(live), max_drop=max_drop, accept=accept_drop)
    actor, counts = actor_for(source, origin), Counts()
    fresh = [item for item in items if key(item) not in known]
    changed = [(item, digest) for item in items if (k := known.get(key(item))) is not None
               and ((digest := item_hash(item)) != k.content_hash or k.vanished)]
    counts.unchanged = len(items) - len(fresh) - len(changed)
    rows: dict[int, Provenance] = rows_by(session, Provenance.id, [
        known[key(item)].id for item, _ in changed] + [known[name].id for name in gone])
    update_changed(session, [(item, rows[known[key(item)].id], digest) for item, digest in changed],
                   now=now, actor=actor, counts=counts)
    vanished = [rows[known[name].id] for name in gone]
    if source.on_vanish == OnVanish.CANCEL:
        cancel_gone(session, vanished, now=now, actor=actor, counts=counts)
    for row in vanished:
        row.vanished_dt = now
    create_fresh(session, source, fresh, now=now, window=window, actor=actor, counts=counts,
                 origin=origin)
    mark_seen(session, [known[name].id for name in seen if name in known], now)
    return counts


def actor_for(source: Source, origin: str) -> Actor:
    """``harvest: <source name>`` for harvests; imports are made from the command line."""
    if origin == "harvest":
        return Actor(f"harvest: {source.name}", "harvest")
    return Actor(f"blgcal import {source.file_name or source.name}", "cli")


def preload(session: Session, source_id: int) -> dict[Key, Known]:
    """Every provenance row of the source with its event's days, in one query of plain columns."""
    query = (select(Provenance.external_uid, Provenance.recurrence_id, Provenance.id,
                    Provenance.content_hash, Provenance.vanished_dt, Event.first_date,
                    Event.last_date)
             .join(Event, Event.id == Provenance.event_id)
             .where(Provenance.source_id == source_id))
    return {(uid, recurrence): Known(row_id, digest, vanished is not None,
                                     (first, last) if first is not None and last is not None
                                     else None)
            for uid, recurrence, row_id, digest, vanished, first, last in session.execute(query)}


def check_drop(gone: int, *, live: int, max_drop: float, accept: bool) -> None:
    if accept or gone == 0 or gone <= live * max_drop:
        return
    raise DropRefused(
        f"the source no longer lists {gone} of the {live} items it listed last time "
        f"(more than {max_drop:.0%}); nothing was changed. If this is right, run "
        "'blgcal harvest --accept-drop' for this source")


def update_changed(session: Session, changed: list[tuple[HarvestedItem, Provenance, str]], *,
                   now: datetime, actor: Actor, counts: Counts) -> None:
    rows: dict[int, Event] = rows_by(session, Event.id, [prov.event_id for _, prov, _ in changed])
    for item, prov, digest in changed:
        row = rows[prov.event_id]
        decision = decide(to_domain(row), prov.harvested, incoming(item))
        _, saved = save_event(session, decision.event, now=now, actor=actor, row=row)
        remember(prov, decision, digest=digest, titles=item.titles)
        prov.vanished_dt = None
        counts.updated += saved
        counts.unchanged += not saved
        if saved:
            counts.changes.append(("changed", row.id, row.title))


def cancel_gone(session: Session, gone: list[Provenance], *, now: datetime, actor: Actor,
                counts: Counts) -> None:
    """Cancel events no live source lists any more (never delete them)."""
    ids = [prov.event_id for prov in gone]
    rows: dict[int, Event] = rows_by(session, Event.id, ids)
    others = other_sources(session, ids, gone)
    for prov in gone:
        if prov.event_id in others:
            continue
        row = rows[prov.event_id]
        decision = vanish(to_domain(row), prov.harvested)
        _, saved = save_event(session, decision.event, now=now, actor=actor, row=row)
        prov.harvested, prov.source_values = decision.harvested, decision.held
        counts.cancelled += saved
        if saved:
            counts.changes.append(("cancelled", row.id, row.title))


def other_sources(session: Session, ids: list[int], gone: list[Provenance]) -> set[int]:
    """Events among *ids* that another live provenance still vouches for."""
    mine = {prov.id for prov in gone}
    found: set[int] = set()
    for condition in among(session, Provenance.event_id, ids):
        query = select(Provenance.event_id, Provenance.id).where(
            condition, Provenance.vanished_dt.is_(None))
        found |= {event_id for event_id, prov_id in session.execute(query) if prov_id not in mine}
    return found


def remember(prov: Provenance, decision: Decision, *, digest: str,
             titles: Iterable[tuple[str, str]]) -> None:
    prov.harvested, prov.source_values = decision.harvested, decision.held
    prov.content_hash, prov.titles = digest, [list(pair) for pair in titles]


def create_fresh(session: Session, source: Source, fresh: list[HarvestedItem], *,
                 now: datetime, window: HarvestWindow, actor: Actor, counts: Counts,
                 origin: str) -> None:
    """Attach items to the events they already are; create the rest in bulk."""
    if not fresh:
        return
    uids = {id(item): event_uid(source.kind, item) for item in fresh}
    existing: dict[str, Event] = rows_by(session, Event.uid, list(uids.values()))
    pool = duplicates.candidates(session, window, source_id=source.id)
    taken: set[int] = set()
    new: list[tuple[HarvestedItem, EventData]] = []
    pairs: list[tuple[int, HarvestedItem, str]] = []
    for item in fresh:
        # As it will be stored: a new event starts at SEQUENCE 0, changed now.
        said = incoming(item, uid=uids[id(item)], sequence=0, updated_dt=now)
        row = existing.get(said.uid)
        match = None if row else pool.match(said, taken=taken)
        if row is None and match and match[1].same:
            row = session.get(Event, match[0].id)
        if row is not None:
            taken.add(row.id)
            attach(session, source, item, row, now=now)
            counts.merged += 1
            counts.changes.append(("matched", row.id, row.title))
            continue
        new.append((item, said))
        if match:
            pairs.append((match[0].id or 0, item, match[1].reason))
    created = bulk_create(session, source, new, now=now, actor=actor, origin=origin)
    counts.new += len(created)
    counts.changes += [("added", created[key(item)], said.title) for item, said in new]
    for other, item, reason in pairs:
        duplicates.add_pair(session, other, created[key(item)], reason=reason, now=now)


def attach(session: Session, source: Source, item: HarvestedItem, row: Event, *,
           now: datetime) -> None:
    """Record that *row* is also this source's item; its own values stay."""
    said = incoming(item)
    decision = decide(to_domain(row), state(said), said)
    session.add(Provenance(event_id=row.id, source_id=source.id, external_uid=item.external_uid,
                           recurrence_id=item.recurrence_id or "", content_hash=item_hash(item),
                           harvested=decision.harvested, source_values=decision.held,
                           titles=[list(pair) for pair in item.titles], first_seen_dt=now,
                           last_seen_dt=now))


def bulk_create(session: Session, source: Source, new: list[tuple[HarvestedItem, EventData]], *,
                now: datetime, actor: Actor, origin: str) -> dict[Key, int]:
    """Insert events, organisers, tags, creation revisions and provenance in bulk.

    Plain executemany (RETURNING, through insertmanyvalues, is slower on both
    engines). UIDs are unique, so the new ids are read back by UID: whatever
    ids the engine gave (a PostgreSQL sequence may hand out ids below rows
    that were loaded with ids of their own).
    """
    if not new:
        return {}
    many(session, Event, [event_values(event, now=now, origin=origin) for _, event in new])
    by_uid: dict[str, int] = {}
    for condition in among(session, Event.uid, [event.uid for _, event in new]):
        by_uid.update({uid: row_id for uid, row_id in
                       session.execute(select(Event.uid, Event.id).where(condition))})
    pairs = [(by_uid[event.uid], (item, event)) for item, event in new]
    many(session, EventBody, [{"event_id": i, "body_slug": slug, "position": n}
                              for i, (_, e) in pairs for n, slug in enumerate(e.bodies)])
    many(session, EventTag, [{"event_id": i, "tag": tag} for i, (_, e) in pairs for tag in e.tags])
    revisions, provenance = [], []
    for event_id, (item, event) in pairs:
        snapshot = snapshots.snapshot(event)  # ids are not snapshotted
        revisions.append(revision_values(event_id, event.uid, action="create", actor=actor, now=now,
                                         changes={}, state=snapshot))
        provenance.append(provenance_values(source.id, event_id, item, event, snapshot, now=now))
    many(session, Revision, revisions)
    many(session, Provenance, provenance)
    return {key(item): event_id for event_id, (item, _) in pairs}


def event_values(event: EventData, *, now: datetime, origin: str) -> dict[str, Any]:
    """The column values ``save_event`` would write for a new event, its feed piece too.

    *event* is as stored: SEQUENCE 0, changed *now*.
    """
    ical, tzids = piece_for(event)
    return {**content_values(event), "origin": origin, "sequence": 0, "version": 1,
            "created_dt": now, "updated_dt": now, "ical": ical, "ical_tzids": tzids}


def provenance_values(source_id: int, event_id: int, item: HarvestedItem, event: EventData,
                      snapshot: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    return {"event_id": event_id, "source_id": source_id, "external_uid": item.external_uid,
            "recurrence_id": item.recurrence_id or "", "content_hash": item_hash(item, event),
            "harvested": state(event, snapshot), "source_values": {},
            "titles": [list(pair) for pair in item.titles], "first_seen_dt": now,
            "last_seen_dt": now, "vanished_dt": None}


def many(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """One executemany on the table, on the session's connection (Core: no ORM bookkeeping)."""
    if rows:
        session.connection().execute(insert(model.__table__), rows)


def rows_by(session: Session, column: InstrumentedAttribute[Any],
            values: list[Any]) -> dict[Any, Any]:
    """The rows whose *column* is one of *values*, keyed by it."""
    found: dict[Any, Any] = {}
    for condition in among(session, column, values):
        query = select(column.class_).where(condition)
        found.update({getattr(row, column.key): row for row in session.scalars(query)})
    return found


def mark_seen(session: Session, ids: list[int], now: datetime) -> None:
    for condition in among(session, Provenance.id, ids):
        session.execute(update(Provenance).where(condition)
                        .values(last_seen_dt=now).execution_options(synchronize_session=False))


def among(session: Session, column: InstrumentedAttribute[Any],
          values: list[Any]) -> Iterator[ColumnElement[bool]]:
    """Conditions that together select the rows whose *column* is one of *values*.

    PostgreSQL gets them all as one array parameter (``= ANY``), which it
    binds and plans about ten times faster than a long IN list; other
    engines get IN lists of :data:`CHUNK` values.
    """
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam(None, values, type_=postgresql.ARRAY(column.type)))
        return
    for start in range(0, len(values), CHUNK):
        yield column.in_(values[start:start + CHUNK])

