"""Who is busy on which day: one pass over the calendar, indexed by body and day.

A body is *busy* on the days of its live meetings that need its head of
secretariat (the audience rules of :mod:`blgcal.domain.audience`), and for
``buffer_days`` either side of its governing bodies. A BLG meeting takes the
heads of every member, whoever organises it. Meetings that do not need the
heads (a subsidiary body, a working group) leave the body free but are
soft conflicts: its staff are there. Cancelled and postponed meetings, and
undated ones, are ignored.

Only days near the window are indexed, so the cost is one step per event
plus one per indexed day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from blgcal.domain.audience import HEADS, audience_of
from blgcal.domain.clashes.items import live_days
from blgcal.domain.clashes.travel import clock_zone, place_of
from blgcal.domain.geo import Place
from blgcal.domain.slots.request import GROUP
from blgcal.domain.types import Body, Event, Kind, Status

DayMap = defaultdict[int, list[Event]]


@dataclass(frozen=True, slots=True)
class Stop:
    """An in-person meeting that needs a body's head, where it is held."""

    event: Event
    first: int
    last: int
    place: Place
    zone: str


@dataclass(slots=True)
class Occupancy:
    """The watched bodies' meetings by day ordinal, between ``low`` and ``high``."""

    low: int
    high: int
    busy: defaultdict[str, DayMap] = field(default_factory=lambda: defaultdict(_days))
    buffer: defaultdict[str, DayMap] = field(default_factory=lambda: defaultdict(_days))
    staff: defaultdict[str, DayMap] = field(default_factory=lambda: defaultdict(_days))
    ends: defaultdict[str, defaultdict[int, list[Stop]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    starts: defaultdict[str, defaultdict[int, list[Stop]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    tentative: list[tuple[int, int, Event]] = field(default_factory=list)

    def busy_on(self, slug: str, day: int) -> list[Event]:
        days = self.busy.get(slug)
        return days.get(day, []) if days else []

    def buffer_on(self, slug: str, day: int) -> list[Event]:
        days = self.buffer.get(slug)
        return days.get(day, []) if days else []

    def staff_on(self, slug: str, day: int) -> list[Event]:
        days = self.staff.get(slug)
        return days.get(day, []) if days else []


def _days() -> DayMap:
    return defaultdict(list)


def occupancy(events: Iterable[Event], *, bodies: Mapping[str, Body], watched: Collection[str],
              required: Collection[str], low: int, high: int, buffer_days: int,
              tentative_busy: bool) -> Occupancy:
    """Index the meetings of *watched* bodies touching ordinals *low* to *high*."""
    found = Occupancy(low, high)
    members = frozenset(slug for slug in watched if bodies[slug].blg_member)
    watched_set, required_set = frozenset(watched), frozenset(required)
    # A day's slack each side covers any venue's UTC offset in the cheap test below.
    first_day = date.fromordinal(low - buffer_days - 1)
    last_day = date.fromordinal(high + buffer_days + 1)
    first_dt = datetime.combine(first_day, time(0), UTC)
    last_dt = datetime.combine(last_day, time(0), UTC)
    for event in events:
        if event.kind is Kind.SIDE_EVENT or _far(event, first_day, last_day, first_dt, last_dt):
            continue
        days = live_days(event)
        if days is None or days[1] < low - buffer_days or days[0] > high + buffer_days:
            continue
        who = watched_set.intersection(event.bodies)
        if event.kind is Kind.BLG_MEETING or GROUP in event.bodies:
            who |= members
        if who:
            _add(found, event, days, who, required_set, buffer_days, tentative_busy)
    return found


def _far(event: Event, first_day: date, last_day: date, first_dt: datetime,
         last_dt: datetime) -> bool:
    """Whether *event* surely misses the days indexed: most of a big calendar does."""
    if event.start_date is not None and event.end_date is not None:
        return event.end_date < first_day or event.start_date > last_day
    if event.start_dt is not None and event.end_dt is not None:
        return event.end_dt < first_dt or event.start_dt > last_dt
    return True


def _add(found: Occupancy, event: Event, days: tuple[int, int], who: frozenset[str],
         required: frozenset[str], buffer_days: int, tentative_busy: bool) -> None:
    first, last = days
    heads = HEADS in audience_of(event)
    holds = heads and (tentative_busy or event.status is not Status.TENTATIVE)
    target = found.busy if holds else found.staff
    if heads or event.kind.is_meeting:
        for day in range(max(first, found.low), min(last, found.high) + 1):
            for slug in who:
                target[slug][day].append(event)
    if event.status is Status.TENTATIVE and who & required:
        found.tentative.append((first, last, event))
    if holds and event.kind is Kind.GOVERNING_BODY:
        for day in [*range(first - buffer_days, first), *range(last + 1, last + buffer_days + 1)]:
            if found.low <= day <= found.high:
                for slug in who:
                    found.buffer[slug][day].append(event)
    place = place_of(event) if holds else None
    if place is not None:
        stop = Stop(event, first, last, place, clock_zone(event, place))
        for slug in who & required:
            found.ends[slug][last].append(stop)
            found.starts[slug][first].append(stop)
