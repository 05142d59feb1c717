"""A zone's current rules as at most two yearly weekday shifts.

Outlook reads a VTIMEZONE as one STANDARD and at most one DAYLIGHT block, each
recurring on "the nth (or last) weekday of a month at a wall-clock time"
(MS-OXCICAL 2.1.3.1.1.19, the Windows ``TIME_ZONE_INFORMATION`` model). This
module finds a zone's transitions in zoneinfo, fits that model to them and
checks the fit, year by year, against zoneinfo itself. Zones whose rules do
not fit (Morocco's Ramadan shifts, Chile's "first Sunday on or after the
2nd", Nuuk's shift on the Saturday before the last Sunday) get no rule, and
their events are written in UTC instead.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import product
from zoneinfo import ZoneInfo

# Scanning steps shorter than any period between two transitions in current
# tzdata; bisection then narrows each change down to the second.
_STEP = timedelta(hours=12)
_SECOND = timedelta(seconds=1)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

Transition = tuple[datetime, timedelta, timedelta]
"""A UTC instant, the offset before it and the offset from it on."""


@dataclass(frozen=True, slots=True)
class YearlyShift:
    """A change of offset on the *week*-th *weekday* of *month* each year.

    *week* is 1 to 4, or -1 for the last such weekday (RFC 5545 3.3.10
    BYDAY). *wall* is the local time of day before the change: RFC 5545
    3.6.5 reads a STANDARD or DAYLIGHT DTSTART in the TZOFFSETFROM offset.
    """

    month: int
    week: int
    weekday: int
    wall: timedelta
    offset_from: timedelta
    offset_to: timedelta

    @property
    def byday(self) -> str:
        return f"{self.week}{_WEEKDAYS[self.weekday]}"

    def local_date(self, year: int) -> date:
        """The day of the shift in *year*."""
        days = calendar.monthcalendar(year, self.month)
        found = [week[self.weekday] for week in days if week[self.weekday]]
        return date(year, self.month, found[self.week - 1 if self.week > 0 else -1])

    def local_start(self, year: int) -> datetime:
        """The naive wall time of the shift in *year*, as DTSTART writes it."""
        return datetime.combine(self.local_date(year), time()) + self.wall

    def instant(self, year: int) -> datetime:
        return (self.local_start(year) - self.offset_from).replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ZoneRule:
    """A zone as a standard offset and, optionally, a daylight period.

    ``daylight`` is the shift into the period with the larger offset and
    ``standard`` the shift back. That holds even for Europe/Dublin, whose
    tzdata calls winter the "daylight saving" period (a negative save):
    Outlook and the Windows zone model expect summer to be daylight.
    """

    tzid: str
    standard_offset: timedelta
    standard_name: str
    daylight: YearlyShift | None = None
    standard: YearlyShift | None = None
    daylight_name: str = ""

    def transitions(self, year: int) -> list[Transition]:
        """This rule's changes of offset whose instant falls in *year* (UTC)."""
        shifts = [s for s in (self.daylight, self.standard) if s is not None]
        found = [(s.instant(y), s.offset_from, s.offset_to) for s in shifts
                 for y in (year - 1, year, year + 1)]
        return sorted(t for t in found if t[0].year == year)

    def offset_at(self, instant: datetime) -> timedelta:
        """The UTC offset this rule gives at the aware *instant*."""
        year = instant.astimezone(UTC).year
        past = [t for y in (year - 1, year) for t in self.transitions(y) if t[0] <= instant]
        return past[-1][2] if past else self.standard_offset


def zone_transitions(zone: ZoneInfo, year: int) -> list[Transition]:
    """Every change of UTC offset zoneinfo makes in *year* (UTC), in order."""
    found: list[Transition] = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    while moment < end:
        following = min(moment + _STEP, end)
        if _offset(zone, moment) != _offset(zone, following):
            found.append(_bisect(zone, moment, following))
        moment = following
    return found


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # zoneinfo always knows the offset of an aware instant
    return offset


def _bisect(zone: ZoneInfo, low: datetime, high: datetime) -> Transition:
    """Narrow a change of offset between *low* and *high* to the second."""
    before = _offset(zone, low)
    while high - low > _SECOND:
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _offset(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high, before, _offset(zone, high)


def _shift_candidates(transition: Transition) -> list[YearlyShift]:
    """The weekday rules that could have produced *transition*.

    A change on the 25th of a 31-day month is both the 4th and the last
    such weekday; only other years tell which, so both are tried, last first.
    """
    instant, before, after = transition
    local = instant.replace(tzinfo=None) + before
    wall = local - datetime.combine(local.date(), time())
    last_day = calendar.monthrange(local.year, local.month)[1]
    weeks = [-1] if local.day + 7 > last_day else []
    if local.day <= 28:
        weeks.append((local.day - 1) // 7 + 1)
    return [YearlyShift(local.month, w, local.weekday(), wall, before, after) for w in weeks]


def _fits(rule: ZoneRule, zone: ZoneInfo, years: range) -> bool:
    """Whether *rule* gives zoneinfo's offsets at every instant of *years*."""
    start = datetime(years.start, 1, 1, tzinfo=UTC)
    if rule.offset_at(start) != _offset(zone, start):
        return False
    return all(rule.transitions(y) == zone_transitions(zone, y) for y in years)


def _candidate_rules(tzid: str, zone: ZoneInfo, year: int) -> list[ZoneRule]:
    """Rules fitted to zoneinfo's changes in *year*; empty if none can fit."""
    changes = zone_transitions(zone, year)
    if not changes:
        start = datetime(year, 1, 1, tzinfo=UTC)
        return [ZoneRule(tzid, _offset(zone, start), _name(zone, start))]
    if len(changes) != 2 or (changes[0][1], changes[0][2]) != (changes[1][2], changes[1][1]):
        return []  # not a plain back-and-forth between two offsets
    summer, winter = sorted(changes, key=lambda c: c[2], reverse=True)
    std_name, dst_name = _name(zone, winter[0]), _name(zone, summer[0])
    return [ZoneRule(tzid, winter[2], std_name, daylight=d, standard=s, daylight_name=dst_name)
            for d, s in product(_shift_candidates(summer), _shift_candidates(winter))]


def _name(zone: ZoneInfo, instant: datetime) -> str:
    return instant.astimezone(zone).tzname() or ""


@cache
def zone_rule(tzid: str, year: int = 2026) -> ZoneRule | None:
    """Fit *tzid*'s rules for *year* and check them over *year* - 1 to *year* + 4.

    Return None for unknown zones and zones the model cannot express.
    """
    try:
        zone = ZoneInfo(tzid)
    except (ValueError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        return None
    years = range(year - 1, year + 5)
    fitting = (r for r in _candidate_rules(tzid, zone, year) if _fits(r, zone, years))
    return next(fitting, None)
