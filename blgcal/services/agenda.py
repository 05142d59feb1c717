"""What the agenda and body pages show: upcoming, expected, observances, recent."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from blgcal.domain import observances as observance_rules
from blgcal.domain.expected import Expectation, expectation
from blgcal.domain.filters import EventFilter
from blgcal.domain.types import Body as BodyData
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Observance as ObservanceData
from blgcal.models import Body, Observance
from blgcal.services import queries


@dataclass(frozen=True)
class Agenda:
    upcoming: queries.Page
    #: Undated meetings by :class:`Expectation`: still ahead, overdue, held.
    expected: list[EventData]
    overdue: list[EventData]
    undated_past: list[EventData]
    observances: list[tuple[date, ObservanceData]]
    recent: list[EventData]

    @property
    def nothing_dated_ahead(self) -> bool:
        return not self.upcoming.items and self.upcoming.page == 1


def body_data(row: Body) -> BodyData:
    return BodyData(slug=row.slug, short_name=row.short_name, name=row.name,
                    blg_member=row.blg_member, city=row.city, country=row.country,
                    timezone=row.timezone, website=row.website)


def observance_data(row: Observance) -> ObservanceData:
    return ObservanceData(name=row.name, rrule=row.rrule, lead_body=row.lead_body,
                          note=row.note, source_url=row.source_url, slug=row.slug)


def agenda(session: Session, flt: EventFilter, *, today: date, recent: int = 6,
           include_staff: bool = False) -> Agenda:
    """Upcoming events for *flt*; when none lie ahead, the most recent past ones too.

    The shipped data has no exact date after November 2026, so an agenda must
    fall back to what is expected rather than show an empty page.
    """
    start = max(today, flt.date_from) if flt.date_from else today
    upcoming = queries.upcoming_page(session, flt, today=start, include_staff=include_staff)
    past: list[EventData] = []
    if not upcoming.items and flt.page == 1:
        past_filter = replace(flt, per_page=recent, page=1)
        past = list(queries.past_page(session, past_filter, today=today,
                                      include_staff=include_staff).items)
    undated = [] if flt.date_from or flt.date_to else queries.undated(
        session, flt, include_staff=include_staff)
    states = {state: [row for row in undated
                      if expectation(row.expected, row.status, today) is state]
              for state in Expectation}
    rules = tuple(observance_data(row) for row in queries.observances(session))
    return Agenda(upcoming, expected=states[Expectation.AHEAD],
                  overdue=states[Expectation.OVERDUE], undated_past=states[Expectation.HELD],
                  observances=observance_rules.upcoming(rules, today), recent=past)


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: list[list[date]]
    events_by_day: dict[date, list[EventData]]
    observances_by_day: dict[date, list[ObservanceData]]

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def previous(self) -> date:
        return self.first - timedelta(days=1)

    @property
    def following(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)


def month_grid(session: Session, flt: EventFilter, *, year: int, month: int,
               include_staff: bool = False) -> MonthGrid:
    """A Monday-first grid of the month with the events covering each day."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    window = replace(flt, date_from=weeks[0][0], date_to=weeks[-1][-1])
    by_day: dict[date, list[EventData]] = {day: [] for week in weeks for day in week}
    for event in queries.in_window(session, window, include_staff=include_staff):
        first, last = event.local_days() or (date.max, date.min)
        for day in by_day:
            if first <= day <= last:
                by_day[day].append(event)
    days: dict[date, list[ObservanceData]] = {day: [] for day in by_day}
    for observance in map(observance_data, queries.observances(session)):
        for day in observance_rules.occurrences(observance, weeks[0][0], weeks[-1][-1]):
            days[day].append(observance)
    return MonthGrid(year, month, weeks, by_day, days)
