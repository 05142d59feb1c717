"""Long work done by the worker, recorded here so pages never ask the queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blgcal.domain.jobs import JobState
from blgcal.models.base import Base, UTCDateTime, one_of, str_enum


class Job(Base):
    """One piece of long work (a harvest) and how far it got.

    ``state`` moves from ``queued`` to ``running`` when a worker takes it, then
    to ``succeeded`` or ``failed``; a running job whose ``heartbeat_dt`` grew
    old (its worker was killed) is marked ``lost``. ``stage``, ``done`` and
    ``total`` are its progress; ``result`` what it made (``{"source_id",
    "run_id"}`` for a harvest); ``worker`` who ran it (``host:pid``).
    """

    __tablename__ = "job"
    __table_args__ = (one_of("state", JobState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(str_enum(JobState), default=JobState.QUEUED, index=True)
    stage: Mapped[str] = mapped_column(String(64), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    worker: Mapped[str | None] = mapped_column(String(200))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    started_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.state.finished
