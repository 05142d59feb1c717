"""VTIMEZONE blocks in the shape Outlook reads (MS-OXCICAL 2.1.3.1.1.19).

One STANDARD and at most one DAYLIGHT sub-component, each a YEARLY RRULE on
a month and a weekday (``BYMONTH=10;BYDAY=-1SU``), with DTSTART at the rule's
first occurrence in 1970 so the DTSTART is itself an instance of the RRULE
(RFC 5545 3.8.5.3). ``icalendar``'s own ``Timezone.from_tzid()`` writes RDATE
lists and two STANDARD blocks instead, which Outlook users report an hour off.

Zones without daylight saving get a lone STANDARD with TZOFFSETFROM equal to
TZOFFSETTO and no RRULE, the shape Outlook itself exports for such zones
(its DTSTART is 1601-01-01; we use 1970-01-01 like the blocks with rules).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TypeVar

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from blgcal.domain.ical.zonerule import YearlyShift, ZoneRule, zone_rule

Block = TypeVar("Block", TimezoneStandard, TimezoneDaylight)
# The year the sub-components' DTSTART falls in, as most producers write it.
_ANCHOR_YEAR = 1970


@cache
def vtimezone_component(tzid: str, *, year: int = 2026) -> str | None:
    """Return the VTIMEZONE text for *tzid*, or None if it cannot be written.

    The rules are those zoneinfo applies in *year*, and they are checked to
    give zoneinfo's offsets at every instant from *year* - 1 to *year* + 4.
    None means the zone is unknown or its rules do not fit Outlook's model;
    write such events in UTC.
    """
    rule = zone_rule(tzid, year)
    if rule is None:
        return None
    component = Timezone()
    component.add("tzid", tzid)
    component.add_component(_standard(rule))
    if rule.daylight is not None:
        component.add_component(_sub(TimezoneDaylight(), rule.daylight, rule.daylight_name))
    text: bytes = component.to_ical()
    return text.decode("utf-8")


def _standard(rule: ZoneRule) -> TimezoneStandard:
    if rule.standard is not None:
        return _sub(TimezoneStandard(), rule.standard, rule.standard_name)
    block = TimezoneStandard()
    block.add("dtstart", datetime(_ANCHOR_YEAR, 1, 1))
    block.add("tzoffsetfrom", rule.standard_offset)
    block.add("tzoffsetto", rule.standard_offset)
    if rule.standard_name:
        block.add("tzname", rule.standard_name)
    return block


def _sub(block: Block, shift: YearlyShift, name: str) -> Block:
    block.add("dtstart", shift.local_start(_ANCHOR_YEAR))
    block.add("rrule", {"freq": "yearly", "bymonth": shift.month, "byday": shift.byday})
    block.add("tzoffsetfrom", shift.offset_from)
    block.add("tzoffsetto", shift.offset_to)
    if name:
        block.add("tzname", name)
    return block
