"""Build feeds from stored pieces: one SELECT, one join, one hash.

How a feed request gets its speed (the hottest path of the system):

1. **Pieces are built on write.** Every write stores the event's finished
   VEVENT text on its row (:mod:`blgcal.services.feeds.pieces`), so building
   a feed never runs the iCalendar serializer for events.
2. **A feed is a join.** :func:`build_feed` selects ``(id, ical, ical_tzids)``
   of the matching events in order, already text, with no ORM objects, and
   :func:`build_part` joins them after cached VTIMEZONE blocks into a part that
   feeds of the same content share; :func:`finish` puts the feed's header
   around it. The ETag is a BLAKE2 hash of the header and of the part's BLAKE2
   hash, so it is strong, the same on every worker and host, and unchanged
   when an unrelated event changes (clients then still get 304).
3. **An unchanged feed is not rebuilt.** :mod:`blgcal.services.feeds.serve`
   keeps parts keyed by their content, the day and :func:`fingerprint` (a
   cheap aggregate of the feed's own events), so a write elsewhere in the
   calendar rebuilds nothing; see :mod:`blgcal.web.feeds.http` for the HTTP side.

Cancelled and deleted events stay in feeds as STATUS:CANCELLED for
``keep_cancelled_days`` after the change, then drop; the window is the last
``past_days`` and everything ahead unless ``from``/``to`` set it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from blgcal.domain.feeds import FeedContent, FeedSpec
from blgcal.domain.filters import EventFilter
from blgcal.domain.ical import FOOTER, FeedMeta, assemble_components, feed_header, observance_component
from blgcal.domain.ical.window import FeedSettings, FeedWindow, feed_window, last_modified
from blgcal.domain.types import Observance as ObservanceData
from blgcal.domain.types import Status, Visibility
from blgcal.models import Event, EventBody, EventTag
from blgcal.services import comms, event_rows, queries, versions
from blgcal.services.feeds.pieces import piece_for

log = logging.getLogger("blgcal.feeds")
# DTSTAMP of the international days: they change only when the shipped list does.
OBSERVANCE_STAMP = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedPart:
    """A feed without its header: VTIMEZONEs and components, their digest, Last-Modified."""

    data: bytes
    digest: bytes
    last_modified: datetime
    events: int


@dataclass(frozen=True, slots=True)
class FeedBody:
    """A finished feed: header and part, strong ETag, Last-Modified and event count.

    The ETag is a BLAKE2 hash of the header and of the part's hash, so it
    changes exactly when the bytes do and costs nothing to recompute when the
    part is shared.
    """

    header: bytes
    part: FeedPart
    etag: str

    @property
    def chunks(self) -> list[bytes]:
        return [self.header, self.part.data, FOOTER]

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def last_modified(self) -> datetime:
        return self.part.last_modified

    @property
    def events(self) -> int:
        return self.part.events


def build_feed(session: Session, spec: FeedSpec, *, today: date, now: datetime,
               settings: FeedSettings) -> FeedBody:
    """Assemble *spec*'s feed from the stored pieces (see the module docstring)."""
    return finish(spec.meta, build_part(session, spec.content, today=today, now=now,
                                        settings=settings, name=spec.key))


def finish(meta: FeedMeta, part: FeedPart) -> FeedBody:
    """The feed named by *meta* around *part*."""
    header = feed_header(meta)
    return FeedBody(header, part, etag_of(header, part))


def etag_of(header: bytes, part: FeedPart) -> str:
    return hashlib.blake2b(header + part.digest, digest_size=16).hexdigest()


def build_part(session: Session, content: FeedContent, *, today: date, now: datetime,
               settings: FeedSettings, name: str = "") -> FeedPart:
    """The part of a feed that does not depend on its name: what *content* holds.

    *name* names the feed in the warning about its size.
    """
    window = window_of(content, today, settings)
    rows = session.execute(pieces_query(content, window)).all() if content.events else []
    pieces, tzids = _pieces(session, rows)
    if content.observances:
        first = date(window.first_date.year, 1, 1)
        pieces.extend(_observance_piece(o, first) for o in observance_data(session))
    plan = comms.feed_pieces(session) if content.comms_plan else []
    pieces.extend(plan)
    modified = _last_modified(session, window, settings, now)
    planned = comms.latest_change(session) if content.comms_plan else None
    if planned is not None:
        modified = max(modified, min(planned, now).replace(microsecond=0))
    data = assemble_components(pieces, tzids=tzids)
    if len(data) > settings.warn_bytes:
        log.warning("feed %s is %d KB, above %d KB: Google may drop events; narrow it "
                    "with filters or from/to", name, len(data) // 1024,
                    settings.warn_bytes // 1024)
    return FeedPart(data, hashlib.blake2b(data, digest_size=16).digest(), modified,
                    len(rows) + len(plan))


def pieces_query(content: FeedContent, window: FeedWindow) -> queries.AnySelect:
    """``(id, ical, ical_tzids)`` of the feed's events, oldest first."""
    return members(select(Event.id, Event.ical, Event.ical_tzids), content, window).order_by(
        Event.first_date, Event.start_dt, Event.last_date, Event.id)


def fingerprint_query(content: FeedContent, window: FeedWindow) -> queries.AnySelect:
    """A fingerprint of the feed's events that moves whenever its part may change
    (:func:`blgcal.services.versions.event_set_columns`; the count comes first)."""
    return members(select(*versions.event_set_columns(Event)), content, window)


def members(query: queries.AnySelect, content: FeedContent, window: FeedWindow
            ) -> queries.AnySelect:
    """*query* over the events *content*'s feed holds in *window*."""
    query = query.where(Event.first_date.is_not(None))
    if not content.include_staff:
        query = query.where(Event.visibility == Visibility.PUBLIC)
    if content.event_id is not None:
        return query.where(Event.id == content.event_id, Event.deleted_dt.is_(None))
    recently_gone = and_(or_(Event.status == Status.CANCELLED, Event.deleted_dt.is_not(None)),
                         Event.updated_dt >= window.cancelled_since)
    query = query.where(Event.last_date >= window.first_date, or_(
        and_(Event.deleted_dt.is_(None), Event.status != Status.CANCELLED), recently_gone))
    if window.last_date is not None:
        query = query.where(Event.first_date <= window.last_date)
    query = query.where(*filter_conditions(content.flt))
    if content.flt.statuses:
        # A meeting that was cancelled still shows, cancelled, in a "confirmed" feed.
        query = query.where(or_(Event.status.in_(content.flt.statuses), recently_gone))
    return query


def filter_conditions(flt: EventFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions of *flt* except dates and status, as in :func:`queries.filtered`."""
    conditions: list[ColumnElement[bool]] = []
    if flt.bodies:
        conditions.append(exists().where(EventBody.event_id == Event.id,
                                         EventBody.body_slug.in_(flt.bodies)))
    if flt.tags:
        conditions.append(exists().where(EventTag.event_id == Event.id,
                                         EventTag.tag.in_(flt.tags)))
    if flt.kinds:
        conditions.append(Event.kind.in_(flt.kinds))
    if flt.countries:
        conditions.append(Event.country.in_(flt.countries))
    for word in flt.text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(*(c.ilike(pattern, escape="\\") for c in queries.SEARCHED)))
    return conditions


def _pieces(session: Session, rows: Sequence[Any]) -> tuple[list[str], set[str]]:
    """The stored texts in order, and every TZID they use.

    A row without a stored piece (bulk-loaded, not yet rebuilt) gets one built
    here, so a feed is never missing an event; ``blgcal feeds rebuild`` makes
    that path unnecessary.
    """
    missing = [row[0] for row in rows if row[1] is None]
    built = _build_missing(session, missing) if missing else {}
    pieces: list[str] = []
    tzids: set[str] = set()
    for event_id, text, zones in rows:
        if text is None:
            text, zones = built[event_id]
        pieces.append(text)
        if zones:
            tzids.update(zones.split())
    return pieces, tzids


def _build_missing(session: Session, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    log.warning("%d events have no stored feed piece; run 'blgcal feeds rebuild'", len(ids))
    deleted = set(session.scalars(select(Event.id).where(Event.id.in_(ids),
                                                         Event.deleted_dt.is_not(None))))
    events = queries.load(session, select(*event_rows.COLUMNS).where(Event.id.in_(ids)))
    found = {}
    for data in events:
        text, zones = piece_for(data, deleted=data.id in deleted)
        assert text is not None and data.id is not None  # the query asked for dated events
        found[data.id] = (text, zones)
    return found


def observance_data(session: Session) -> list[ObservanceData]:
    return [ObservanceData(name=o.name, rrule=o.rrule, lead_body=o.lead_body, note=o.note,
                           source_url=o.source_url, slug=o.slug)
            for o in queries.observances(session)]


@lru_cache(maxsize=256)
def _observance_piece(observance: ObservanceData, first_date: date) -> str:
    return observance_component(observance, first_date, stamp_dt=OBSERVANCE_STAMP)


def _last_modified(session: Session, window: FeedWindow, settings: FeedSettings,
                   now: datetime) -> datetime:
    gone = or_(Event.status == Status.CANCELLED, Event.deleted_dt.is_not(None))
    latest, slid_out, expired = session.execute(select(
        select(func.max(Event.updated_dt)).scalar_subquery(),
        select(func.max(Event.last_date))
        .where(Event.last_date < window.first_date).scalar_subquery(),
        select(func.max(Event.updated_dt))
        .where(gone, Event.updated_dt < window.cancelled_since).scalar_subquery(),
    )).one()
    return last_modified(latest, window=window, settings=settings,
                         latest_gone_before_window=slid_out,
                         latest_expired_cancellation=expired, now=now)


def count_events(session: Session, content: FeedContent, *, today: date,
                 settings: FeedSettings) -> int:
    """How many events a feed of *content* holds today (observances not counted)."""
    return int(session.execute(fingerprint_query(content, window_of(content, today, settings))
                               ).one()[0])


def fingerprint(session: Session, content: FeedContent, *, today: date,
                settings: FeedSettings) -> str:
    """The fingerprint of *content*'s events today (see :func:`fingerprint_query`)."""
    row = session.execute(fingerprint_query(content, window_of(content, today, settings))).one()
    return versions.spelled(row)


def window_of(content: FeedContent, today: date, settings: FeedSettings) -> FeedWindow:
    return feed_window(content.flt.date_from, content.flt.date_to, today=today, settings=settings)
