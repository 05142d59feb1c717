"""Slot searches over the stored calendar, and holding a slot as a tentative BLG meeting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from blgcal.domain.filters import EventFilter
from blgcal.domain.ids import new_uid
from blgcal.domain.slots import (
    GROUP,
    Slot,
    SlotRequest,
    SlotSearch,
    all_slots,
    find_slots,
    parse_slot_request,
    search_margin,
)
from blgcal.domain.types import Body as BodyData
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind, Status, Visibility
from blgcal.domain.wording import listed
from blgcal.models import Event
from blgcal.services import queries
from blgcal.services.agenda import body_data
from blgcal.services.event_rows import to_domain
from blgcal.services.events import save_event
from blgcal.services.history import Actor

VIA = "slot finder"
HELD_TITLE = "Meeting of the Liaison Group of Biodiversity-related Conventions (held)"


class SlotTaken(Exception):
    """The slot asked for is no longer offered by the same search."""


def bodies(session: Session) -> dict[str, BodyData]:
    return {row.slug: body_data(row) for row in queries.bodies(session)}


def parse(session: Session, params: Mapping[str, Sequence[str]], *, today: date) -> SlotRequest:
    """The request in *params*; a FilterError names a bad parameter."""
    known = bodies(session)
    return parse_slot_request(params, known_bodies=known, today=today,
                              members=[slug for slug, body in known.items() if body.blg_member])


def search(session: Session, request: SlotRequest, *, today: date, include_staff: bool = False,
           every_slot: bool = False) -> SlotSearch:
    """Run *request* over the events near its window (all slots with *every_slot*)."""
    margin = timedelta(days=search_margin(request))
    flt = EventFilter(date_from=request.first - margin, date_to=request.last + margin)
    events = queries.in_window(session, flt, include_staff=include_staff)
    finder = all_slots if every_slot else find_slots
    return finder(events, request, bodies=bodies(session), today=today,
                  anchor=_anchor(session, request.near, include_staff=include_staff))


def _anchor(session: Session, event_id: int | None, *, include_staff: bool) -> EventData | None:
    row = session.get(Event, event_id) if event_id is not None else None
    if row is None or row.deleted_dt is not None:
        return None
    if row.visibility != Visibility.PUBLIC and not include_staff:
        return None
    return to_domain(row)


def hold(session: Session, request: SlotRequest, key: str, *, today: date, now: datetime,
         actor: Actor) -> Event:
    """Save the slot *key* of *request* as a tentative BLG meeting, if still offered.

    The revision records *actor*; views pass ``via`` :data:`VIA`.

    :raises SlotTaken: the same search no longer offers that slot.
    """
    found = search(session, request, today=today, include_staff=True, every_slot=True)
    slot = next((slot for slot in found.slots if slot.key == key), None)
    if slot is None:
        raise SlotTaken(key)
    row, _ = save_event(session, held_event(slot, request, bodies(session)), now=now,
                        actor=actor, origin=VIA)
    return row


def held_event(slot: Slot, request: SlotRequest, names: Mapping[str, BodyData]) -> EventData:
    """The tentative BLG meeting a held slot becomes."""
    who = listed([names[slug].short_name for slug in request.required])
    held = EventData(uid=new_uid(), title=HELD_TITLE, bodies=(GROUP,), kind=Kind.BLG_MEETING,
                     status=Status.TENTATIVE, code=f"BLG {slot.first_day:%Y-%m}",
                     description=f"Held through the slot finder for {who}. "
                                 + " ".join(slot.reasons))
    if slot.start_dt is not None:
        return replace(held, start_dt=slot.start_dt, end_dt=slot.end_dt, timezone="UTC",
                       online=True, venue="Online")
    return replace(held, start_date=slot.start_date, end_date=slot.end_date, city=slot.city,
                   country=slot.country, venue=slot.venue, timezone=slot.timezone)
