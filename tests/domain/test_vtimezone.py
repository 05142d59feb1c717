"""Compact VTIMEZONEs give zoneinfo's offsets at every instant of 2025-2030.

Offsets are read back by three implementations that are not ours: dateutil's
RRULE expansion (every 6 hours), ``icalendar``'s ``Timezone.to_tz(lookup_tzid=
False)``, which builds a tzinfo from the RRULEs and not from the name (weekly:
it costs 60 us a call), and ``ical.js``, which reads local times through the
feed's VTIMEZONE. All check one second either side of every change too.
zoneinfo is the reference.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from blgcal.domain.ical import (
    FeedMeta,
    assemble_feed,
    event_component,
    vtimezone_component,
)
from blgcal.domain.ical.zonerule import zone_transitions
from blgcal.domain.types import Event
from tests.support.ical_parsers import parse_with_icaljs

YEARS = range(2025, 2031)
EXPRESSIBLE = [
    # Northern hemisphere, EU and US rules, odd transition hours.
    "Europe/Zurich", "Europe/London", "Europe/Lisbon", "Europe/Helsinki", "Atlantic/Azores",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Halifax", "America/St_Johns", "America/Havana", "Europe/Chisinau",
    # Europe/Dublin: tzdata's negative DST (winter is "daylight"), flipped for Outlook.
    "Europe/Dublin",
    # Southern hemisphere, half- and quarter-hour offsets, 30-minute DST.
    "Australia/Sydney", "Australia/Adelaide", "Australia/Lord_Howe", "Pacific/Auckland",
    "Pacific/Chatham",
    # No DST at all (some of which had it recently).
    "Asia/Samarkand", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran", "Asia/Tokyo",
    "Africa/Nairobi", "Africa/Johannesburg", "America/Sao_Paulo", "America/Mexico_City",
    "America/Phoenix", "Europe/Moscow", "Australia/Brisbane", "UTC",
]
INEXPRESSIBLE = [
    ("Africa/Casablanca", "Ramadan shifts move every year"),
    ("America/Santiago", "first Sunday on or after the 2nd, at midnight"),
    ("Asia/Jerusalem", "the Friday before the last Sunday"),
    ("Asia/Gaza", "Saturdays after Ramadan"),
    ("Mars/Olympus_Mons", "not a zone"),
    ("", "empty name"),
]


def _samples() -> list[datetime]:
    """Every 6 hours across 2025-2030."""
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
    count = int((end - start) / timedelta(hours=6))
    return [start + timedelta(hours=6 * i) for i in range(count)]


SAMPLES = _samples()


def around_transitions(zone: ZoneInfo) -> list[datetime]:
    """One second either side of each of zoneinfo's changes, 2025-2030."""
    found = [t[0] for year in YEARS for t in zone_transitions(zone, year)]
    return [t + d for t in found for d in (-timedelta(seconds=1), timedelta(0))]


def parse_vtimezone(text: str) -> icalendar.Timezone:
    component = icalendar.Timezone.from_ical(text)
    assert isinstance(component, icalendar.Timezone)
    return component


def rrule_offsets(component: icalendar.Timezone) -> Callable[[datetime], timedelta]:
    """The offset at an instant, by expanding each block's RRULE with dateutil.

    RFC 5545 3.6.5: each onset is a local time in the block's TZOFFSETFROM, and
    TZOFFSETTO holds until the next onset of any block.
    """
    changes = []
    for block in component.subcomponents:
        start, before = block.decoded("DTSTART"), block.decoded("TZOFFSETFROM")
        onsets = [start]
        if "RRULE" in block:
            rule = rrulestr(block["RRULE"].to_ical().decode(), dtstart=start)
            onsets = rule.between(datetime(2020, 1, 1), datetime(2035, 1, 1))
        changes += [((w - before).replace(tzinfo=UTC), block.decoded("TZOFFSETTO")) for w in onsets]
    changes.sort()
    instants = [instant for instant, _ in changes]
    return lambda moment: changes[bisect_right(instants, moment) - 1][1]


@pytest.mark.parametrize("tzid", EXPRESSIBLE)
def test_vtimezone_offsets_equal_zoneinfo_every_six_hours_and_at_each_change(tzid: str) -> None:
    offset_at = rrule_offsets(parse_vtimezone(vtimezone_component(tzid) or ""))
    zone = ZoneInfo(tzid)
    wrong = [i for i in SAMPLES + around_transitions(zone)
             if offset_at(i) != i.astimezone(zone).utcoffset()]
    assert wrong == []


@pytest.mark.parametrize("tzid", EXPRESSIBLE)
def test_icalendar_reads_the_vtimezone_as_zoneinfo_weekly_and_at_each_change(tzid: str) -> None:
    text = vtimezone_component(tzid)
    assert text is not None
    # lookup_tzid=False: build the tzinfo from our RRULEs, not from the name.
    ours = parse_vtimezone(text).to_tz(lookup_tzid=False)
    zone = ZoneInfo(tzid)
    wrong = [i for i in SAMPLES[::28] + around_transitions(zone)
             if i.astimezone(ours).utcoffset() != i.astimezone(zone).utcoffset()]
    assert wrong == []


@pytest.mark.parametrize("tzid", EXPRESSIBLE)
def test_vtimezone_has_outlooks_shape(tzid: str) -> None:
    component = parse_vtimezone(vtimezone_component(tzid) or "")
    standard = [c for c in component.subcomponents if c.name == "STANDARD"]
    daylight = [c for c in component.subcomponents if c.name == "DAYLIGHT"]
    assert (len(standard), len(daylight) <= 1) == (1, True)
    assert len(component.subcomponents) == len(standard) + len(daylight)
    for block in standard + daylight:
        start = block.decoded("DTSTART")
        assert start.year == 1970 and start.tzinfo is None
        if daylight:
            rule = block["RRULE"]
            assert sorted(rule) == ["BYDAY", "BYMONTH", "FREQ"] and rule["FREQ"] == ["YEARLY"]
            # RFC 5545 3.8.5.3: DTSTART is the first instance of the rule.
            assert rrulestr(rule.to_ical().decode(), dtstart=start)[0] == start
        else:
            assert "RRULE" not in block
            assert block.decoded("TZOFFSETFROM") == block.decoded("TZOFFSETTO")


@pytest.mark.parametrize("tzid", EXPRESSIBLE)
def test_daylight_is_the_period_with_the_larger_offset(tzid: str) -> None:
    component = parse_vtimezone(vtimezone_component(tzid) or "")
    offsets = {c.name: c.decoded("TZOFFSETTO") for c in component.subcomponents}
    assert offsets.get("DAYLIGHT", offsets["STANDARD"]) >= offsets["STANDARD"]


def test_zurich_vtimezone_is_written_exactly_like_this() -> None:
    assert vtimezone_component("Europe/Zurich") == (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\n"
        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
        "TZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
        "TZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
        "END:VTIMEZONE\r\n"
    )


@pytest.mark.parametrize(("tzid", "why"), INEXPRESSIBLE)
def test_zones_outside_outlooks_model_get_no_vtimezone(tzid: str, why: str) -> None:
    assert vtimezone_component(tzid) is None, why


def test_icaljs_reads_local_times_around_every_change_at_the_right_instant() -> None:
    """Two hours either side of each change (outside any repeated hour), read via our VTIMEZONE."""
    feeds, expected = [], []
    meta = FeedMeta(name="zones", description="", calendar_uid="zones@blgcal")
    for tzid in EXPRESSIBLE:
        instants = [t[0] for year in YEARS for t in zone_transitions(ZoneInfo(tzid), year)]
        instants += [datetime(2027, 6, 1, 12, tzinfo=UTC)]  # zones without changes
        pieces = [event_component(_event(tzid, i)) for i in instants]
        assert all(p.tzids == (tzid,) for p in pieces), "every time was written locally"
        feeds.append(assemble_feed([p.text for p in pieces], meta=meta, tzids=[tzid]))
        expected.append([(i - timedelta(hours=2), i + timedelta(hours=2)) for i in instants])
    parsed = parse_with_icaljs(feeds)
    assert [[(e.start, e.end) for e in feed] for feed in parsed] == expected


def _event(tzid: str, change: datetime) -> Event:
    return Event(uid=f"{tzid}-{change:%Y%m%dT%H%M}", title="around a change", bodies=("blg",),
                 start_dt=change - timedelta(hours=2), end_dt=change + timedelta(hours=2),
                 timezone=tzid, updated_dt=datetime(2025, 1, 1, tzinfo=UTC))
