"""Valid but unusual calendars from real producers, and how each is read."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime

import pytest

from blgcal.domain.harvest.ics.read import parse_ics
from blgcal.domain.harvest.records import ParseError, ParseResult
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.harvest.windows_zones import Resolved, resolve

WINDOW = HarvestWindow(date(2024, 1, 1), date(2027, 12, 31))


def calendar(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *lines, "END:VCALENDAR", ""]
    return "\r\n".join(body).encode()


def event(uid: str, *lines: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20250101T000000Z", *lines, "END:VEVENT"]


def parse(data: bytes) -> ParseResult:
    return parse_ics(data, source="t.ics", default_body="cbd", window=WINDOW)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_several_vcalendars_in_one_file_are_read_as_one_stream() -> None:
    data = calendar(*event("a@t", "SUMMARY:First", "DTSTART;VALUE=DATE:20260301")) + \
        calendar(*event("b@t", "SUMMARY:Second", "DTSTART;VALUE=DATE:20260302"))
    assert [i.event.title for i in parse(data).items] == ["First", "Second"]


def test_a_thisandfuture_override_moves_the_later_occurrences_each_kept_once() -> None:
    data = calendar(
        *event("s@t", "SUMMARY:Series", "DTSTART:20260301T120000Z", "DTEND:20260301T130000Z",
               "RRULE:FREQ=DAILY;COUNT=5"),
        *event("s@t", "SUMMARY:Moved", "RECURRENCE-ID;RANGE=THISANDFUTURE:20260303T120000Z",
               "DTSTART:20260303T090000Z", "DTEND:20260303T100000Z"))
    items = parse(data).items
    keys = [i.recurrence_id for i in items]
    assert len(keys) == len(set(keys)) == 5
    assert [i.event.start_dt for i in items] == [
        utc(2026, 3, 1, 12), utc(2026, 3, 2, 12), utc(2026, 3, 3, 9), utc(2026, 3, 4, 9),
        utc(2026, 3, 5, 9)]
    assert keys[2:] == ["20260303T120000Z", "20260303T120000Z+20260304T090000Z",
                        "20260303T120000Z+20260305T090000Z"]


def test_an_empty_rrule_is_a_single_event_with_a_warning_naming_its_line() -> None:
    result = parse(calendar(*event("h@t", "SUMMARY:Holiday", "DTSTART;VALUE=DATE:20261225",
                                   "RRULE:")))
    [item] = result.items
    assert (item.event.start_date, item.recurrence_id) == (date(2026, 12, 25), None)
    assert [str(w) for w in result.warnings] == [
        "line 4 (UID 'h@t'): line 4: empty RRULE: read as a single event"]


@pytest.mark.parametrize(("tzid", "zone", "exact"), [
    ("W. Europe Standard Time", "Europe/Berlin", True),
    ("Eastern Standard Time", "America/New_York", True),
    ("Romance Standard Time", "Europe/Paris", True),
    ("E. Africa Standard Time", "Africa/Nairobi", True),
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York", True),
    ("(UTC-05:00) Eastern Time (US and Canada)", "America/New_York", True),
    ("(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles", True),
    ("(UTC-06:00) Central Time (US & Canada)", "America/Chicago", True),
    ("(UTC+07:00) Bangkok, Hanoi, Jakarta", "Asia/Bangkok", True),
    ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata", True),
    ("(UTC+03:00) Nairobi", "Africa/Nairobi", True),
    ("(GMT+10:00) Canberra, Melbourne, Sydney", "Australia/Canberra", True),
    ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Brussels", True),
    ("(UTC-03:00) Brasília", "Etc/GMT+3", False),
    ("(GMT +01:00)", "Etc/GMT-1", False),
])
def test_windows_and_outlook_zone_names_map_to_iana_zones(tzid: str, zone: str, exact: bool) -> None:
    assert resolve(tzid) == Resolved(zone, exact)


@pytest.mark.parametrize("tzid", ["Europe/Berlin", "Customized Time Zone", "(UTC+25:00) Nowhere",
                                  "(UTC+01:07) Odd", ""])
def test_other_names_are_not_windows_zones(tzid: str) -> None:
    assert resolve(tzid) is None


def test_an_outlook_display_name_without_vtimezone_keeps_a_one_hour_meeting_one_hour() -> None:
    data = calendar(*event(
        "o@t", "SUMMARY:Bureau", 'DTSTART;TZID="(UTC-05:00) Eastern Time (US and Canada)":'
        "20260706T120000", "DTEND;TZID=America/Los_Angeles:20260706T090000"))
    [item] = parse(data).items
    assert (item.event.start_dt, item.event.end_dt) == (utc(2026, 7, 6, 16), utc(2026, 7, 6, 16))
    data = calendar(*event(
        "o@t", "SUMMARY:Bureau", 'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":'
        "20260706T120000", 'DTEND;TZID="(UTC-05:00) Eastern Time (US & Canada)":20260706T130000'))
    [item] = parse(data).items
    assert (item.event.start_dt, item.event.end_dt, item.event.timezone) == \
        (utc(2026, 7, 6, 16), utc(2026, 7, 6, 17), "America/New_York")
    assert item.warnings == ()


def test_a_bare_offset_is_read_as_that_offset_and_said_to_be_a_guess() -> None:
    data = calendar(*event("g@t", "SUMMARY:Lesson", 'DTSTART;TZID="(GMT +01:00)":20261004T140000',
                           'DTEND;TZID="(GMT +01:00)":20261004T150000'))
    [item] = parse(data).items
    assert item.event.start_dt == utc(2026, 10, 4, 13)
    assert item.warnings == ("time zone '(GMT +01:00)' names no place CLDR knows: read as its"
                             " fixed UTC offset (no daylight saving)",)


def test_library_warnings_become_the_runs_warnings_not_stderr() -> None:
    zone = "/freeassociation.sourceforge.net/Europe/Berlin"
    data = calendar(*event("w@t", "SUMMARY:Talk", f"DTSTART;TZID={zone}:20260301T100000",
                           f"DTEND;TZID={zone}:20260301T110000"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning reaching Python's machinery fails here
        result = parse(data)
    assert any("icalendar:" in w.message and "globally unique TZID" in w.message
               for w in result.warnings)


@pytest.mark.parametrize(("lines", "where"), [
    # icalendar quotes only the value: the line holding it is named.
    (["BEGIN:VTIMEZONE", "TZID:Bad", "BEGIN:STANDARD", "DTSTART:19701025T030000",
      "TZOFFSETFROM:+5744", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE"], "line 8:"),
    # icalendar quotes nothing: the component it cannot read is named.
    (["BEGIN:VTIMEZONE", "TZID:", "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE"], "line 4 (in this VTIMEZONE):"),
])
def test_every_rejection_names_its_line(lines: list[str], where: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(calendar(*lines, *event("x@t", "SUMMARY:x", "DTSTART;VALUE=DATE:20260301")))
    assert str(caught.value).startswith(f"t.ics: {where} cannot read iCalendar")
