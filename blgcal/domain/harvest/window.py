"""The days a harvest keeps of a source, around the day it runs.

Items whose days overlap the window are kept (undated ones always); the
iCalendar reader expands recurring series only inside it. Like a feed's
:class:`~blgcal.domain.ical.window.FeedWindow`, both ends are days people
name; :attr:`HarvestWindow.end_date` gives the half-open form that RFC 5545's
exclusive ends and the recurrence library take.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class HarvestWindow:
    """From *first_date* to *last_date*, both days kept."""

    first_date: date
    last_date: date

    def __post_init__(self) -> None:
        if self.last_date < self.first_date:
            raise ValueError(f"the window ends on {self.last_date} before it starts on {self.first_date}")

    @classmethod
    def around(cls, today: date, *, back: int, ahead: int) -> HarvestWindow:
        """*back* days before *today* to *ahead* days after it."""
        return cls(today - timedelta(days=back), today + timedelta(days=ahead))

    @property
    def end_date(self) -> date:
        """The day after the last: the window is ``[first_date, end_date)``."""
        return self.last_date + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end_date - self.first_date).days

    def contains(self, days: tuple[date, date] | None) -> bool:
        """Whether an item on *days* (its first and last, inclusive) is kept; undated ones are."""
        return days is None or (days[0] <= self.last_date and days[1] >= self.first_date)

    @property
    def tag(self) -> str:
        """``/2026-05-31/2029-11-28`` (first day, day after the last): ends a source's content key."""
        return f"/{self.first_date.isoformat()}/{self.end_date.isoformat()}"
