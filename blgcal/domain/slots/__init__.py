"""The slot finder: dates for a meeting, in person or virtual, ranked and explained.

``find_slots(events, request, bodies=..., rules=...)`` is pure: the calendar,
the bodies and today come in as parameters. The rules are documented where
they live: day constraints in :mod:`.occupancy`, :mod:`.workdays` and
:mod:`.in_person`, travel in :mod:`.travel`, office hours in :mod:`.virtual`,
points in :mod:`.scoring`, series in :mod:`.series`, explanations in
:mod:`.explain`.
"""

from blgcal.domain.slots.find import all_slots, find_slots, search_margin
from blgcal.domain.slots.model import (
    Cause,
    Day,
    Explanation,
    LocalTime,
    Removal,
    Slot,
    SlotSearch,
)
from blgcal.domain.slots.request import (
    GROUP,
    Every,
    Mode,
    SlotRequest,
    SlotRules,
    parse_slot_request,
)

__all__ = [
    "GROUP", "Cause", "Day", "Every", "Explanation", "LocalTime", "Mode", "Removal", "Slot",
    "SlotRequest", "SlotRules", "SlotSearch", "all_slots", "find_slots", "parse_slot_request",
    "search_margin",
]
