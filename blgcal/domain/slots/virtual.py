"""Virtual slots: a start time inside every required secretariat's office hours.

Each secretariat's office hours are read in its own zone (the bodies table:
Montreal, Geneva, Bonn, Rome, Cambridge...) on each of its working days
(its country's weekend and public holidays) when the body is neither in
session nor within a governing body's buffer. Those local hours become UTC
intervals, so a daylight-saving change on either side moves them; the
intervals of all secretariats are intersected, and every start on the step
grid (UTC, every 30 minutes by default) whose meeting fits inside is a slot.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from blgcal.domain.places import country_name
from blgcal.domain.slots import scoring
from blgcal.domain.slots.in_person import nobody_in_session, past, sessions
from blgcal.domain.slots.model import Cause, Day, LocalTime, Slot
from blgcal.domain.slots.occupancy import Occupancy
from blgcal.domain.slots.request import SlotRequest, SlotRules
from blgcal.domain.slots.workdays import holiday_name, is_working_day, weekend
from blgcal.domain.types import Body, zone_info
from blgcal.domain.wording import listed

MARGIN_POINTS = 2
MARGIN_CAP = 120
DAY_MINUTES = 24 * 60
Interval = tuple[int, int]
"""A half-open span of minutes since the Unix epoch, UTC."""


@dataclass(frozen=True, slots=True)
class Office:
    """One secretariat's open hours over the window, as UTC minute intervals."""

    body: Body
    zone: str
    spans: tuple[Interval, ...]
    starts: tuple[int, ...]

    @property
    def city(self) -> str:
        return self.body.city or self.body.short_name

    def overlap(self, start: int, end: int) -> int:
        """Minutes of ``[start, end)`` inside one of its office days (the best one)."""
        index = bisect.bisect_right(self.starts, start)
        best = 0
        for low, high in self.spans[max(index - 1, 0):index + 1]:
            best = max(best, min(high, end) - max(low, start))
        return best

    def widened(self, by: int) -> Office:
        """The same office open *by* minutes earlier and later (to search near misses)."""
        return Office(self.body, self.zone, tuple((low - by, high + by) for low, high in self.spans),
                      self.starts)

    def margin(self, start: int, end: int) -> int:
        """Minutes between the meeting and the nearer edge of the office day holding it."""
        index = bisect.bisect_right(self.starts, start) - 1
        low, high = self.spans[index]
        return min(start - low, high - end)


def minute(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def midnight(day: date) -> int:
    """The minute *day* begins, UTC."""
    return minute(datetime.combine(day, time(0), UTC))


def instant(minutes: int) -> datetime:
    return datetime.fromtimestamp(minutes * 60, UTC)


def offices(request: SlotRequest, occ: Occupancy, bodies: Sequence[Body]) -> list[Office]:
    """Each required secretariat's office hours on its free working days near the window."""
    opens, closes = request.office
    found = []
    for body in bodies:
        assert body.timezone is not None
        zone = zone_info(body.timezone)
        spans = []
        day = request.first - timedelta(days=1)
        while day <= request.last + timedelta(days=1):
            ordinal = day.toordinal()
            if (is_working_day(body.country or "", day) and not occ.busy_on(body.slug, ordinal)
                    and not occ.buffer_on(body.slug, ordinal)):
                spans.append((minute(datetime.combine(day, opens, zone)),
                              minute(datetime.combine(day, closes, zone))))
            day += timedelta(days=1)
        found.append(Office(body, body.timezone, tuple(spans), tuple(low for low, _ in spans)))
    return found


def common_starts(found: Sequence[Office], *, length: int, step: int, low: int, high: int
                  ) -> list[int]:
    """Starts on the step grid, from *low* up to *high*, inside everyone's hours."""
    shared: list[Interval] = [(low, high + length)]
    for office in found:
        shared = _intersect(shared, office.spans)
    starts = []
    for begin, end in shared:
        start = -(-begin // step) * step
        while start + length <= end:
            if start < high:
                starts.append(start)
            start += step
    return starts


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    i = j = 0
    out = []
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low < high:
            out.append((low, high))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def out_of_hours(found: Sequence[Office], start: int, length: int) -> list[int] | None:
    """Minutes each secretariat would sit outside its hours; None if one has a day off."""
    outs = []
    for office in found:
        inside = office.overlap(start, start + length)
        if inside <= 0:
            return None
        outs.append(length - inside)
    return outs


def local_times(found: Sequence[Office], start: int, length: int,
                outs: Sequence[int] | None = None) -> tuple[LocalTime, ...]:
    begin, end = instant(start), instant(start + length)
    return tuple(LocalTime(office.body.slug, office.zone, begin.astimezone(zone_info(office.zone)),
                           end.astimezone(zone_info(office.zone)), outs[n] if outs else 0)
                 for n, office in enumerate(found))


def day_verdicts(request: SlotRequest, occ: Occupancy, bodies: Sequence[Body], *,
                 names: Mapping[str, str], today: date | None, fitting: set[date]) -> list[Day]:
    """Each UTC day of the window: weekends and holidays anywhere, sessions, no common hours."""
    countries = {code: country_name(code)
                 for code in sorted({body.country for body in bodies if body.country})}
    found = []
    day = request.first
    while day <= request.last:
        why = past(day, today)
        off = [name for code, name in countries.items() if day.weekday() in weekend(code)]
        if off:
            why.append((Cause.WEEKEND, f"weekend in {listed(off)}"))
        why.extend((Cause.HOLIDAY, f"{holiday}, a public holiday in {name}")
                   for code, name in countries.items() if (holiday := holiday_name(code, day)))
        why.extend(sessions(occ, names, day.toordinal()))
        if not why and day not in fitting:
            why.append((Cause.HOURS, f"no {request.minutes} minutes lie inside "
                                     f"{hours_text(request)} for every secretariat"))
        found.append(Day(day, tuple(why)))
        day += timedelta(days=1)
    return found


def hours_text(request: SlotRequest) -> str:
    opens, closes = request.office
    return f"{opens:%H:%M}\u2013{closes:%H:%M}"


def slots(request: SlotRequest, occ: Occupancy, found: Sequence[Office], starts: Sequence[int], *,
          names: Mapping[str, str], optional: Mapping[str, str], rules: SlotRules,
          limit: int | None) -> list[Slot]:
    """The best start of each day that has one, best first; the first *limit* explained.

    Local times are worded only for the slots that are shown (all when *limit*
    is None): scores do not depend on them.
    """
    assert request.minutes is not None
    length = request.minutes
    best: dict[date, tuple[int, int]] = {}
    for start in starts:
        tightest = min(office.margin(start, start + length) for office in found)
        day = instant(start).date()
        if day not in best or tightest > best[day][0]:
            best[day] = (tightest, start)
    scored = sorted(((_verdict(request, occ, start, margin, names=names, optional=optional,
                               rules=rules), start) for margin, start in best.values()),
                    key=lambda pair: (-pair[0].score, pair[1]))
    shown = len(scored) if limit is None else limit
    return [_slot(request, found, verdict, start, explain=rank < shown)
            for rank, (verdict, start) in enumerate(scored)]


def _verdict(request: SlotRequest, occ: Occupancy, start: int, margin: int, *,
             names: Mapping[str, str], optional: Mapping[str, str],
             rules: SlotRules) -> scoring.Verdict:
    verdict = scoring.Verdict()
    verdict.score += MARGIN_POINTS * (min(margin, MARGIN_CAP) // rules.step_minutes)
    verdict.reasons.append(nobody_in_session(request.buffer_days))
    verdict.reasons.append("A working day for every secretariat: weekends and public holidays "
                           "avoided.")
    ordinal = instant(start).date().toordinal()
    scoring.people_elsewhere(verdict, occ, required=names, optional=optional, first=ordinal,
                             last=ordinal)
    scoring.tentative_nearby(verdict, occ, first=ordinal, last=ordinal, within=rules.nearby_days)
    return verdict


def _slot(request: SlotRequest, found: Sequence[Office], verdict: scoring.Verdict, start: int,
          *, explain: bool) -> Slot:
    assert request.minutes is not None
    times = local_times(found, start, request.minutes) if explain else ()
    reasons = tuple(verdict.reasons)
    if explain:
        reasons = (f"Inside {hours_text(request)} for every required secretariat: "
                   f"{describe_times(found, times)}.", *reasons)
    return Slot(verdict.score, reasons, tuple(verdict.conflicts), start_dt=instant(start),
                end_dt=instant(start + request.minutes), local_times=times)


def describe_times(found: Sequence[Office], times: Sequence[LocalTime]) -> str:
    """"Montreal 09:30–11:00, Geneva and Rome 15:30–17:00": cities sharing a clock together."""
    grouped: dict[str, list[str]] = {}
    for office, local in zip(found, times):
        span = f"{local.start:%H:%M}\u2013{local.end:%H:%M}"
        if office.city not in grouped.setdefault(span, []):
            grouped[span].append(office.city)
    return ", ".join(f"{listed(cities)} {span}" for span, cities in grouped.items())


def window_minutes(request: SlotRequest, today: date | None) -> tuple[int, int]:
    """The first and last-plus-one minute a meeting may start, UTC."""
    first = max(request.first, today) if today is not None else request.first
    return midnight(first), midnight(request.last + timedelta(days=1))
