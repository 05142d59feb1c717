"""Choosing which clashes and opportunities to show: the filters of their pages and API."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from blgcal.domain.clashes import Clash, ClashKind, Severity
from blgcal.domain.filters import Params, each_value, known_member, parse_window
from blgcal.domain.flags import flag
from blgcal.domain.opportunities import Opportunity, OpportunityKind
from blgcal.domain.types import Event


@dataclass(frozen=True, slots=True)
class FindingFilter:
    date_from: date | None = None
    date_to: date | None = None
    bodies: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    acknowledged: bool = False


def parse_finding_filters(params: Params, *, known_bodies: Collection[str],
                          kinds: Iterable[str]) -> FindingFilter:
    """Validate query parameters; FilterError names the bad one."""
    date_from, date_to = parse_window(params)
    kind_names = frozenset(kinds)
    return FindingFilter(
        date_from=date_from, date_to=date_to,
        bodies=each_value(params, "body", lambda v: known_member(v, known_bodies, "body")),
        kinds=each_value(params, "kind", lambda v: known_member(v, kind_names, "kind")),
        severities=each_value(params, "severity",
                              lambda v: known_member(v, {s.value for s in Severity}, "severity")),
        acknowledged=flag(params.get("acknowledged", ()), "acknowledged", once=False),
    )


def _in_window(events: Sequence[Event], flt: FindingFilter) -> bool:
    days = [d for d in (event.local_days() for event in events) if d]
    if not days:
        return flt.date_from is None and flt.date_to is None
    first, last = min(d[0] for d in days), max(d[1] for d in days)
    return (flt.date_from is None or last >= flt.date_from) and (
        flt.date_to is None or first <= flt.date_to)


def _bodies_match(events: Sequence[Event], flt: FindingFilter) -> bool:
    return not flt.bodies or any(set(event.bodies) & set(flt.bodies) for event in events)


def select_clashes(clashes: Iterable[Clash], flt: FindingFilter) -> list[Clash]:
    return [clash for clash in clashes
            if (not flt.kinds or clash.kind.value in flt.kinds)
            and (not flt.severities or clash.severity.value in flt.severities)
            and _bodies_match(clash.events, flt) and _in_window(clash.events, flt)]


def clash_days(clash: Clash) -> tuple[date, date] | None:
    """The first and last local day of a clash's events (None when none is dated)."""
    days = [d for d in (event.local_days() for event in clash.events) if d]
    if not days:
        return None
    return min(d[0] for d in days), max(d[1] for d in days)


def split_by_today(clashes: Iterable[Clash], *, today: date) -> tuple[list[Clash], list[Clash]]:
    """Clashes still ahead (or under way) from *today*, soonest first, and past ones,
    latest first: the order of the clashes page, as of the opportunities page."""
    dated = [(days, clash) for clash in clashes if (days := clash_days(clash))]
    ahead = sorted((pair for pair in dated if pair[0][1] >= today), key=lambda pair: pair[0])
    past = sorted((pair for pair in dated if pair[0][1] < today), key=lambda pair: pair[0],
                  reverse=True)
    return [clash for _, clash in ahead], [clash for _, clash in past]


def select_opportunities(found: Iterable[Opportunity], flt: FindingFilter) -> list[Opportunity]:
    return [item for item in found
            if (not flt.kinds or item.kind.value in flt.kinds)
            and (not flt.bodies or set(item.bodies) & set(flt.bodies))
            and (flt.date_from is None or item.end >= flt.date_from)
            and (flt.date_to is None or item.start <= flt.date_to)]


CLASH_KINDS = tuple(kind.value for kind in ClashKind)
OPPORTUNITY_KINDS = tuple(kind.value for kind in OpportunityKind)
