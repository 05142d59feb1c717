"""What a slot search answers: ranked slots, a verdict per day, and why."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


class Cause(enum.StrEnum):
    """Why a day of the window is not free, in the order the strip reports them."""

    PAST = "past"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    BUSY = "busy"
    BUFFER = "buffer"
    TRAVEL = "travel"
    HOURS = "hours"

    @property
    def label(self) -> str:
        return CAUSE_LABELS[self]


CAUSE_LABELS = {
    Cause.PAST: "already past",
    Cause.WEEKEND: "weekend",
    Cause.HOLIDAY: "public holiday",
    Cause.BUSY: "a required body is in session",
    Cause.BUFFER: "within the buffer of a governing body",
    Cause.TRAVEL: "too little time to travel",
    Cause.HOURS: "no common office hours",
}


@dataclass(frozen=True, slots=True)
class LocalTime:
    """A virtual slot as one secretariat lives it."""

    body: str
    zone: str
    start: datetime
    end: datetime
    out_minutes: int = 0


@dataclass(frozen=True, slots=True)
class Slot:
    """One candidate: all-day dates in person, UTC instants when virtual."""

    score: int
    reasons: tuple[str, ...]
    conflicts: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    start_dt: datetime | None = None
    end_dt: datetime | None = None
    city: str | None = None
    country: str | None = None
    venue: str | None = None
    timezone: str | None = None
    local_times: tuple[LocalTime, ...] = ()

    @property
    def key(self) -> str:
        """What a hold names: the first day, or the UTC start instant."""
        if self.start_dt is not None:
            return self.start_dt.strftime("%Y-%m-%dT%H:%MZ")
        assert self.start_date is not None
        return self.start_date.isoformat()

    @property
    def first_day(self) -> date:
        if self.start_dt is not None:
            return self.start_dt.date()
        assert self.start_date is not None
        return self.start_date


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the window: what rules it out, each with its sentence, or nothing.

    ``rank`` is the position (from 1) of the slot starting that day, if listed.
    """

    day: date
    why: tuple[tuple[Cause, str], ...] = ()
    rank: int | None = None

    @property
    def free(self) -> bool:
        return not self.why

    @property
    def causes(self) -> tuple[Cause, ...]:
        return tuple(dict.fromkeys(cause for cause, _ in self.why))

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.why)


@dataclass(frozen=True, slots=True)
class Removal:
    """One constraint and how many days of the window it rules out."""

    cause: Cause
    days: int
    detail: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """A summary, the constraints by days removed, and the nearest misses."""

    summary: str
    removed: tuple[Removal, ...] = ()
    nearest: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SlotSearch:
    """The answer: slots best first, every day's verdict, and the explanation.

    ``out_of_hours`` (a series only) is each secretariat's total minutes
    outside its office hours over the series.
    """

    slots: tuple[Slot, ...]
    days: tuple[Day, ...]
    explanation: Explanation
    out_of_hours: tuple[tuple[str, int], ...] = ()
