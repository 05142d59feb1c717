"""Plain events read without ``icalendar`` give exactly what the library gives.

Every test here parses the same bytes twice, with the plain reader and
single-event fast path (``fast=True``) and through ``icalendar`` and
``recurring-ical-events`` alone (``fast=False``), and wants the same items,
warnings and error messages. The generated VEVENTs mostly look plain and
differ in the ways the reader must judge: escapes, parameters, zones,
malformed values, repeats, subcomponents, odd line breaks.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blgcal.domain.harvest.ics.plain import read_plain
from blgcal.domain.harvest.ics.read import parse_ics
from blgcal.domain.harvest.ics.scan import scan
from blgcal.domain.harvest.records import ParseError
from blgcal.domain.harvest.window import HarvestWindow

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
WINDOW = HarvestWindow(date(2025, 1, 1), date(2027, 12, 31))


def both_ways(data: str | bytes, window: HarvestWindow = WINDOW) -> tuple[object, object]:
    """The result (or the error's message) with the fast readers, then without."""
    found = []
    for fast in (True, False):
        try:
            result: object = parse_ics(data, source="t.ics", default_body="cbd", window=window,
                                       fast=fast)
        except ParseError as exc:
            result = str(exc)
        found.append(result)
    return found[0], found[1]


def calendar(*events: list[str], header: tuple[str, ...] = ()) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *header]
    lines += [line for event in events for line in event]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def vevent(*lines: str, uid: str = "a@t") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20250101T000000Z", *lines, "END:VEVENT"]


@pytest.mark.parametrize("name", sorted(p.name for p in FEEDS.glob("*.ics")))
@pytest.mark.parametrize("window", [WINDOW, HarvestWindow(date(2025, 10, 17), date(2025, 10, 17))])
def test_both_readers_agree_on_every_fixture_feed(name: str, window: HarvestWindow) -> None:
    fast, library = both_ways((FEEDS / name).read_bytes(), window)
    assert fast == library


def test_a_feed_of_plain_meetings_is_read_without_icalendar() -> None:
    events = [vevent("DTSTART;VALUE=DATE:20260302", "DTEND;VALUE=DATE:20260306",
                     "SUMMARY:SBSTTA-27\\, Panama", "LOCATION:Panama City\\, Panama",
                     "DESCRIPTION:Line one\\nLine two", "CATEGORIES:Meeting,CBD",
                     "SEQUENCE:3", "LAST-MODIFIED:20251101T120000Z", "X-MICROSOFT-CDO-BUSYSTATUS:FREE",
                     "CLASS:PUBLIC", "TRANSP:TRANSPARENT", uid=f"m{n}@t") for n in range(50)]
    events.append(vevent("DTSTART;TZID=Europe/Rome:20260310T090000",
                         "DTEND;TZID=Europe/Rome:20260310T170000", "SUMMARY:Bureau", uid="z@t"))
    data = calendar(*events)
    plain = read_plain(scan(data), WINDOW)
    assert len(plain) == 51 and all(p.occurrence is not None for p in plain.values())
    fast, library = both_ways(data)
    assert fast == library
    assert len(fast.items) == 51  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lines", "why"), [
    (("RRULE:FREQ=WEEKLY;COUNT=3", "DTSTART:20260302T090000Z"), "a series"),
    (("DTSTART:20260302T090000", "DTEND:20260302T100000"), "floating times"),
    (("DTSTART;TZID=W. Europe Standard Time:20260302T090000",), "a Windows zone name"),
    (("DTSTART:20260302T090000Z", "DURATION:PT1H"), "a duration"),
    (('DTSTART:20260302T090000Z', 'DESCRIPTION;ALTREP="cid:x":Agenda'), "a quoted parameter"),
    (("DTSTART:20260302T090000Z", "PRIORITY:1"), "a property it does not read"),
    (("DTSTART:20261302T090000Z",), "a month 13"),
    (("DTSTART:20260302T090000Z", "SUMMARY:a", "SUMMARY:b"), "a repeated SUMMARY"),
    (("DTSTART:20260302T090000Z", "BEGIN:VALARM", "TRIGGER:-PT15M", "ACTION:DISPLAY",
      "END:VALARM"), "an alarm"),
])
def test_events_the_plain_reader_leaves_to_icalendar(lines: tuple[str, ...], why: str) -> None:
    data = calendar(vevent(*lines))
    assert read_plain(scan(data), WINDOW) == {}, why
    fast, library = both_ways(data)
    assert fast == library


def test_a_uid_shared_by_two_events_leaves_both_to_icalendar() -> None:
    data = calendar(vevent("DTSTART;VALUE=DATE:20260302"),
                    vevent("DTSTART;VALUE=DATE:20260303", "RECURRENCE-ID;VALUE=DATE:20260302"),
                    vevent("DTSTART;VALUE=DATE:20260309", uid="b@t"))
    assert list(read_plain(scan(data), WINDOW)) == [2]
    fast, library = both_ways(data)
    assert fast == library


@pytest.mark.parametrize("uid", ['UID;X-A="a:b":q@t', 'UID;X-A="unclosed:q@t', "UID;:q@t"])
def test_uid_lines_icalendar_splits_its_own_way_are_counted_safely(uid: str) -> None:
    data = calendar(["BEGIN:VEVENT", uid, "DTSTART;VALUE=DATE:20260302", "END:VEVENT"],
                    vevent("DTSTART;VALUE=DATE:20260303", uid="q@t"))
    fast, library = both_ways(data)
    assert fast == library


@pytest.mark.parametrize("breaks", ["\r", "\u2028", "\x85"])
def test_a_file_with_other_line_breaks_is_left_to_icalendar(breaks: str) -> None:
    data = calendar(vevent("DTSTART;VALUE=DATE:20260302", f"SUMMARY:a{breaks} b"))
    assert read_plain(scan(data), WINDOW) == {}
    fast, library = both_ways(data)
    assert fast == library


def test_x_wr_timezone_moves_utc_times_into_the_calendar_zone() -> None:
    data = calendar(vevent("DTSTART:20260302T080000Z", "DTEND:20260302T090000Z"),
                    header=("X-WR-TIMEZONE:Europe/Berlin",))
    assert len(read_plain(scan(data), WINDOW)) == 1
    fast, library = both_ways(data)
    assert fast == library
    assert fast.items[0].event.timezone == "Europe/Berlin"  # type: ignore[attr-defined]


# What the generator mixes into VEVENTs: forms the plain reader must read
# exactly as icalendar does, and forms it must leave to icalendar.
TEXTS = st.sampled_from([
    "Plain text", "Geneva, Switzerland", "a\\, b\\; c", "line\\nbreak\\Nagain", "back\\\\slash",
    "colon: here", "escaped \\: colon", "trailing\\", "\\\\n is not a break", "Ünïcödé 会议 اجتماع",
    "", "  spaced  ", "tab\there", "quote \" inside", "semi;colon", "%2C percent", "\\x unknown",
    "folded\r\n  continuation", "https://zoom.us/j/1", "Venue\\, Nairobi\\, Kenya",
])
SUMMARIES = st.sampled_from(["SUMMARY:", "SUMMARY;LANGUAGE=fr:", "SUMMARY;X-FOO=bar:"])
PLAIN_TIMES = [
    "{n}:{d}T090000Z", "{n};VALUE=DATE:{d}", "{n}:{d}", "{n};TZID=Europe/Rome:{d}T090000",
    "{n};TZID=America/New_York:{d}T233000", "{n};TZID=UTC:{d}T090000",
    "{n};TZID=Etc/GMT+5:{d}T090000", "{n};value=DATE:{d}", "{n};TZID=Asia/Kathmandu:{d}T000000",
]
OTHER_TIMES = [
    "{n};TZID=W. Europe Standard Time:{d}T090000", "{n};TZID=Nowhere/Land:{d}T090000",
    "{n};TZID=Europe/Rome:{d}", "{n};VALUE=DATE:{d}T090000Z", "{n}:{d}T090000",
    "{n};VALUE=DATE-TIME:{d}T090000Z", '{n};TZID="Europe/Rome":{d}T090000', "{n}:{d}T250000Z",
    "{n}:{d}T0900Z", "{n};X-FOO=1:{d}T090000Z", "{n}:2026023{d}", "{n};TZID=/Europe/Rome:{d}T090000",
]
PLAIN_EXTRAS = st.sampled_from([
    "SEQUENCE:3", "SEQUENCE:-2", "SEQUENCE:007", "LAST-MODIFIED:20251101T120000Z",
    "CREATED:20250101T000000Z", "DTSTAMP:20250101T000000Z", "STATUS:TENTATIVE",
    "STATUS:cancelled", "STATUS:POSTPONED", "STATUS:\\,", "URL:https://cbd.int/meetings/SBSTTA-27",
    "URL:https://x.org/a\\,b", "URL:ftp://x.org", "URL: https://x.org ", "CATEGORIES:Webinar",
    "CATEGORIES:Side event,CBD", "CATEGORIES:a\\,b,c", "CATEGORIES;LANGUAGE=fr:Réunion",
    "CATEGORIES:", "CATEGORIES:x\\\\,y", "CATEGORIES: Webinar ,,", "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
    "X-ALT-DESC;FMTTYPE=text/html:<p>Hi\\, there</p>", "X-A:1", "X-A:2", "CLASS:PUBLIC",
    "TRANSP:OPAQUE", "ORGANIZER:mailto:sec@cbd.int", "ORGANIZER;CN=Secretariat:mailto:s@cbd.int",
    "ATTENDEE:mailto:a@b.org", "COMMENT:note", "COMMENT:a\\nb",
])
ODD_LINES = [
    "SEQUENCE:+4", "SEQUENCE: 5", "SEQUENCE:x", "LAST-MODIFIED:20251101",
    "LAST-MODIFIED:20251101T120000", "LAST-MODIFIED:20251301T120000Z", "CREATED:garbage",
    "URL;VALUE=URI:https://x.org", "X-BLGCAL-UNKNOWN-TZID:x", "ORGANIZER:mailto:a\\nb@x.org",
    'ATTENDEE;CN="A, B":mailto:a@b.org', "PRIORITY:1", "GEO:46.2;6.1", "DURATION:PT2H",
    "RRULE:FREQ=DAILY;COUNT=2", "EXDATE;VALUE=DATE:20260301", "RECURRENCE-ID;VALUE=DATE:20260302",
    'DESCRIPTION;ALTREP="cid:x":alt', "LOCATION;VALUE=TEXT:Rome", "UID:second@t",
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM", "SUMMARY:again",
    "DTSTAMP:20250101", "SUMMARY;:empty", "STATUS;LANGUAGE=en:CONFIRMED\r\nSTATUS:TENTATIVE",
]
OTHER_EXTRAS = st.sampled_from(ODD_LINES)


@st.composite
def events(draw: st.DrawFn, number: int) -> list[str]:
    """A VEVENT: mostly plain, one in four with something only icalendar may judge."""
    day = date(2025, 1, 1) + timedelta(days=draw(st.one_of(
        st.integers(10, 1080), st.integers(10, 1080),
        st.sampled_from([-3, -2, -1, 0, 1, 2, 1093, 1094, 1095, 1096, -30, 1200]))))
    # Hypothesis favours 0 and the smallest values: let them be the common, plain case.
    odd = draw(st.integers(0, 3)) == 3
    times = PLAIN_TIMES + OTHER_TIMES if odd else PLAIN_TIMES
    form = draw(st.sampled_from(times))
    lines = [draw(SUMMARIES) + draw(TEXTS)] if draw(st.integers(0, 9)) < 9 else []
    if draw(st.integers(0, 19)) < 19:
        lines.append(form.format(n="DTSTART", d=f"{day:%Y%m%d}"))
    if draw(st.integers(0, 3)) < 3:
        end = day + timedelta(days=draw(st.sampled_from([0, 0, 1, 2, 4, -1])))
        end_form = form if draw(st.integers(0, 4)) < 4 else draw(st.sampled_from(times))
        lines.append(end_form.format(n="DTEND", d=f"{end:%Y%m%d}"))
    for name in draw(st.lists(st.sampled_from(["LOCATION", "DESCRIPTION"]), max_size=2,
                              unique=True)):
        lines.append(f"{name}:{draw(TEXTS)}")
    lines += draw(st.lists(PLAIN_EXTRAS, max_size=4, unique=True))
    if odd:
        lines.insert(draw(st.integers(0, len(lines))), draw(OTHER_EXTRAS))
    uid = f"e{number}@t"
    if draw(st.integers(0, 9)) == 9:
        uid = draw(st.sampled_from(["shared@t", "", "e\\,x@t", "e0@t"]))
    head = [f"UID:{uid}"] if draw(st.integers(0, 29)) < 29 else []
    return ["BEGIN:VEVENT", *head, *lines, "END:VEVENT"]


@st.composite
def calendars(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 6))
    body = [line for n in range(count) for line in draw(events(n))]
    header = draw(st.sampled_from([(), (), (), ("X-WR-TIMEZONE:Europe/Berlin",),
                                   ("X-WR-TIMEZONE:America/Toronto",), ("X-WR-TIMEZONE:Mars/Base",),
                                   ("X-WR-TIMEZONE:UTC", "X-WR-TIMEZONE:Asia/Tokyo")]))
    return calendar(body, header=header)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_both_readers_agree_on_generated_events(data: str) -> None:
    fast, library = both_ways(data)
    assert fast == library


@pytest.mark.parametrize("odd", ODD_LINES)
@pytest.mark.parametrize("start", ["DTSTART:20260302T090000Z", "DTSTART;VALUE=DATE:20260302",
                                   "DTSTART;TZID=Europe/Rome:20260302T090000"])
def test_each_odd_line_in_an_otherwise_plain_event_reads_the_same(odd: str, start: str) -> None:
    fast, library = both_ways(calendar(vevent(start, "SUMMARY:Plain", odd)))
    assert fast == library


@pytest.mark.parametrize("form", OTHER_TIMES)
def test_each_odd_time_reads_the_same(form: str) -> None:
    lines = (form.format(n="DTSTART", d="20260302"), form.format(n="DTEND", d="20260303"))
    fast, library = both_ways(calendar(vevent(*lines, "SUMMARY:Plain")))
    assert fast == library


@pytest.mark.parametrize("line", ["DTSTART;VALUE=DATE:٢٠٢٦٠٣٠٢", "DTSTART:٢٠٢٦٠٣٠٢T090000Z",
                                  "DTSTART:20260302T090000Z\r\nSEQUENCE:٣"])
def test_digits_of_other_scripts_read_the_same(line: str) -> None:
    fast, library = both_ways(calendar(vevent(line, "SUMMARY:Arabic-Indic digits")))
    assert fast == library


@pytest.mark.parametrize("line", [
    "SUMMARY;LANGUAGE=:x", "SUMMARY;X-A=b=c:x", "SUMMARY;X-A=%:x", "SUMMARY;X-A=a'b:x",
    "SUMMARY;X-A=é:x", "SUMMARY;X-A=a\u00a0b:x", "SUMMARY;-=1:x", "SUMMARY;x-a=1:x",
    "SUMMARY;LANGUAGE=en;X-B=2:x", "CATEGORIES;X-A=1:a,b", "X-FOO;X-A=1=2:z", "COMMENT;X-A=:c",
])
def test_each_parameter_form_reads_the_same(line: str) -> None:
    fast, library = both_ways(calendar(vevent("DTSTART;VALUE=DATE:20260302", line)))
    assert fast == library
