"""Holiday: meeting days that are public holidays where the meeting is held."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from blgcal.domain.clashes.items import Item
from blgcal.domain.clashes.model import Clash, ClashKind, Found, Severity
from blgcal.domain.geo import public_holidays
from blgcal.domain.places import country_name
from blgcal.domain.types import Event
from blgcal.domain.wording import describe_event, format_day, listed


class HolidayFacts(NamedTuple):
    """The holidays the meeting's days fall on, in date order."""

    hits: tuple[tuple[date, str], ...]

    def explain(self, events: tuple[Event, ...]) -> str:
        named = [f"{name} ({format_day(day)})" for day, name in self.hits]
        kind = "a public holiday" if len(named) == 1 else "public holidays"
        country = country_name(events[0].country)
        return f"{describe_event(events[0])} falls on {listed(named)}, {kind} in {country}."


def add_holidays(found: Found, items: Sequence[Item]) -> None:
    """One clash per in-person meeting with holidays: ``warn`` on the opening day."""
    for item in items:
        event = item.event
        if event.kind.is_meeting and event.country and not event.online:
            hits = _holidays(event.country, item.first, item.last)
            if hits:
                severity = Severity.WARN if hits[0][0].toordinal() == item.first else Severity.INFO
                clash = Clash(ClashKind.HOLIDAY, severity, (event,), HolidayFacts(hits))
                found.add(item.first, clash)


def _holidays(country: str, first: int, last: int) -> tuple[tuple[date, str], ...]:
    """The public holidays of *country* between two day ordinals, inclusive."""
    days = [date.fromordinal(n) for n in range(first, last + 1)]
    return tuple((day, name) for day in days
                 if (name := public_holidays(country, day.year).get(day)))
