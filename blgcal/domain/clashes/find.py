"""Run the rules that were asked for and put their clashes in order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from blgcal.domain.clashes.crowding import Unlisted, add_capped, add_crowded
from blgcal.domain.clashes.holiday import add_holidays
from blgcal.domain.clashes.items import attendees, side_event_groups
from blgcal.domain.clashes.model import Clash, ClashKind, ClashRules, Found
from blgcal.domain.clashes.overlap import overlap_pairs
from blgcal.domain.clashes.side_events import side_event_pairs
from blgcal.domain.clashes.travel import add_unknown_cities, travel_pairs
from blgcal.domain.types import Event

_NEED_ATTENDEES = frozenset({ClashKind.OVERLAP, ClashKind.TRAVEL, ClashKind.HOLIDAY,
                             ClashKind.UNKNOWN_CITY})


_DEFAULT_RULES = ClashRules()


def find_clashes(events: Iterable[Event], *, rules: ClashRules = _DEFAULT_RULES,
                 today: date | None = None) -> list[Clash]:
    """Every clash among *events*, earliest first, then by severity and kind.

    :param today: when given, events that ended before it are ignored.
    """
    events, kinds, cap = list(events), rules.kinds, rules.max_per_event
    people = attendees(events, today) if kinds & _NEED_ATTENDEES else []
    found, unlisted = Found(), Unlisted()
    if ClashKind.OVERLAP in kinds:
        add_capped(found, overlap_pairs(people), ClashKind.OVERLAP, cap, unlisted)
    if ClashKind.TRAVEL in kinds:
        add_capped(found, travel_pairs(people, rules.travel), ClashKind.TRAVEL, cap, unlisted)
    if ClashKind.SIDE_EVENT in kinds:
        add_capped(found, side_event_pairs(side_event_groups(events, today)), ClashKind.SIDE_EVENT,
                   cap, unlisted)
    add_crowded(found, unlisted)
    if ClashKind.HOLIDAY in kinds:
        add_holidays(found, people)
    if ClashKind.UNKNOWN_CITY in kinds:
        add_unknown_cities(found, people)
    return found.ordered()
