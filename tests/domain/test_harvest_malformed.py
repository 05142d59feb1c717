"""Broken files are refused whole, with the line and the reason."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain.harvest.detect import kind_for, parse_file
from blgcal.domain.harvest.ics.read import parse_ics
from blgcal.domain.harvest.limits import MAX_NESTING
from blgcal.domain.harvest.records import ParseError
from blgcal.domain.harvest.window import HarvestWindow

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
WINDOW = HarvestWindow(date(2025, 1, 1), date(2027, 12, 31))


@pytest.mark.parametrize(("name", "message"), [
    ("html.ics", "html.ics: line 1: this is HTML, not iCalendar"),
    ("truncated.ics", "truncated.ics: line 13: BEGIN:VEVENT on line 11 is never closed"
                      " (is the file truncated?)"),
    ("binary.ics", "binary.ics: line 3: binary data (byte 0x00), not iCalendar text"),
    ("invalid_utf8.ics", "invalid_utf8.ics: line 9: invalid UTF-8 (byte 0xe8)"),
    ("nested.ics", f"nested.ics: line {3 + MAX_NESTING}: components nested deeper than {MAX_NESTING}"),
    ("bad_property.ics", "bad_property.ics: line 7: property DTSTART: Expected datetime, date,"
                         " or time. Got: '2025-13-01'"),
    ("bad_line.ics", "bad_line.ics: line 4: cannot read iCalendar: Content line could not be"
                     " parsed into parts: 'X-PUBLISHED-TTL;;;:PT1H'"),
])
def test_each_broken_fixture_names_its_line_and_reason(name: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_ics((FEEDS / name).read_bytes(), source=name, default_body="cbd", window=WINDOW)
    assert str(caught.value).startswith(message)


def calendar(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *lines, "END:VCALENDAR", ""]
    return "\r\n".join(body).encode()


EVENT = ["BEGIN:VEVENT", "UID:a@example.org", "SUMMARY:SBI-6", "DTSTART;VALUE=DATE:20260216"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "line 1: the file is empty; expected BEGIN:VCALENDAR"),
    (b"{\"value\": []}", "line 1: expected BEGIN:VCALENDAR, found '{\"value\": []}'"),
    (calendar("BEGIN:VEVENT", "UID:x", "END:VTODO"), "line 6: END:VTODO closes BEGIN:VEVENT from line 4"),
    (calendar("END:VEVENT"), "line 4: END:VEVENT closes BEGIN:VCALENDAR from line 1"),
    (calendar("just words"), "line 4: not an iCalendar content line: 'just words'"),
    (calendar() + b"BEGIN:VEVENT\r\nEND:VEVENT\r\n", "line 5: content after END:VCALENDAR"),
    (calendar("BEGIN:VEVENT", "SUMMARY:x", "DTSTART:20250101T100000Z", "END:VEVENT"),
     "line 4: VEVENT has no UID"),
    (calendar("BEGIN:VEVENT", "UID:x", "SUMMARY:x", "END:VEVENT"), "line 4: VEVENT has no DTSTART"),
    (calendar(*EVENT, "END:VEVENT", *EVENT, "END:VEVENT"),
     "line 9: UID 'a@example.org' repeats the event on line 4"),
    (calendar(*EVENT, "DTEND;VALUE=DATE:20260210", "END:VEVENT"),
     "line 8: DTEND 2026-02-10 is before DTSTART 2026-02-16"),
    (calendar(*EVENT, "DTEND:20260217T100000Z", "END:VEVENT"),
     "line 8: DTSTART and DTEND must both be dates or both date-times"),
])
def test_malformed_calendars_are_refused_with_a_located_reason(data: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_ics(data, source="feed", default_body="cbd", window=WINDOW)
    assert message in str(caught.value)


def test_a_bad_optional_property_is_a_warning_not_a_refusal() -> None:
    data = calendar(*EVENT, "CREATED:yesterday", "END:VEVENT")
    result = parse_ics(data, source="feed", default_body="cbd", window=WINDOW)
    assert [i.event.start_date for i in result.items] == [date(2026, 2, 16)]
    assert "line 8: property CREATED" in result.warnings[0].message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_result_or_a_parse_error(data: bytes) -> None:
    try:
        parse_ics(data, source="fuzz", default_body="cbd", window=WINDOW)
    except ParseError:
        pass


LINES = st.sampled_from([
    "BEGIN:VEVENT", "END:VEVENT", "UID:x", "SUMMARY:y", "DTSTART:20250101T100000Z",
    "DTSTART;VALUE=DATE:20250101", "DTEND:20250101T090000Z", "DURATION:PT1H", "DURATION:P",
    "RRULE:FREQ=DAILY;COUNT=3", "RRULE:FREQ=YEARLY;BYMONTH=13", "RRULE:FREQ=WEEKLY;UNTIL=2025",
    "EXDATE:20250102T100000Z", "RECURRENCE-ID:20250102T100000Z", "DTSTART;TZID=Nowhere:20250101T100000",
    "BEGIN:VALARM", "END:VALARM", "STATUS:MAYBE", "CATEGORIES:a,,b", "X-WR-TIMEZONE:Mars/Base",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=14))
def test_arbitrary_content_lines_give_a_result_or_a_parse_error(lines: list[str]) -> None:
    try:
        parse_ics(calendar(*lines), source="fuzz", default_body="cbd", window=WINDOW)
    except ParseError:
        pass


@pytest.mark.parametrize(("name", "kind"), [
    ("feed.ics", "ics"), ("MEETINGS.CSV", "csv"), ("x.json", "informea"), ("informea", "informea"),
    ("notes.txt", None),
])
def test_the_parser_is_chosen_by_kind_or_extension(name: str, kind: str | None) -> None:
    assert kind_for(name) == kind


@pytest.mark.parametrize(("kind", "data", "message"), [
    ("csv", b"body,title,start,end\ncbd,Gen\xe8ve,2025-01-01,2025-01-02\n",
     "line 2: invalid UTF-8 (byte 0xe8)"),
    ("json", b'[\n{"id": "x",\n "city": "Gen\xe8ve"}]', "line 3: invalid UTF-8"),
    ("txt", b"anything", "unknown kind 'txt'"),
])
def test_parse_file_refuses_undecodable_or_unknown_input(kind: str, data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_file(data, kind=kind, source="upload", default_body="cbd", window=WINDOW)


@pytest.mark.parametrize(("name", "kind", "count"), [
    ("recurring.ics", "ics", 9), ("informea.json", "json", 6), ("informea_odata.json", "informea", 2),
    ("extra_columns.csv", "csv", -1),
])
def test_parse_file_dispatches_to_each_parser(name: str, kind: str, count: int) -> None:
    data = (FEEDS / name).read_bytes()
    if count < 0:
        with pytest.raises(ParseError, match="unknown column 'organiser'"):
            parse_file(data, kind=kind, source=name, default_body="cbd", window=WINDOW)
        return
    result = parse_file(data, kind=kind, source=name, default_body="cbd", window=WINDOW)
    assert len(result.items) == count


def test_a_window_that_would_unbound_expansion_is_a_programming_error() -> None:
    """An empty window cannot be made (tests/domain/test_harvest_window.py); a long one is refused."""
    with pytest.raises(ValueError, match="the window must span 1 to 3700 days"):
        parse_ics(calendar(), source="feed", default_body="cbd",
                  window=HarvestWindow(date(2025, 1, 1), date(2039, 12, 31)))


def test_a_property_allowed_once_that_appears_twice_is_located() -> None:
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            "UID:twice@example.org\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250301T090000Z\r\n"
            "DTSTART:20250302T090000Z\r\nSUMMARY:Twice\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    with pytest.raises(ParseError) as caught:
        parse_ics(text, source="twice.ics", default_body="cbd",
                  window=HarvestWindow(date(2025, 1, 1), date(2025, 12, 31)))
    assert "DTSTART appears more than once" in str(caught.value)
    assert "twice.ics: line" in str(caught.value)


def test_a_line_icalendar_cannot_split_is_a_located_warning() -> None:
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
            "DTSTART;VALUE=DATE:20260302\r\nSUMMARY;:empty parameters\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n")
    result = parse_ics(data, source="t.ics", default_body="cbd",
                       window=HarvestWindow(date(2026, 1, 1), date(2026, 12, 31)))
    assert len(result.items) == 1
    unsplit = [w for w in result.warnings if "SUMMARY;:empty parameters" in w.message]
    assert [w.where for w in unsplit] == ["line 4 (UID 'a@t')"]
