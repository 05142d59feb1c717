"""Comms plan items seen as calendar events, so feeds reuse the event builder;
and what a new item planned from an opportunity starts with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from blgcal.domain.opportunities import Opportunity, OpportunityKind
from blgcal.domain.types import Event, Kind, Status, Visibility

# Days before an opportunity that its plan item is due by default: time to
# draft, agree across secretariats and schedule before the moment itself.
LEAD_DAYS = 14

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


def suggested_title(opportunity: Opportunity) -> str:
    """A short name for an item planned from *opportunity*: what it is about, not why.

    The channel is said by the feed (``Joint statement: UNEA-7``), and the
    opportunity's sentence stays on its page, linked from the item.
    """
    names = [event.code or event.title for event in opportunity.events]
    if opportunity.kind is OpportunityKind.OBSERVANCE:
        # Its sentence opens with the days' names, each followed by its date in
        # brackets: "World Wetlands Day (2 Feb 2026, ...) falls ..." or
        # "A Day (5 May 2027, WHC) and B Day (8 May 2027, CMS) fall ...".
        days = [part.split(" (", 1)[0] for part in opportunity.explanation.split(") and ")]
        subject = " and ".join([days[0], names[0]] if names else days)
    elif opportunity.kind is OpportunityKind.CONVENING and names:
        subject = names[0]
    else:
        subject = " and ".join(names[:3]) or opportunity.explanation
        if opportunity.kind is OpportunityKind.CO_LOCATION and opportunity.city:
            subject += f" in {opportunity.city}"
    return subject[:300]


def suggested_deadline(opportunity: Opportunity, *, today: date,
                       lead_days: int = LEAD_DAYS) -> date:
    """*lead_days* before the moment, or today when that has passed."""
    return max(today, opportunity.start - timedelta(days=lead_days))
