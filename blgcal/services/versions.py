"""A fingerprint of the calendar's data that changes whenever any of it does.

Pages, the API, feeds and the clash analysis are cached under it, so it must be
cheap: a handful of index lookups, no scan. Every write through the services
appends a revision (purges included), bulk inserts raise the highest event id,
any other write to an event moves ``updated_dt``, and bodies, observances and
comms plan items (which every save stamps) are a handful of rows.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.models import Body, CommsPlanItem, Event, Observance, Revision

# Built once: constructing the statement costs more than running it.
_VERSION = select(
    select(func.max(Revision.id)).scalar_subquery(),
    select(func.max(Event.id)).scalar_subquery(),
    select(func.max(Event.updated_dt)).scalar_subquery(),
    select(func.count()).select_from(Body).scalar_subquery(),
    select(func.count()).select_from(Observance).scalar_subquery(),
    select(func.max(CommsPlanItem.updated_dt)).scalar_subquery(),
)


def calendar_version(session: Session) -> str:
    """``revision-event-latest-bodies-observances-plan``: changes on any write."""
    row = session.execute(_VERSION).one()
    revision, event, latest, bodies, observances, plan = row
    stamp = latest.isoformat() if latest is not None else "-"
    plan_stamp = plan.isoformat() if plan is not None else "-"
    return f"{revision}-{event}-{stamp}-{bodies}-{observances}-{plan_stamp}"
