"""VEVENT pieces and feeds: exact wire text, and what three parsers read back."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from blgcal.domain.ical import (
    EventPiece,
    FeedMeta,
    assemble_feed,
    event_component,
    observance_component,
    vtimezone_component,
)
from blgcal.domain.ical.content import (
    categories,
    description_text,
    location_text,
    summary_text,
    web_uri,
)
from blgcal.domain.types import Event, Kind, Observance, Status, Visibility
from tests.support.ical_parsers import (
    IcalJsMissing,
    NodeIcalJs,
    ParsedEvent,
    ParseError,
    parse_all,
    parse_with_ical,
    parse_with_icalendar,
    parse_with_icaljs,
)

STAMP = datetime(2026, 1, 15, 9, 30, 12, tzinfo=UTC)
META = FeedMeta(name="BLG calendar", description="Meetings of the conventions",
                calendar_uid="all@blgcal")


def make(**changes: object) -> Event:
    """A confirmed all-day CITES meeting, changed by *changes*."""
    fields: dict[str, object] = {
        "uid": "cites-cop20", "title": "20th meeting of the Conference of the Parties",
        "bodies": ("cites",), "code": "CITES CoP20", "start_date": date(2026, 3, 2),
        "end_date": date(2026, 3, 2), "city": "Samarkand", "country": "UZ", "updated_dt": STAMP,
    }
    fields.update(changes)
    if "start_dt" in changes:
        fields.update(start_date=None, end_date=None)
    return Event(**fields)  # type: ignore[arg-type]


def timed(start: datetime, hours: float, tzid: str | None) -> Event:
    return make(start_dt=start, end_dt=start + timedelta(hours=hours), timezone=tzid)


def lines(piece: EventPiece | str | bytes) -> list[str]:
    """Unfolded content lines (RFC 5545 3.1)."""
    text = piece.text if isinstance(piece, EventPiece) else piece
    text = text.decode() if isinstance(text, bytes) else text
    return text.replace("\r\n ", "").split("\r\n")


def feed_of(*events: Event) -> bytes:
    pieces = [event_component(e) for e in events]
    return assemble_feed([p.text for p in pieces], meta=META,
                         tzids=[t for p in pieces for t in p.tzids])


# --- dates and times -------------------------------------------------------

@pytest.mark.parametrize(("first", "last", "dtstart", "dtend"), [
    (date(2026, 3, 2), date(2026, 3, 2), "20260302", "20260303"),
    (date(2026, 1, 30), date(2026, 2, 2), "20260130", "20260203"),
    (date(2026, 2, 27), date(2026, 2, 28), "20260227", "20260301"),
    (date(2028, 2, 28), date(2028, 2, 29), "20280228", "20280301"),
    (date(2025, 12, 29), date(2026, 1, 2), "20251229", "20260103"),
    (date(2026, 12, 31), date(2026, 12, 31), "20261231", "20270101"),
])
def test_all_day_events_are_dates_with_the_day_after_as_exclusive_end(
        first: date, last: date, dtstart: str, dtend: str) -> None:
    piece = event_component(make(start_date=first, end_date=last))
    assert f"DTSTART;VALUE=DATE:{dtstart}" in lines(piece)
    assert f"DTEND;VALUE=DATE:{dtend}" in lines(piece)
    assert piece.tzids == ()
    for events in parse_all(feed_of(make(start_date=first, end_date=last))).values():
        assert (events[0].all_day, events[0].start, events[0].end) == (
            True, first, last + timedelta(days=1))


@pytest.mark.parametrize(("start", "tzid", "dtstart", "dtend", "tzids"), [
    (datetime(2026, 3, 2, 8, tzinfo=UTC), "Europe/Zurich",
     "DTSTART;TZID=Europe/Zurich:20260302T090000", "DTEND;TZID=Europe/Zurich:20260302T103000",
     ("Europe/Zurich",)),
    (datetime(2026, 7, 2, 8, tzinfo=UTC), "Europe/Zurich",
     "DTSTART;TZID=Europe/Zurich:20260702T100000", "DTEND;TZID=Europe/Zurich:20260702T113000",
     ("Europe/Zurich",)),
    (datetime(2026, 3, 9, 14, tzinfo=UTC), "America/New_York",
     "DTSTART;TZID=America/New_York:20260309T100000",
     "DTEND;TZID=America/New_York:20260309T113000", ("America/New_York",)),
    (datetime(2026, 3, 2, 4, tzinfo=UTC), "Asia/Samarkand",
     "DTSTART;TZID=Asia/Samarkand:20260302T090000", "DTEND;TZID=Asia/Samarkand:20260302T103000",
     ("Asia/Samarkand",)),
    # Lord Howe: +10:30 in winter, +11 in summer (a 30-minute DST).
    (datetime(2026, 1, 5, 22, tzinfo=UTC), "Australia/Lord_Howe",
     "DTSTART;TZID=Australia/Lord_Howe:20260106T090000",
     "DTEND;TZID=Australia/Lord_Howe:20260106T103000", ("Australia/Lord_Howe",)),
    (datetime(2026, 6, 5, 22, 30, tzinfo=UTC), "Australia/Lord_Howe",
     "DTSTART;TZID=Australia/Lord_Howe:20260606T090000",
     "DTEND;TZID=Australia/Lord_Howe:20260606T103000", ("Australia/Lord_Howe",)),
    # Morocco's rules have no VTIMEZONE of Outlook's shape: UTC instead.
    (datetime(2026, 3, 2, 8, tzinfo=UTC), "Africa/Casablanca",
     "DTSTART:20260302T080000Z", "DTEND:20260302T093000Z", ()),
    (datetime(2026, 3, 2, 8, tzinfo=UTC), None,
     "DTSTART:20260302T080000Z", "DTEND:20260302T093000Z", ()),
    # 01:30 on 1 November 2026 happens twice in New York: say it in UTC.
    (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "America/New_York",
     "DTSTART:20261101T053000Z", "DTEND:20261101T070000Z", ()),
    # A non-UTC aware start is the same instant, written the same way.
    (datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(hours=1))), "Europe/Zurich",
     "DTSTART;TZID=Europe/Zurich:20260302T090000", "DTEND;TZID=Europe/Zurich:20260302T103000",
     ("Europe/Zurich",)),
])
def test_timed_events_use_the_venue_zone_when_outlook_can_read_it_else_utc(
        start: datetime, tzid: str | None, dtstart: str, dtend: str,
        tzids: tuple[str, ...]) -> None:
    event = timed(start, 1.5, tzid)
    piece = event_component(event)
    assert (dtstart in lines(piece), dtend in lines(piece), piece.tzids) == (True, True, tzids)
    for name, events in parse_all(feed_of(event)).items():
        assert (events[0].start, events[0].end) == (start, start + timedelta(hours=1.5)), name


def test_timed_events_drop_microseconds_and_are_never_floating() -> None:
    event = timed(datetime(2026, 3, 2, 8, 0, 5, 999_999, tzinfo=UTC), 1, "Europe/Zurich")
    assert "DTSTART;TZID=Europe/Zurich:20260302T090005" in lines(event_component(event))
    events = feed_of(event).split(b"END:VTIMEZONE")[-1]  # VTIMEZONE DTSTARTs are local
    found = [ln for ln in lines(events) if re.match(r"DT(START|END)[:;]", ln)]
    assert all("TZID=" in ln or ln.endswith("Z") for ln in found) and len(found) == 2


def test_an_undated_event_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="no dates"):
        event_component(make(start_date=None, end_date=None))


@pytest.mark.parametrize("updated_dt", [None, datetime(2026, 1, 15, 9, 30)])
def test_an_event_without_an_aware_updated_dt_cannot_be_built(updated_dt: object) -> None:
    with pytest.raises(ValueError, match="updated_dt"):
        event_component(make(updated_dt=updated_dt))


# --- stamps, sequence, determinism -----------------------------------------

@pytest.mark.parametrize(("updated_dt", "expected"), [
    (STAMP, "20260115T093012Z"),
    (datetime(2026, 1, 15, 10, 30, 12, 654_321, tzinfo=timezone(timedelta(hours=1))),
     "20260115T093012Z"),
])
def test_dtstamp_and_last_modified_are_the_last_change_in_utc(
        updated_dt: datetime, expected: str) -> None:
    found = lines(event_component(make(updated_dt=updated_dt)))
    assert (f"DTSTAMP:{expected}" in found, f"LAST-MODIFIED:{expected}" in found) == (True, True)


def test_the_same_event_gives_the_same_bytes_and_a_change_gives_other_bytes() -> None:
    event = timed(datetime(2026, 3, 2, 8, tzinfo=UTC), 2, "Europe/Zurich")
    assert feed_of(event) == feed_of(dataclasses.replace(event))
    assert feed_of(event) != feed_of(dataclasses.replace(event, sequence=1))


def test_sequence_is_written_as_given() -> None:
    assert "SEQUENCE:7" in lines(event_component(make(sequence=7)))


# --- text ------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "summary"), [
    ({}, "CITES CoP20: 20th meeting of the Conference of the Parties"),
    ({"title": "CITES CoP20 in Samarkand"}, "CITES CoP20 in Samarkand"),
    ({"title": "cites cop20 opens"}, "cites cop20 opens"),
    ({"code": None}, "20th meeting of the Conference of the Parties"),
    ({"code": "  "}, "20th meeting of the Conference of the Parties"),
    ({"status": Status.POSTPONED, "code": None},
     "Postponed: 20th meeting of the Conference of the Parties"),
    ({"status": Status.CANCELLED, "title": "CITES CoP20"}, "Cancelled: CITES CoP20"),
    ({"status": Status.TENTATIVE, "title": "CITES CoP20"}, "CITES CoP20"),
])
def test_summary_leads_with_the_code_and_the_status_word(
        changes: dict[str, object], summary: str) -> None:
    assert summary_text(make(**changes)) == summary


@pytest.mark.parametrize(("status", "expected"), [
    (Status.CONFIRMED, "CONFIRMED"), (Status.TENTATIVE, "TENTATIVE"),
    (Status.POSTPONED, "TENTATIVE"), (Status.CANCELLED, "CANCELLED"),
])
def test_status_maps_to_rfc_5545_values(status: Status, expected: str) -> None:
    for events in parse_all(feed_of(make(status=status))).values():
        assert events[0].status == expected


@pytest.mark.parametrize(("visibility", "expected"), [
    (Visibility.PUBLIC, "PUBLIC"), (Visibility.STAFF, "PRIVATE"),
])
def test_staff_events_are_private(visibility: Visibility, expected: str) -> None:
    for events in parse_all(feed_of(make(visibility=visibility))).values():
        assert (events[0].classification, events[0].transparency) == (expected, "TRANSPARENT")


@pytest.mark.parametrize(("changes", "location"), [
    ({}, "Samarkand, Uzbekistan"),
    ({"venue": "Palais des Nations", "city": "Geneva", "country": "ch"},
     "Palais des Nations, Geneva, Switzerland"),
    ({"city": None, "country": None, "online": True}, "Online"),
    ({"online": True}, "Samarkand, Uzbekistan and online"),
    ({"city": None, "country": None}, None),
    ({"city": None, "country": "XX"}, "XX"),
])
def test_location_names_venue_city_and_country_or_online(
        changes: dict[str, object], location: str | None) -> None:
    assert location_text(make(**changes)) == location


@pytest.mark.parametrize(("changes", "description"), [
    ({}, "Organised by: CITES"),
    ({"description": "Agenda: trade.", "url": "https://cites.org/cop20",
      "bodies": ("cites", "cms")},
     "Agenda: trade.\n\nhttps://cites.org/cop20\n\nOrganised by: CITES, CMS"),
    ({"bodies": (), "description": "a\r\nb"}, "a\nb"),
    ({"bodies": ()}, None),
])
def test_description_joins_text_address_and_organisers(
        changes: dict[str, object], description: str | None) -> None:
    assert description_text(make(**changes)) == description


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, ("Governing body", "CITES")),
    ({"kind": Kind.BLG_MEETING, "bodies": ("blg", "cbd"), "tags": ("joint", " CBD ", "")},
     ("BLG meeting", "BLG", "CBD", "joint")),
    ({"tags": ("oceans, wetlands",)}, ("Governing body", "CITES", "oceans", "wetlands")),
    ({"tags": ("a\\ \\", "\\b\\,c", "\\")}, ("Governing body", "CITES", "a", "\\b", "c")),
])
def test_categories_are_kind_bodies_and_tags_without_repeats(
        changes: dict[str, object], expected: tuple[str, ...]) -> None:
    assert categories(make(**changes)) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://cites.org/cop20", "https://cites.org/cop20"),
    ("https://example.org/a b/é?x=1&y=2", "https://example.org/a%20b/%C3%A9?x=1&y=2"),
    ("javascript:alert(1)", None), ("cites.org", None), ("", None), (None, None),
    ("https://x.org/\r\nBEGIN:VALARM", "https://x.org/%0ABEGIN:VALARM"),
])
def test_url_is_an_http_uri_or_left_out(url: str | None, expected: str | None) -> None:
    assert web_uri(url) == expected


CRAFTED = "x\r\nEND:VEVENT\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\rATTENDEE:mailto:a@b"


@pytest.mark.parametrize("field", ["title", "description", "venue", "city", "code"])
def test_crafted_text_cannot_inject_properties_or_components(field: str) -> None:
    event = make(**{field: CRAFTED}, tags=(CRAFTED,))
    data = feed_of(event)
    assert not re.search(rb"\r\n(BEGIN|END|ATTENDEE|ACTION)[:;]", data.replace(
        b"\r\nBEGIN:VEVENT", b"").replace(b"\r\nEND:VEVENT", b"").replace(
        b"\r\nEND:VCALENDAR", b""))
    for name, events in parse_all(data).items():
        assert len(events) == 1 and events[0].unexpected == frozenset(), name


@pytest.mark.parametrize(("title", "summary"), [
    ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
    ("tab\tstays", "tab\tstays"),
    ("C:\\New, a;b", "C:\\New, a;b"),
    ("line\u2028sep", "line\nsep"),
    ("CRLF\r\nCR\rLF\n", "CRLF\nCR\nLF\n"),
])
def test_text_reads_back_sanitized_in_every_parser(title: str, summary: str) -> None:
    for name, events in parse_all(feed_of(make(title=title, code=None))).items():
        assert events[0].summary == summary, name


@pytest.mark.parametrize("title", [
    "é" * 200, "中文" * 100, "🦎" * 80, "a" + "ب" * 150, "x\\" * 90,
])
def test_long_lines_fold_at_75_octets_without_splitting_a_character(title: str) -> None:
    data = feed_of(make(title=title, code=None))
    physical = data.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    assert all(line.decode("utf-8") for line in physical if line)  # each half decodes
    for events in parse_all(data).values():
        assert events[0].summary == title


# --- whole feeds -----------------------------------------------------------

HEADER = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//BLG//blgcal//EN\r\nCALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\nUID:all@blgcal\r\nNAME:BLG calendar\r\nX-WR-CALNAME:BLG calendar\r\n"
    "X-WR-CALDESC:Meetings of the conventions\r\nREFRESH-INTERVAL;VALUE=DURATION:PT4H\r\n"
    "X-PUBLISHED-TTL:PT4H\r\nCOLOR:darkgreen\r\n"
)


def test_an_empty_feed_is_the_header_alone_and_every_parser_accepts_it() -> None:
    data = assemble_feed([], meta=META, tzids=[])
    assert data == (HEADER + "END:VCALENDAR\r\n").encode()
    assert parse_all(data) == {"icalendar": [], "ical": [], "ical.js": []}


def test_feed_names_and_last_modified_are_escaped_and_in_utc() -> None:
    meta = dataclasses.replace(META, name="BLG, all; \\", color="teal", last_modified_dt=(
        datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))))
    found = lines(assemble_feed([], meta=meta, tzids=[]).decode())
    assert {"NAME:BLG\\, all\\; \\\\", "X-WR-CALNAME:BLG\\, all\\; \\\\", "COLOR:teal",
            "LAST-MODIFIED:20260101T000000Z"} <= set(found)


@pytest.mark.parametrize(("changes", "message"), [
    ({"color": "#ff0000"}, "CSS3"), ({"color": "Teal"}, "CSS3"),
    ({"refresh": "4 hours"}, "duration"), ({"refresh": "PT4X"}, "PT4X"),
    ({"last_modified_dt": datetime(2026, 1, 1)}, "aware"),
])
def test_feed_meta_refuses_values_clients_would_reject(
        changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(META, **changes)


def test_a_feed_holds_each_needed_vtimezone_once_sorted_before_the_events() -> None:
    pieces = [event_component(timed(datetime(2026, 3, d, 8, tzinfo=UTC), 1, z))
              for d, z in [(2, "Europe/Zurich"), (3, "America/New_York"), (4, "Europe/Zurich")]]
    data = assemble_feed([p.text.encode() for p in pieces], meta=META,
                         tzids=[t for p in pieces for t in p.tzids])
    assert re.findall(rb"\r\nTZID:([^\r]+)", data) == [b"America/New_York", b"Europe/Zurich"]
    assert data.index(b"END:VTIMEZONE\r\nBEGIN:VEVENT") > 0
    assert data.endswith(pieces[2].text.encode() + b"END:VCALENDAR\r\n")


def test_a_feed_refuses_a_tzid_it_cannot_describe() -> None:
    with pytest.raises(ValueError, match="Africa/Casablanca"):
        assemble_feed([], meta=META, tzids=["Africa/Casablanca"])


def test_same_pieces_make_the_same_feed_bytes() -> None:
    pieces = [event_component(make()).text]
    first = assemble_feed(pieces, meta=META, tzids=["Europe/Zurich"])
    assert first == assemble_feed(list(pieces), meta=dataclasses.replace(META),
                                  tzids=("Europe/Zurich",))
    assert vtimezone_component("Europe/Zurich") in first.decode()


# --- every parser reads back the events ------------------------------------

EVENTS = [
    make(),
    make(uid="cbd-sbstta27@cbd.int", code="SBSTTA-27", title="Scientific body", bodies=("cbd",),
         start_dt=datetime(2025, 10, 20, 8, tzinfo=UTC),
         end_dt=datetime(2025, 10, 24, 16, tzinfo=UTC),
         timezone="America/Panama", city="Panama City", country="PA", sequence=2,
         status=Status.TENTATIVE, url="https://www.cbd.int/meetings/SBSTTA-27"),
    make(uid="web-1", title="Webinar: حماية الأراضي الرطبة — 湿地 — водно-болотные", code=None,
         kind=Kind.WEBINAR, start_dt=datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
         end_dt=datetime(2026, 3, 29, 1, 30, tzinfo=UTC), timezone="Europe/Zurich",
         online=True, city=None, country=None, tags=("año", "été"), visibility=Visibility.STAFF),
    make(uid="ramsar-cop15", code="Ramsar COP15", title="COP15", bodies=("ramsar",),
         start_date=date(2025, 7, 23), end_date=date(2025, 7, 31), city="Victoria Falls",
         country="ZW", status=Status.CANCELLED, sequence=4),
]


def expected_parsed(event: Event) -> ParsedEvent:
    """What every parser must read back for *event*."""
    if event.start_date is not None and event.end_date is not None:
        start: date | datetime = event.start_date
        end: date | datetime = event.end_date + timedelta(days=1)
    else:
        assert event.start_dt is not None and event.end_dt is not None
        start, end = event.start_dt.astimezone(UTC), event.end_dt.astimezone(UTC)
    status = {"postponed": "TENTATIVE"}.get(event.status.value, event.status.value.upper())
    assert event.updated_dt is not None
    return ParsedEvent(
        uid=event.uid if "@" in event.uid else f"{event.uid}@blgcal",
        summary=summary_text(event), description=description_text(event),
        location=location_text(event), status=status, sequence=event.sequence,
        all_day=event.all_day, start=start, end=end, rrule=None, categories=categories(event),
        url=web_uri(event.url), transparency="TRANSPARENT",
        classification="PRIVATE" if event.visibility is Visibility.STAFF else "PUBLIC",
        dtstamp=event.updated_dt.astimezone(UTC).replace(microsecond=0),
    )


def test_every_parser_reads_back_the_events_times_and_text() -> None:
    expected = [expected_parsed(e) for e in EVENTS]
    for name, events in parse_all(feed_of(*EVENTS)).items():
        assert events == expected, name


def test_an_observance_repeats_yearly_from_its_first_day_on_or_after_the_given_date() -> None:
    observance = Observance(name="World Wildlife Day", rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3",
                            lead_body="cites", note="CITES Secretariat",
                            source_url="https://wildlifeday.org")
    text = observance_component(observance, date(2025, 3, 4), stamp_dt=STAMP)
    data = assemble_feed([text], meta=META, tzids=[])
    expected = ParsedEvent(
        uid="observance-world-wildlife-day@blgcal", summary="World Wildlife Day",
        description="Lead: CITES (CITES Secretariat)\n\nhttps://wildlifeday.org", location=None,
        status="CONFIRMED", sequence=None, all_day=True, start=date(2026, 3, 3),
        end=date(2026, 3, 4), rrule="BYMONTH=3;BYMONTHDAY=3;FREQ=YEARLY",
        categories=("International day",), url="https://wildlifeday.org",
        classification="PUBLIC", transparency="TRANSPARENT", dtstamp=STAMP,
    )
    assert parse_all(data) == {"icalendar": [expected], "ical": [expected], "ical.js": [expected]}


@pytest.mark.parametrize(("rule", "first", "expected"), [
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", date(2025, 3, 1), date(2028, 2, 29)),
    ("FREQ=YEARLY;BYMONTH=5;BYDAY=2SA", date(2026, 1, 1), date(2026, 5, 9)),
    ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3", date(2026, 3, 3), date(2026, 3, 3)),
])
def test_an_observance_starts_at_its_first_occurrence(rule: str, first: date,
                                                      expected: date) -> None:
    text = observance_component(Observance(name="Day", rrule=rule, lead_body="un", slug="day"),
                                first, stamp_dt=STAMP)
    assert f"DTSTART;VALUE=DATE:{expected:%Y%m%d}" in lines(text)
    assert "UID:observance-day@blgcal" in lines(text)


def test_an_observance_needs_a_yearly_rule() -> None:
    with pytest.raises(ValueError, match="yearly"):
        observance_component(Observance(name="Day", rrule="FREQ=MONTHLY", lead_body="un"),
                             date(2026, 1, 1), stamp_dt=STAMP)


# --- the harness itself catches what clients get wrong ---------------------

GOOD = "DTSTART:20260302T080000Z\r\nDTEND:20260302T090000Z"


@pytest.mark.parametrize(("replacement", "why"), [
    ("DTSTART:20260302T080000\r\nDTEND:20260302T090000", "floating"),
    ("DTSTART;TZID=Europe/Zurich:20260302T090000\r\nDTEND;TZID=Europe/Zurich:20260302T100000",
     "TZID"),
])
@pytest.mark.parametrize("parser", [parse_with_icalendar, parse_with_ical,
                                    lambda data: parse_with_icaljs([data])[0]])
def test_the_harness_refuses_floating_times_and_tzids_without_vtimezone(
        parser: Callable[[bytes], object], replacement: str, why: str) -> None:
    data = feed_of(timed(datetime(2026, 3, 2, 8, tzinfo=UTC), 1, None))
    assert GOOD.encode() in data
    with pytest.raises(ParseError, match=why):
        parser(data.replace(GOOD.encode(), replacement.encode()))


@pytest.mark.parametrize("parser", [parse_with_icalendar, parse_with_ical,
                                    lambda data: parse_with_icaljs([data])[0]])
def test_the_harness_reports_injected_properties_and_components(
        parser: Callable[[bytes], list[ParsedEvent]]) -> None:
    data = feed_of(make()).replace(
        b"END:VEVENT", b"ATTENDEE:mailto:a@example.org\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
        b"TRIGGER:-PT15M\r\nDESCRIPTION:x\r\nEND:VALARM\r\nEND:VEVENT")
    assert parser(data)[0].unexpected == {"ATTENDEE", "VALARM"}


def test_the_harness_says_how_to_install_icaljs_instead_of_skipping(tmp_path: Path) -> None:
    with pytest.raises(IcalJsMissing, match="npm ci --prefix tests/js"):
        NodeIcalJs(tmp_path).parse([feed_of(make())])
