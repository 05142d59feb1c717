"""Bodies, events and observances."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blgcal.domain.types import Kind, Status, Visibility
from blgcal.models.base import Base, UTCDateTime


def _enum(cls: type, name: str) -> Enum:
    """Store enums by value, as plain strings with a CHECK constraint."""
    return Enum(cls, name=name, native_enum=False, length=32, create_constraint=True,
                values_callable=lambda members: [m.value for m in members])


class Body(Base):
    """A convention secretariat or related organisation, keyed by its slug."""

    __tablename__ = "body"

    slug: Mapped[str] = mapped_column(String(32), primary_key=True)
    short_name: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    blg_member: Mapped[bool] = mapped_column(Boolean, default=False)
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    timezone: Mapped[str | None] = mapped_column(String(64))
    website: Mapped[str | None] = mapped_column(String(500))


class EventBody(Base):
    """An organising body of an event; ``position`` keeps the lead body first."""

    __tablename__ = "event_body"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          primary_key=True)
    body_slug: Mapped[str] = mapped_column(ForeignKey("body.slug"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class EventTag(Base):
    __tablename__ = "event_tag"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Event(Base):
    """A meeting, side event, webinar or comms moment.

    All-day events use ``start_date``/``end_date`` (end inclusive); timed ones
    ``start_dt``/``end_dt`` (UTC, end exclusive) plus the venue's zone; undated
    ones neither. ``first_date``/``last_date`` are the local days the event
    covers, kept beside either form so one index serves every date query.
    """

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("start_date IS NULL OR start_dt IS NULL", name="all_day_or_timed"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_date_order"),
        CheckConstraint("end_dt IS NULL OR end_dt >= start_dt", name="end_dt_order"),
        Index("ix_event_days", "first_date", "last_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    code: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[Kind] = mapped_column(_enum(Kind, "event_kind"), index=True)
    status: Mapped[Status] = mapped_column(_enum(Status, "event_status"), index=True)
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility, "event_visibility"),
                                                   default=Visibility.PUBLIC)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    start_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_date: Mapped[date | None] = mapped_column(Date)
    last_date: Mapped[date | None] = mapped_column(Date)
    expected: Mapped[str | None] = mapped_column(String(80))
    timezone: Mapped[str | None] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    venue: Mapped[str | None] = mapped_column(String(300))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str | None] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"),
                                                  index=True)
    origin: Mapped[str] = mapped_column(String(16), default="manual")
    source_url: Mapped[str | None] = mapped_column(String(1000))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    deleted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # This event's VEVENT and the TZIDs it needs, rebuilt on every write
    # (blgcal.services.feeds.pieces); feeds only join them. Deferred: pages never load them.
    ical: Mapped[str | None] = mapped_column(Text, deferred=True)
    ical_tzids: Mapped[str | None] = mapped_column(String(300), deferred=True)

    # SQLAlchemy checks and bumps ``version`` on every UPDATE, so two writers
    # racing on one row cannot both win (StaleDataError for the loser).
    __mapper_args__ = {"version_id_col": version}

    organisers: Mapped[list[EventBody]] = relationship(
        order_by=EventBody.position, cascade="all, delete-orphan", lazy="selectin")
    tag_rows: Mapped[list[EventTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=EventTag.tag)
    parent: Mapped[Event | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Event]] = relationship(back_populates="parent")

    @property
    def bodies(self) -> tuple[str, ...]:
        return tuple(row.body_slug for row in self.organisers)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(row.tag for row in self.tag_rows)


class Observance(Base):
    """An international day, defined by a yearly RFC 5545 RRULE."""

    __tablename__ = "observance"

    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    rrule: Mapped[str] = mapped_column(String(200))
    lead_body: Mapped[str] = mapped_column(ForeignKey("body.slug"))
    note: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(1000))
