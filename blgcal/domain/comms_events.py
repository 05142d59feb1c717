"""Comms plan items seen as calendar events, so feeds reuse the event builder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from blgcal.domain.types import Event, Kind, Status, Visibility

CHANNEL_LABELS = {
    "press_release": "Joint press release", "social_media": "Social media campaign",
    "side_event": "Joint side event", "statement": "Joint statement", "web_story": "Web story",
    "other": "Joint communication",
}
STATUS_OF = {"idea": Status.TENTATIVE, "planned": Status.CONFIRMED, "done": Status.CONFIRMED}


@dataclass(frozen=True, slots=True)
class PlanItem:
    id: int
    title: str
    owner_bodies: tuple[str, ...]
    channel: str
    deadline: date
    status: str
    sequence: int
    updated_dt: datetime


def as_event(item: PlanItem) -> Event:
    """An all-day event on the item's deadline; notes stay out (they are internal)."""
    label = CHANNEL_LABELS.get(item.channel, CHANNEL_LABELS["other"])
    return Event(
        uid=f"comms-plan-{item.id}@blgcal", title=f"{label}: {item.title}",
        bodies=item.owner_bodies or ("blg",), kind=Kind.COMMS_MOMENT,
        status=STATUS_OF.get(item.status, Status.TENTATIVE), start_date=item.deadline,
        end_date=item.deadline, visibility=Visibility.PUBLIC, tags=(item.channel,),
        description=f"Comms plan item ({item.status}).", sequence=item.sequence,
        updated_dt=item.updated_dt)
