"""Readiness: can this installation serve, and is its background work keeping up?

Each check answers ``ok`` and what it saw. The database must answer and be at
the code's migration heads; enabled sources must have been harvested within
``max_harvest_hours``; no job may have waited for a worker longer than
``max_queue_minutes``. A limit of ``None`` reports without failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from blgcal import migrate
from blgcal.models import HarvestRun, Source
from blgcal.services import jobs


@dataclass(frozen=True, slots=True)
class Check:
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def database(engine: Engine) -> Check:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Check(True)


def migrations(engine: Engine) -> Check:
    with engine.connect() as connection:
        current = migrate.current_revisions(connection)
    heads = migrate.head_revisions()
    return Check(current == heads, {"database": sorted(current), "code": sorted(heads)})


def harvest(session: Session, *, now: datetime, max_hours: float | None) -> Check:
    """How long ago an enabled source was last harvested (any outcome: the schedule runs)."""
    enabled = session.scalar(select(func.count(Source.id)).where(Source.enabled)) or 0
    last = session.scalar(select(HarvestRun.started_dt).join(Source).where(Source.enabled)
                          .order_by(HarvestRun.started_dt.desc()).limit(1))
    if not enabled:
        return Check(True, {"enabled_sources": 0, "last_dt": None, "age_hours": None})
    age = round((now - last).total_seconds() / 3600, 2) if last else None
    late = max_hours is not None and (age is None or age > max_hours)
    return Check(not late, {"enabled_sources": enabled, "last_dt": last.isoformat() if last else None,
                            "age_hours": age, "max_hours": max_hours})


def queue(session: Session, *, now: datetime, max_minutes: float | None) -> Check:
    """How many jobs wait, and whether the oldest has waited too long (no worker takes them)."""
    depth = jobs.depth(session)
    wait = round((now - depth.oldest_dt).total_seconds(), 1) if depth.oldest_dt else None
    late = max_minutes is not None and wait is not None and wait > 60 * max_minutes
    return Check(not late, {"queued": depth.queued, "oldest_age_seconds": wait,
                            "max_minutes": max_minutes})
