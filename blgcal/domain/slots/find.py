"""Find slots: resolve the request, index the calendar, rank, explain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from blgcal.domain.clashes.travel import clock_zone
from blgcal.domain.filters import FilterError
from blgcal.domain.geo import locate
from blgcal.domain.slots import in_person, virtual
from blgcal.domain.slots.explain import day_misses, explain, time_misses
from blgcal.domain.slots.model import Day, Slot, SlotSearch
from blgcal.domain.slots.occupancy import Occupancy, occupancy
from blgcal.domain.slots.request import SlotRequest, SlotRules
from blgcal.domain.slots.series import series
from blgcal.domain.types import Body, Event

_DEFAULT_RULES = SlotRules()


def find_slots(events: Iterable[Event], request: SlotRequest, *, bodies: Mapping[str, Body],
               anchor: Event | None = None, today: date | None = None,
               rules: SlotRules = _DEFAULT_RULES) -> SlotSearch:
    """The best ``request.limit`` slots for *request* among *events*, and why.

    :param bodies: every body by slug (time zones, countries, BLG membership).
    :param anchor: the event ``request.near`` names.
    :param today: days before it are past.
    :raises FilterError: naming the parameter that cannot be satisfied.
    """
    found = _search(events, request, bodies=bodies, anchor=anchor, today=today, rules=rules,
                    limit=request.limit)
    return replace(found, slots=found.slots[:request.limit])


def all_slots(events: Iterable[Event], request: SlotRequest, *, bodies: Mapping[str, Body],
              anchor: Event | None = None, today: date | None = None,
              rules: SlotRules = _DEFAULT_RULES) -> SlotSearch:
    """Like :func:`find_slots`, every slot: what a hold is checked against."""
    return _search(events, request, bodies=bodies, anchor=anchor, today=today, rules=rules,
                   limit=None)


def _search(events: Iterable[Event], request: SlotRequest, *, bodies: Mapping[str, Body],
            anchor: Event | None, today: date | None, rules: SlotRules,
            limit: int | None) -> SlotSearch:
    required = {slug: _body(bodies, slug).short_name for slug in request.required}
    optional = {slug: _body(bodies, slug).short_name for slug in request.optional}
    margin = search_margin(request, rules)
    occ = occupancy(events, bodies=bodies, watched=[*required, *optional], required=required,
                    low=request.first.toordinal() - margin, high=request.last.toordinal() + margin,
                    buffer_days=request.buffer_days, tentative_busy=rules.tentative_busy)
    if request.virtual:
        return _virtual(request, occ, bodies, required, optional, today=today, rules=rules,
                        limit=limit)
    host = _host(request, anchor)
    days = in_person.day_verdicts(request, occ, host, names=required, today=today)
    slots = _ranked(in_person.slots(request, occ, host, days, names=required, optional=optional,
                                    anchor=anchor, rules=rules))
    days = _mark(days, slots[:request.limit])
    return SlotSearch(tuple(slots), tuple(days),
                      explain(request, days, slots, nearest=() if slots else day_misses(days)))


def search_margin(request: SlotRequest, rules: SlotRules = _DEFAULT_RULES) -> int:
    """Days either side of the window whose meetings can matter (buffers, travel, nearby)."""
    return request.buffer_days + rules.travel.longest + rules.nearby_days + request.days + 2


def _virtual(request: SlotRequest, occ: Occupancy, bodies: Mapping[str, Body],
             required: Mapping[str, str], optional: Mapping[str, str], *, today: date | None,
             rules: SlotRules, limit: int | None) -> SlotSearch:
    assert request.minutes is not None
    secretariats = [_zoned(bodies[slug]) for slug in required]
    offices = virtual.offices(request, occ, secretariats)
    low, high = virtual.window_minutes(request, today)
    starts = virtual.common_starts(offices, length=request.minutes, step=rules.step_minutes,
                                   low=low, high=high)
    fitting = {virtual.instant(start).date() for start in starts}
    days = virtual.day_verdicts(request, occ, secretariats, names=required, today=today,
                                fitting=fitting)
    if request.repeat > 1:
        made = series(request, occ, offices, names=required, optional=optional, rules=rules,
                      today=today)
        days = _mark(days, made.slots)
        totals = {required[slug]: minutes for slug, minutes in made.totals}
        return SlotSearch(made.slots, tuple(days),
                          explain(request, days, made.slots, empty=made.empty, totals=totals),
                          made.totals)
    slots = virtual.slots(request, occ, offices, starts, names=required, optional=optional,
                          rules=rules, limit=limit)
    days = _mark(days, slots[:request.limit])
    nearest = () if slots else time_misses(request, offices, days, required,
                                           step=rules.step_minutes)
    return SlotSearch(tuple(slots), tuple(days),
                      explain(request, days, slots, nearest=nearest or day_misses(days)))


def _ranked(slots: list[Slot]) -> list[Slot]:
    return sorted(slots, key=lambda slot: (-slot.score, slot.key))


def _mark(days: Sequence[Day], listed: Sequence[Slot]) -> list[Day]:
    """Number the days on which the listed slots start."""
    ranks = {slot.first_day: rank for rank, slot in reversed(list(enumerate(listed, start=1)))}
    return [replace(day, rank=ranks[day.day]) if day.day in ranks else day for day in days]


def _body(bodies: Mapping[str, Body], slug: str) -> Body:
    body = bodies.get(slug)
    if body is None:
        raise FilterError("body", f"unknown body {slug!r}")
    return body


def _zoned(body: Body) -> Body:
    if not body.timezone:
        raise FilterError("body", f"{body.short_name} has no secretariat time zone, so its "
                                  f"office hours are unknown")
    return body


def _host(request: SlotRequest, anchor: Event | None) -> in_person.Host:
    """Where the meeting is held: the city asked for, or the venue of *anchor*."""
    if request.near is not None:
        if anchor is None or anchor.id != request.near:
            raise FilterError("near", f"no event with id {request.near}")
        if anchor.status.is_gone or not anchor.dated:
            raise FilterError("near", f"{anchor.title} has no firm dates")
        if anchor.online or not anchor.city or not anchor.country:
            raise FilterError("near", f"{anchor.title} has no city to meet in")
        city, country, venue = anchor.city, anchor.country, anchor.venue
    else:
        assert request.city is not None and request.country is not None
        city, country, venue = request.city, request.country, None
    place = locate(city, country)
    if place is None:
        raise FilterError("city", f"{city} ({country}) cannot be located, so travel to it "
                                  f"cannot be checked")
    zone = clock_zone(anchor, place) if anchor is not None else place.timezone
    return in_person.Host(city, country, place, zone, venue)
