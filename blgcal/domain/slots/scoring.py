"""Scores, reasons and soft conflicts of a slot, in plain sentences.

Every slot that passes the hard rules starts at 100 points:

* +30 on the working day just before or after the meeting it is near (the
  same venue: no extra journey), +15 and +5 on the second and third;
* +5 for each optional body that is free;
* virtual: +2 for each half hour (up to two hours) between the meeting and
  the nearer edge of the tightest secretariat's office day;
* -10 for each soft conflict that occupies people on the day (an optional
  body in session, a required body's staff at a meeting that does not need
  its head), -5 for each one that may yet move (a tentative meeting within
  two days) or leaves no slack (a journey with exactly the days it needs).

Ties go to the earlier date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from blgcal.domain.slots.occupancy import Occupancy
from blgcal.domain.slots.travel import Journey
from blgcal.domain.types import Event, Status
from blgcal.domain.wording import describe_event, listed

BASE = 100
NEAR_BONUS = (30, 15, 5)
OPTIONAL_BONUS = 5
BUSY_PENALTY = 10
SOFT_PENALTY = 5


@dataclass(slots=True)
class Verdict:
    """Points, reasons and conflicts gathered for one slot."""

    score: int = BASE
    reasons: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def conflict(self, text: str, penalty: int) -> None:
        if text not in self.conflicts:
            self.conflicts.append(text)
            self.score -= penalty


def people_elsewhere(verdict: Verdict, occ: Occupancy, *, required: Mapping[str, str],
                     optional: Mapping[str, str], first: int, last: int) -> None:
    """Conflicts with optional bodies in session and required bodies' staff away."""
    free = []
    for slug, name in optional.items():
        found = _events_in(occ.busy_on, slug, first, last)
        for event in found:
            verdict.conflict(f"{name} (optional) is at {_named(event)}.", BUSY_PENALTY)
        if not found:
            free.append(name)
    for slug, name in required.items():
        for event in _events_in(occ.staff_on, slug, first, last):
            verdict.conflict(f"{name} staff are at {_named(event)}, which does not need "
                             f"the head of secretariat.", BUSY_PENALTY)
    if free:
        verdict.score += OPTIONAL_BONUS * len(free)
        verdict.reasons.append(f"{listed(free)} (optional) {'is' if len(free) == 1 else 'are'}"
                               f" free too.")


def tentative_nearby(verdict: Verdict, occ: Occupancy, *, first: int, last: int,
                     within: int) -> None:
    """A soft conflict per tentative meeting of a required body a few days away."""
    for start, end, event in occ.tentative:
        gap = max(start - last, first - end)
        if 0 < gap <= within:
            days = "1 day" if gap == 1 else f"{gap} days"
            verdict.conflict(f"{describe_event(event)} is tentative and {days} away: if it "
                             f"moves, it may clash.", SOFT_PENALTY)


def travel(verdict: Verdict, found: Sequence[Journey]) -> None:
    """Tight journeys are conflicts; otherwise one reason says travel fits."""
    if not found:
        verdict.reasons.append("No required body meets elsewhere within a journey's reach.")
        return
    for journey in found:
        if journey.free == journey.need:
            verdict.conflict(f"Tight travel: {journey.text}.", SOFT_PENALTY)
    tightest = min(found, key=lambda journey: journey.free - journey.need)
    if tightest.free > tightest.need:
        verdict.reasons.append(f"Travel fits: {tightest.text}.")


def near_anchor(verdict: Verdict, anchor: Event, *, first: date, last: date,
                before: Sequence[date], after: Sequence[date]) -> None:
    """The bonus and reason for a slot on the working days next to *anchor*."""
    place = "same venue" if anchor.venue else "same city"
    for rank, day in enumerate(after):
        if first == day:
            _near(verdict, rank, f"working day after {_named(anchor)}", place)
            return
    for rank, day in enumerate(before):
        if last == day:
            _near(verdict, rank, f"working day before {_named(anchor)}", place)
            return
    verdict.reasons.append(f"In {anchor.city}, where {_named(anchor)} meets.")


def _near(verdict: Verdict, rank: int, what: str, place: str) -> None:
    verdict.score += NEAR_BONUS[rank]
    if rank == 0:
        verdict.reasons.append(f"The {what}, {place}: no extra journey.")
    else:
        verdict.reasons.append(f"The {_ordinal(rank + 1)} {what}, {place}: one journey saved "
                               f"for those who stay on.")


def _ordinal(number: int) -> str:
    return {2: "second", 3: "third"}.get(number, f"{number}th")


def _events_in(lookup: Callable[[str, int], list[Event]], slug: str, first: int, last: int
               ) -> list[Event]:
    found: list[Event] = []
    for day in range(first, last + 1):
        for event in lookup(slug, day):
            if event not in found:
                found.append(event)
    return found


def _named(event: Event) -> str:
    tentative = ", tentative" if event.status is Status.TENTATIVE else ""
    return describe_event(event)[:-1] + tentative + ")"
