"""In-person slots: whole working days at the host city, every required head free.

A day is ruled out when it is past, a weekend day or public holiday in the
host country, a day a required body is in session, or within the buffer of
one of its governing bodies. A run of ``days`` such days is a slot when every
required head can travel in from their previous meeting and on to their
next one (:mod:`blgcal.domain.slots.travel`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from blgcal.domain.geo import Place
from blgcal.domain.places import country_name
from blgcal.domain.slots import scoring
from blgcal.domain.slots.model import Cause, Day, Slot
from blgcal.domain.slots.occupancy import Occupancy
from blgcal.domain.slots.request import SlotRequest, SlotRules
from blgcal.domain.slots.travel import Journey, journeys
from blgcal.domain.slots.workdays import holiday_name, is_working_day, weekend, weekend_words
from blgcal.domain.types import Event
from blgcal.domain.wording import describe_event, format_day, listed, plural

NEAR_RANKS = 3


@dataclass(frozen=True, slots=True)
class Host:
    """Where the meeting would be held, located."""

    city: str
    country: str
    place: Place
    zone: str
    venue: str | None = None


def day_verdicts(request: SlotRequest, occ: Occupancy, host: Host, *, names: Mapping[str, str],
                 today: date | None) -> list[Day]:
    """What rules out each day of the window at *host*, if anything."""
    off = weekend(host.country)
    country = country_name(host.country)
    found = []
    day = request.first
    while day <= request.last:
        why = past(day, today)
        if day.weekday() in off:
            why.append((Cause.WEEKEND, f"weekend in {country}"))
        if holiday := holiday_name(host.country, day):
            why.append((Cause.HOLIDAY, f"{holiday}, a public holiday in {country}"))
        why.extend(sessions(occ, names, day.toordinal()))
        found.append(Day(day, tuple(why)))
        day += timedelta(days=1)
    return found


def past(day: date, today: date | None) -> list[tuple[Cause, str]]:
    if today is not None and day < today:
        return [(Cause.PAST, f"before today ({format_day(today)})")]
    return []


def sessions(occ: Occupancy, names: Mapping[str, str], ordinal: int) -> list[tuple[Cause, str]]:
    """Required bodies in session on a day, or within a governing body's buffer."""
    busy = {slug: found for slug in names if (found := occ.busy_on(slug, ordinal))}
    near = {slug: found for slug in names if (found := occ.buffer_on(slug, ordinal))}
    why = [(Cause.BUSY, f"{who} in session at {described(event)}")
           for event, who in _who_at(busy, names)]
    why.extend((Cause.BUFFER, f"{who} within the buffer of {described(event)}")
               for event, who in _who_at(near, names))
    return why


@lru_cache(maxsize=8192)
def described(event: Event) -> str:
    """:func:`describe_event`, remembered: a long meeting is named on each of its days."""
    return describe_event(event)


def _who_at(events: Mapping[str, list[Event]], names: Mapping[str, str]
            ) -> list[tuple[Event, str]]:
    """Each event once, with the bodies it takes: "CBD and CMS", or "8 required bodies"."""
    grouped: dict[str, tuple[Event, list[str]]] = {}
    for slug, found in events.items():
        for event in found:
            grouped.setdefault(event.uid, (event, []))[1].append(names[slug])
    return [(event, listed(who) if len(who) <= 3 else f"{len(who)} required bodies")
            for event, who in grouped.values()]


def slots(request: SlotRequest, occ: Occupancy, host: Host, days: list[Day], *,
          names: Mapping[str, str], optional: Mapping[str, str], anchor: Event | None,
          rules: SlotRules) -> list[Slot]:
    """Every slot of the window, and mark the days that fail only on travel."""
    length = request.days
    before, after = _around(anchor, host.country)
    fixed = (nobody_in_session(request.buffer_days),
             f"Avoids public holidays in {country_name(host.country)} and its weekend "
             f"({weekend_words(host.country)}).")
    found = []
    for index in range(len(days) - length + 1):
        block = days[index:index + length]
        if not all(day.free for day in block):
            continue
        first, last = block[0].day.toordinal(), block[-1].day.toordinal()
        trips = journeys(occ, names, place=host.place, zone=host.zone, first=first, last=last,
                         rules=rules.travel)
        short = [trip.text for trip in trips if not trip.fits]
        if short:
            days[index] = replace(days[index], why=tuple((Cause.TRAVEL, text) for text in short))
            continue
        verdict = _verdict(occ, trips, block[0].day, block[-1].day, names=names,
                           optional=optional, anchor=anchor, around=(before, after),
                           fixed=fixed, rules=rules)
        found.append(Slot(verdict.score, tuple(verdict.reasons), tuple(verdict.conflicts),
                          start_date=block[0].day, end_date=block[-1].day, city=host.city,
                          country=host.country, venue=host.venue, timezone=host.zone))
    return found


def _verdict(occ: Occupancy, trips: list[Journey], first: date, last: date, *,
             names: Mapping[str, str], optional: Mapping[str, str], anchor: Event | None,
             around: tuple[list[date], list[date]], fixed: tuple[str, ...],
             rules: SlotRules) -> scoring.Verdict:
    """Points, reasons and conflicts of the slot from *first* to *last*."""
    verdict = scoring.Verdict()
    if anchor is not None:
        scoring.near_anchor(verdict, anchor, first=first, last=last, before=around[0],
                            after=around[1])
    verdict.reasons.extend(fixed)
    scoring.travel(verdict, trips)
    start, end = first.toordinal(), last.toordinal()
    scoring.people_elsewhere(verdict, occ, required=names, optional=optional, first=start,
                             last=end)
    scoring.tentative_nearby(verdict, occ, first=start, last=end, within=rules.nearby_days)
    return verdict


def nobody_in_session(buffer_days: int) -> str:
    buffer = (f", nor within {plural(buffer_days, 'day')} of one of its governing bodies"
              if buffer_days else "")
    return f"No required body is in session{buffer}."


def _around(anchor: Event | None, country: str) -> tuple[list[date], list[date]]:
    """The working days just before and just after *anchor*, nearest first."""
    days = anchor.local_days() if anchor is not None else None
    if days is None:
        return [], []
    return _walk(days[0], country, -1), _walk(days[1], country, 1)


def _walk(start: date, country: str, step: int) -> list[date]:
    found: list[date] = []
    day = start
    while len(found) < NEAR_RANKS:
        day += timedelta(days=step)
        if is_working_day(country, day):
            found.append(day)
    return found
