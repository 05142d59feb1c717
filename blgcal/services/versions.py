"""A fingerprint of the calendar's data that changes whenever any of it does."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.models import Body, Event, Observance


def calendar_version(session: Session) -> str:
    """``count-latest`` over events, plus the counts of bodies and observances.

    Every event write moves ``updated_dt`` forward and every insert or purge
    changes the count, so one indexed aggregate tells whether anything changed.
    """
    row = session.execute(select(
        select(func.count(Event.id)).scalar_subquery(),
        select(func.max(Event.updated_dt)).scalar_subquery(),
        select(func.count()).select_from(Body).scalar_subquery(),
        select(func.count()).select_from(Observance).scalar_subquery(),
    )).one()
    count, latest, bodies, observances = row
    stamp = latest.isoformat() if latest is not None else "-"
    return f"{count}-{stamp}-{bodies}-{observances}"
