"""The audit trail: one revision per change to an event, never updated or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from blgcal.models.base import Base, UTCDateTime


class Revision(Base):
    """Who changed which event, when, through what, and each field before and after.

    ``snapshot`` is the event's whole state after the change, so any revision
    can be restored. The event may later be purged; its revisions stay, keyed
    by ``event_uid``.
    """

    __tablename__ = "revision"
    __table_args__ = (Index("ix_revision_event", "event_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    event_uid: Mapped[str] = mapped_column(String(255), index=True)
    action: Mapped[str] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(300))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
