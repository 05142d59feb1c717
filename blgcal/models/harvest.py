"""Harvest sources, their runs, where each event came from, and possible duplicates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blgcal.domain.duplicates import DuplicateState
from blgcal.domain.harvest.sources import OnVanish, RunStatus, SourceKind
from blgcal.models.base import Base, UTCDateTime, one_of, str_enum


class Source(Base):
    """A place events are harvested from: a URL, or a file an admin uploaded.

    ``window_back_days``/``window_ahead_days`` bound what is kept around the
    day of the harvest; ``on_vanish`` says what happens to an item the source
    stops listing (``cancel``: mark the event cancelled; ``keep``: leave it).
    ``trust_host`` lets this source's host be a private address (an intranet
    feed) without putting it in ``HARVEST_ALLOW_HOSTS``. ``default_kind`` is
    the kind of items the kinds rule cannot place; ``default_timezone`` the
    zone of times given in UTC without one (Indico); ``exclude_titles`` holds
    title patterns, one a line, of items not to import (registration shells);
    ``preset`` names the shipped definition the source was made from.
    """

    __tablename__ = "source"
    __table_args__ = (
        one_of("kind", SourceKind),
        one_of("on_vanish", OnVanish),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    body_slug: Mapped[str] = mapped_column(ForeignKey("body.slug"), index=True)
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind))
    url: Mapped[str | None] = mapped_column(String(1000))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    window_back_days: Mapped[int] = mapped_column(Integer, default=180)
    window_ahead_days: Mapped[int] = mapped_column(Integer, default=1095)
    on_vanish: Mapped[OnVanish] = mapped_column(str_enum(OnVanish), default=OnVanish.CANCEL)
    trust_host: Mapped[bool] = mapped_column(Boolean, default=False)
    default_kind: Mapped[str | None] = mapped_column(String(32))
    default_timezone: Mapped[str | None] = mapped_column(String(64))
    exclude_titles: Mapped[str | None] = mapped_column(Text)
    preset: Mapped[str | None] = mapped_column(String(64))
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # What the last successful parse read: sha256 of the bytes and the window.
    content_key: Mapped[str | None] = mapped_column(String(120))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    last_success_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    runs: Mapped[list[HarvestRun]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True,
        order_by="HarvestRun.id.desc()", lazy="select")

    @property
    def location(self) -> str:
        return self.url or f"uploaded file {self.file_name or '(none)'}"


class HarvestRun(Base):
    """What one pass over a source found, changed and rejected.

    ``status`` is ``ok``, ``not_modified`` (HTTP 304, or the same bytes for the
    same window) or ``failed`` (nothing was written; ``message`` says why and
    ``errors`` lists each problem with its line or item). ``changes`` lists
    the events the run added, changed, cancelled or excluded
    (``{"action", "event_id", "title", "start"}``); ``excluded`` counts the
    items the source's title patterns left out.
    """

    __tablename__ = "harvest_run"
    __table_args__ = (
        one_of("status", RunStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    started_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus))
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    excluded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))

    source: Mapped[Source] = relationship(back_populates="runs")


class Provenance(Base):
    """That an event comes from a source, as which item, and what it last said.

    ``harvested`` holds the values the harvest last wrote (or, for a field
    staff have changed since, the value before them): a field whose current
    value differs from it was changed by a person and is not overwritten.
    ``source_values`` holds what the source now says for such fields.
    """

    __tablename__ = "provenance"
    __table_args__ = (
        UniqueConstraint("source_id", "external_uid", "recurrence_id", name="uq_provenance_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    external_uid: Mapped[str] = mapped_column(String(1000))
    # '' for items that are not occurrences of a series: NULLs never clash in UNIQUE.
    recurrence_id: Mapped[str] = mapped_column(String(40), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    harvested: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    titles: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    first_seen_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    vanished_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    source: Mapped[Source] = relationship(lazy="joined")


class PossibleDuplicate(Base):
    """Two events that may be the same meeting, for an editor to decide.

    ``state`` is ``open``, ``merged`` or ``distinct``; a pair once judged
    distinct is never proposed again. ``event_a_id`` < ``event_b_id``.
    """

    __tablename__ = "possible_duplicate"
    __table_args__ = (
        UniqueConstraint("event_a_id", "event_b_id", name="uq_possible_duplicate_pair"),
        one_of("state", DuplicateState),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_a_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    event_b_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    state: Mapped[DuplicateState] = mapped_column(str_enum(DuplicateState), default=DuplicateState.OPEN,
                                                  index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(300))


class HarvestLock(Base):
    """The lock row that keeps two harvests from writing at once (SQLite).

    PostgreSQL uses an advisory lock instead. A lock whose holder died is
    taken over once ``expires_dt`` has passed.
    """

    __tablename__ = "harvest_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_dt: Mapped[datetime] = mapped_column(UTCDateTime)
