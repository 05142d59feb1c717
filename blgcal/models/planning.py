"""Acknowledged clashes and the comms plan."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blgcal.models.base import Base, UTCDateTime


class ClashAck(Base):
    """Someone looked at a clash and accepted it, with a note.

    ``fingerprint`` records the events as they were: when any of them changes
    materially the clash has a new fingerprint, so it is back in the default
    list. Rows are only added, so the history of a clash stays.
    """

    __tablename__ = "clash_ack"

    id: Mapped[int] = mapped_column(primary_key=True)
    clash_key: Mapped[str] = mapped_column(String(200), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    user_label: Mapped[str] = mapped_column(String(254))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)


class CommsPlanItem(Base):
    """A joint-communication action planned from an opportunity (or from scratch)."""

    __tablename__ = "comms_plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    opportunity_key: Mapped[str | None] = mapped_column(String(200), index=True)
    owner_bodies: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(40))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str] = mapped_column(String(254))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
