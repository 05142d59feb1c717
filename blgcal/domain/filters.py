"""The filter vocabulary shared by the agenda, the JSON API and the feeds.

``parse_filters`` turns query parameters (each possibly repeated) into an
:class:`EventFilter`, or raises :class:`FilterError` naming the parameter, so
that a typo gets a 400 with a reason, never an empty 200.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from blgcal.domain.places import is_country
from blgcal.domain.types import Kind, Status

T = TypeVar("T")
TAG = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
WHOLE_NUMBER = re.compile(r"^[0-9]{1,18}$")  # ASCII only: str.isdigit() accepts "²" and "①"
MAX_QUERY = 200
MAX_PAGE = 10**6
#: The days a query may name. Wide enough for any meeting, narrow enough that
#: a window's arithmetic (a day after, a year ahead) never leaves ``date``.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)


class FilterError(ValueError):
    """A query parameter is malformed; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        self.message = message
        super().__init__(f"{param}: {message}")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to show. Empty tuples mean "any"."""

    date_from: date | None = None
    date_to: date | None = None
    bodies: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    statuses: tuple[Status, ...] = ()
    countries: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    text: str = ""
    page: int = 1
    per_page: int = 50

    def with_page(self, page: int) -> EventFilter:
        return replace(self, page=page)


Params = Mapping[str, Sequence[str]]


def parse_filters(params: Params, *, known_bodies: Collection[str], per_page: int = 50,
                  max_per_page: int = 500) -> EventFilter:
    """Validate *params* (name to list of values) into an :class:`EventFilter`."""
    date_from, date_to = parse_window(params)
    return EventFilter(
        date_from=date_from,
        date_to=date_to,
        bodies=each_value(params, "body", lambda v: known_member(v, known_bodies, "body")),
        kinds=each_value(params, "kind", lambda v: _enum(Kind, v)),
        statuses=each_value(params, "status", lambda v: _enum(Status, v)),
        countries=each_value(params, "country", _country),
        tags=each_value(params, "tag", _tag),
        text=_text(params),
        page=_int(params, "page", 1, low=1, high=MAX_PAGE),
        per_page=_int(params, "per_page", per_page, low=1, high=max_per_page),
    )


def _values(params: Params, name: str) -> list[str]:
    """Every non-empty value of *name*; commas split values too (body=cbd,cms)."""
    return [part.strip() for value in params.get(name, ()) for part in value.split(",")
            if part.strip()]


def each_value(params: Params, name: str, convert: Callable[[str], T]) -> tuple[T, ...]:
    found: list[T] = []
    for value in _values(params, name):
        try:
            item = convert(value)
        except ValueError as exc:
            raise FilterError(name, str(exc)) from None
        if item not in found:
            found.append(item)
    return tuple(found)


def known_member(value: str, known: Collection[str], what: str) -> str:
    slug = value.lower()
    if slug not in known:
        raise ValueError(f"unknown {what} {value!r}; known: {', '.join(sorted(known))}")
    return slug


E = TypeVar("E", Kind, Status)


def _enum(enum: type[E], value: str) -> E:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValueError(f"{value!r} is not one of {allowed}") from None


def _country(value: str) -> str:
    if not is_country(value):
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return value.upper()


def _tag(value: str) -> str:
    tag = value.lower()
    if not TAG.match(tag):
        raise ValueError(f"{value!r} is not a tag (letters, digits, '-' and '_')")
    return tag


def _text(params: Params) -> str:
    text = " ".join(v.strip() for v in params.get("q", ()) if v.strip())
    if len(text) > MAX_QUERY:
        raise FilterError("q", f"longer than {MAX_QUERY} characters")
    return text


def _int(params: Params, name: str, default: int, *, low: int, high: int) -> int:
    values = _values(params, name)
    if not values:
        return default
    if len(values) > 1 or not WHOLE_NUMBER.match(values[0]):
        raise FilterError(name, f"expected one whole number, got {', '.join(values)!r}")
    number = int(values[0])
    if not low <= number <= high:
        raise FilterError(name, f"must be between {low} and {high}")
    return number


def parse_window(params: Params) -> tuple[date | None, date | None]:
    date_from = _one_date(params, "from")
    date_to = _one_date(params, "to")
    month = _values(params, "month")
    if month:
        date_from, date_to = _month(month[-1])
    if date_from and date_to and date_from > date_to:
        raise FilterError("from", f"{date_from} is after to={date_to}")
    return date_from, date_to


def _one_date(params: Params, name: str) -> date | None:
    values = _values(params, name)
    if not values:
        return None
    if len(values) > 1:
        raise FilterError(name, "give it once")
    return parse_day(values[0], name)


def parse_day(value: str, name: str) -> date:
    """An ISO 8601 date, or the date part of an ISO 8601 date-time, in the calendar's range."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        try:
            day = datetime.fromisoformat(value).date()
        except ValueError:
            raise FilterError(name, f"{value!r} is not an ISO 8601 date (YYYY-MM-DD)") from None
    return in_range(day, name)


def in_range(day: date, name: str) -> date:
    """*day*, or a FilterError when it lies outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FilterError(name, f"{day.isoformat()} is outside the calendar's range "
                                f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
    return day


def _month(value: str) -> tuple[date, date]:
    match = MONTH.match(value)
    if not match or not 1 <= int(match[2]) <= 12:
        raise FilterError("month", f"{value!r} is not a month (YYYY-MM)")
    year, month = int(match[1]), int(match[2])
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise FilterError("month", f"{value!r} is outside the calendar's range "
                                   f"({FIRST_DAY.year} to {LAST_DAY.year})")
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
