"""What the agenda, past, month and body pages show, and their fingerprints."""

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


@dataclass(frozen=True)
class AgendaQuery:
    """An agenda to show: *flt*'s events from *today*, for staff or the public.

    :meth:`read` builds it; :meth:`fingerprint` runs the same queries as one
    aggregate each, so a cached agenda can tell whether a write touched it.
    """

    flt: EventFilter
    today: date
    recent: int = 6  # past meetings shown when none lie ahead
    include_staff: bool = False

    def read(self, session: Session) -> Agenda:
        """Upcoming events for *flt*; when none lie ahead, the most recent past ones too.

        The shipped data has no exact date after November 2026, so an agenda must
        fall back to what is expected rather than show an empty page.
        """
        upcoming = queries.page_from(queries.load(session, self._upcoming()), self.flt)
        past = self._past()
        recent = queries.load(session, past) if past is not None and not upcoming.items else []
        undated_query = self._undated()
        undated = queries.load(session, undated_query) if undated_query is not None else []
        states = {state: [row for row in undated
                          if expectation(row.expected, row.status, self.today) is state]
                  for state in Expectation}
        rules = tuple(observance_data(row) for row in queries.observances(session))
        return Agenda(upcoming, expected=states[Expectation.AHEAD],
                      overdue=states[Expectation.OVERDUE], undated_past=states[Expectation.HELD],
                      observances=observance_rules.upcoming(rules, self.today), recent=recent)

    def fingerprint(self, session: Session) -> str:
        """A fingerprint of the events :meth:`read` would show (none of them is read)."""
        reads = (self._upcoming(), self._past(), self._undated())
        return queries.fingerprint(session, *(query for query in reads if query is not None))

    def _upcoming(self) -> queries.AnySelect:
        """The page of upcoming events, with one row extra."""
        start = max(self.today, self.flt.date_from) if self.flt.date_from else self.today
        return queries.page_of(queries.upcoming_query(
            self.flt, today=start, include_staff=self.include_staff), self.flt)

    def _past(self) -> queries.AnySelect | None:
        """The latest past events, shown on the first page when nothing lies ahead."""
        if self.flt.page != 1:
            return None
        return queries.past_query(self.flt, today=self.today,
                                  include_staff=self.include_staff).limit(self.recent)

    def _undated(self) -> queries.AnySelect | None:
        """Events without dates, left out of an agenda between dates."""
        if self.flt.date_from or self.flt.date_to:
            return None
        return queries.undated_query(self.flt, include_staff=self.include_staff)


@dataclass(frozen=True)
class PastQuery:
    """A page of *flt*'s events that ended before *today*, the latest first."""

    flt: EventFilter
    today: date
    include_staff: bool = False

    def read(self, session: Session) -> queries.Page:
        return queries.page_from(queries.load(session, self._events()), self.flt)

    def fingerprint(self, session: Session) -> str:
        """A fingerprint of the events :meth:`read` would show (none of them is read)."""
        return queries.fingerprint(session, self._events())

    def _events(self) -> queries.AnySelect:
        return queries.page_of(queries.past_query(self.flt, today=self.today,
                                                  include_staff=self.include_staff), self.flt)


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


@dataclass(frozen=True)
class MonthQuery:
    """A month to show: a Monday-first grid with *flt*'s events covering each day."""

    flt: EventFilter
    year: int
    month: int
    include_staff: bool = False

    def read(self, session: Session) -> MonthGrid:
        weeks = self._weeks()
        by_day: dict[date, list[EventData]] = {day: [] for week in weeks for day in week}
        for event in queries.load(session, self._events()):
            first, last = event.local_days() or (date.max, date.min)
            for day in by_day:
                if first <= day <= last:
                    by_day[day].append(event)
        days: dict[date, list[ObservanceData]] = {day: [] for day in by_day}
        for observance in map(observance_data, queries.observances(session)):
            for day in observance_rules.occurrences(observance, weeks[0][0], weeks[-1][-1]):
                days[day].append(observance)
        return MonthGrid(self.year, self.month, weeks, by_day, days)

    def fingerprint(self, session: Session) -> str:
        """A fingerprint of the events :meth:`read` would show (none of them is read)."""
        return queries.fingerprint(session, self._events())

    def _weeks(self) -> list[list[date]]:
        return calendar.Calendar(firstweekday=0).monthdatescalendar(self.year, self.month)

    def _events(self) -> queries.AnySelect:
        weeks = self._weeks()
        window = replace(self.flt, date_from=weeks[0][0], date_to=weeks[-1][-1])
        return queries.window_query(window, include_staff=self.include_staff)
