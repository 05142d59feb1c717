"""The comms plan: joint-communication actions with owners, channel and deadline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.domain.comms_events import PlanItem, as_event
from blgcal.domain.ical import event_component
from blgcal.models import CommsPlanItem

STATUSES = ("idea", "planned", "done")


@dataclass(frozen=True)
class PlanValues:
    title: str
    owner_bodies: tuple[str, ...]
    channel: str
    deadline: date
    status: str
    notes: str
    opportunity_key: str | None = None


def items(session: Session) -> Sequence[CommsPlanItem]:
    return session.scalars(select(CommsPlanItem).order_by(CommsPlanItem.deadline,
                                                          CommsPlanItem.id)).all()


def board(session: Session) -> dict[str, list[CommsPlanItem]]:
    """Plan items by status, each column by deadline."""
    columns: dict[str, list[CommsPlanItem]] = {status: [] for status in STATUSES}
    for item in items(session):
        columns.setdefault(item.status, []).append(item)
    return columns


def save_item(session: Session, values: PlanValues, *, now: datetime, author: str,
              item: CommsPlanItem | None = None) -> CommsPlanItem:
    """Create or update a plan item; SEQUENCE rises when its feed entry changes."""
    if item is None:
        item = CommsPlanItem(created_by=author, created_dt=now, sequence=0)
        session.add(item)
    elif _feed_fields(item) != _feed_values(values):
        item.sequence += 1
    item.title, item.owner_bodies = values.title, list(values.owner_bodies)
    item.channel, item.deadline, item.status = values.channel, values.deadline, values.status
    item.notes, item.updated_dt = values.notes, now
    if values.opportunity_key is not None:
        item.opportunity_key = values.opportunity_key or None
    session.flush()
    return item


def _feed_fields(item: CommsPlanItem) -> tuple[object, ...]:
    return (item.title, tuple(item.owner_bodies), item.channel, item.deadline, item.status)


def _feed_values(values: PlanValues) -> tuple[object, ...]:
    return (values.title, values.owner_bodies, values.channel, values.deadline, values.status)


def planned_keys(session: Session) -> set[str]:
    """Opportunity keys that already have a plan item."""
    query = select(CommsPlanItem.opportunity_key).where(CommsPlanItem.opportunity_key.is_not(None))
    return {key for key in session.scalars(query) if key}


def feed_pieces(session: Session) -> list[str]:
    """Each plan item's VEVENT, by deadline: the comms plan feed's content (notes left out)."""
    return [event_component(as_event(plan_data(item))).text for item in items(session)]


def latest_change(session: Session) -> datetime | None:
    return session.scalar(select(func.max(CommsPlanItem.updated_dt)))


def plan_data(item: CommsPlanItem) -> PlanItem:
    return PlanItem(id=item.id, title=item.title, owner_bodies=tuple(item.owner_bodies),
                    channel=item.channel, deadline=item.deadline, status=item.status,
                    sequence=item.sequence, updated_dt=item.updated_dt)
