"""What a chair asks for, read from query parameters, and the rules it is judged by.

``parse_slot_request`` turns the parameters of ``GET /api/v1/slots``, the
``/slots`` page and ``blgcal slots`` into a :class:`SlotRequest`, or raises
:class:`~blgcal.domain.filters.FilterError` naming the parameter.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, time, timedelta

from blgcal.domain.filters import (
    WHOLE_NUMBER,
    FilterError,
    Params,
    each_value,
    known_member,
    parse_day,
)
from blgcal.domain.geo import TravelRules
from blgcal.domain.ids import MAX_ID
from blgcal.domain.places import is_country

MAX_WINDOW_DAYS = 366
DEFAULT_WINDOW_DAYS = 90
HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
GROUP = "blg"
"""``body=blg`` asks for every BLG member's head at once."""
#: The whole-number parameters: (default, lowest, highest).
NUMBERS = {"days": (1, 1, 14), "minutes": (60, 15, 600), "repeat": (1, 1, 12),
           "limit": (10, 1, 50), "buffer": (2, 0, 14)}


class Mode(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"


class Every(enum.StrEnum):
    """How far apart the meetings of a virtual series are."""

    WEEK = "week"
    MONTH = "month"

    def shift(self, day: date, steps: int) -> date:
        """*day* moved on by *steps* periods (months keep the day, capped at 28)."""
        if self is Every.WEEK:
            return day + timedelta(weeks=steps)
        months = day.year * 12 + day.month - 1 + steps
        return date(months // 12, months % 12 + 1, min(day.day, 28))


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """A search: the window (inclusive), the length, who must come, and where.

    ``minutes`` set means a virtual meeting; otherwise it lasts ``days``
    whole days at ``city``/``country`` or at the venue of event ``near``.
    """

    first: date
    last: date
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    days: int = 1
    minutes: int | None = None
    city: str | None = None
    country: str | None = None
    near: int | None = None
    limit: int = 10
    repeat: int = 1
    every: Every = Every.MONTH
    office: tuple[time, time] = (time(9), time(18))
    buffer_days: int = 2

    @property
    def mode(self) -> Mode:
        return Mode.IN_PERSON if self.minutes is None else Mode.VIRTUAL

    @property
    def virtual(self) -> bool:
        return self.minutes is not None


@dataclass(frozen=True, slots=True)
class SlotRules:
    """How strict the search is; the defaults are the documented rules.

    :param tentative_busy: a tentative meeting that needs the heads keeps them
        busy, as a confirmed one does (a held slot is tentative too).
    :param nearby_days: a tentative meeting this close is a soft conflict.
    :param series_max_out: in a series, the most minutes a meeting may lie
        outside one secretariat's office hours.
    """

    step_minutes: int = 30
    tentative_busy: bool = True
    nearby_days: int = 2
    series_max_out: int = 180
    travel: TravelRules = TravelRules()


def parse_slot_request(params: Params, *, known_bodies: Collection[str],
                       members: Collection[str], today: date) -> SlotRequest:
    """Validate *params* into a request; ``body=blg`` stands for all *members*."""
    first, last = _window(params, today)
    mode, days, minutes = _length(params)
    required = _required(params, known_bodies, members)
    optional = tuple(slug for slug in each_value(
        params, "optional", lambda v: known_member(v, known_bodies, "body"))
        if slug not in required and slug != GROUP)
    city, country, near = _place(params, mode)
    repeat = _int(params, "repeat")
    if repeat > 1 and mode is Mode.IN_PERSON:
        raise FilterError("repeat", "a series is for virtual meetings (mode=virtual, minutes=)")
    every = _every(params)
    if repeat > 1 and every.shift(first, repeat - 1) > last:
        raise FilterError("repeat", f"{repeat} meetings a {every.value} need a window to at "
                                    f"least {every.shift(first, repeat - 1)}")
    return SlotRequest(first=first, last=last, required=required, optional=optional,
                       days=days, minutes=minutes, city=city, country=country, near=near,
                       limit=_int(params, "limit"), repeat=repeat, every=every,
                       office=_hours(params), buffer_days=_int(params, "buffer"))


def _one(params: Params, name: str) -> str | None:
    values = [v.strip() for v in params.get(name, ()) if v.strip()]
    if len(values) > 1:
        raise FilterError(name, "give it once")
    return values[0] if values else None


def _window(params: Params, today: date) -> tuple[date, date]:
    given_first, given_last = _one(params, "from"), _one(params, "to")
    first = parse_day(given_first, "from") if given_first else today
    last = (parse_day(given_last, "to") if given_last
            else first + timedelta(days=DEFAULT_WINDOW_DAYS - 1))
    if first > last:
        raise FilterError("from", f"{first} is after to={last}")
    span = (last - first).days + 1
    if span > MAX_WINDOW_DAYS:
        raise FilterError("to", f"the window is {span} days; at most {MAX_WINDOW_DAYS}")
    return first, last


def _length(params: Params) -> tuple[Mode, int, int | None]:
    mode_text = _one(params, "mode")
    if mode_text is not None and mode_text not in {m.value for m in Mode}:
        raise FilterError("mode", f"{mode_text!r} is not one of in_person, virtual")
    has_days, has_minutes = _one(params, "days") is not None, _one(params, "minutes") is not None
    if has_days and has_minutes:
        raise FilterError("minutes", "give days (in person) or minutes (virtual), not both")
    mode = Mode(mode_text) if mode_text else (Mode.VIRTUAL if has_minutes else Mode.IN_PERSON)
    if mode is Mode.VIRTUAL and has_days:
        raise FilterError("days", "a virtual meeting is measured in minutes")
    if mode is Mode.IN_PERSON and has_minutes:
        raise FilterError("minutes", "an in-person meeting is measured in days")
    if mode is Mode.VIRTUAL:
        return mode, 1, _int(params, "minutes")
    return mode, _int(params, "days"), None


def _required(params: Params, known: Collection[str], members: Collection[str]
              ) -> tuple[str, ...]:
    named = each_value(params, "body", lambda v: known_member(v, known, "body"))
    if not named:
        raise FilterError("body", "name at least one required body (body=blg for every member)")
    slugs: list[str] = []
    for slug in named:
        for one in (sorted(members) if slug == GROUP else [slug]):
            if one not in slugs:
                slugs.append(one)
    return tuple(slugs)


def _place(params: Params, mode: Mode) -> tuple[str | None, str | None, int | None]:
    city, country, near_text = _one(params, "city"), _one(params, "country"), _one(params, "near")
    if mode is Mode.VIRTUAL:
        for name, value in (("city", city), ("country", country), ("near", near_text)):
            if value is not None:
                raise FilterError(name, "a virtual meeting has no place")
        return None, None, None
    near = None
    if near_text is not None:
        if not WHOLE_NUMBER.match(near_text) or not 1 <= int(near_text) <= MAX_ID:
            raise FilterError("near", f"{near_text!r} is not an event id")
        near = int(near_text)
    if near is not None and city is not None:
        raise FilterError("city", "give a city or near=<event id>, not both")
    if near is None and city is None:
        raise FilterError("city", "an in-person meeting needs a city (with country) or near")
    if city is not None and (country is None or not is_country(country)):
        raise FilterError("country", f"give the ISO 3166 alpha-2 country of {city}")
    return city, country.upper() if country else None, near


def _every(params: Params) -> Every:
    value = _one(params, "every") or Every.MONTH.value
    try:
        return Every(value.lower())
    except ValueError:
        raise FilterError("every", f"{value!r} is not one of week, month") from None


def _hours(params: Params) -> tuple[time, time]:
    value = _one(params, "hours")
    if value is None:
        return time(9), time(18)
    match = HOURS.match(value)
    try:
        start, end = ((time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4])))
                      if match else (None, None))
    except ValueError:
        start = end = None
    if start is None or end is None or start >= end:
        raise FilterError("hours", f"{value!r} is not office hours like 09:00-18:00")
    return start, end


def _int(params: Params, name: str) -> int:
    default, low, high = NUMBERS[name]
    value = _one(params, name)
    if value is None:
        return default
    if not WHOLE_NUMBER.match(value) or not low <= int(value) <= high:
        raise FilterError(name, f"expected a whole number from {low} to {high}, got {value!r}")
    return int(value)
