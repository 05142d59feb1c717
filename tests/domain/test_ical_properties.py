"""Any event survives the trip through three parsers, after documented sanitizing.

Text is drawn from the six UN languages' scripts plus the characters that
break feeds (commas, semicolons, backslashes, CR and LF, controls, 4-byte
emoji that must not be split by folding) and runs up to 2,000 characters.
Times cluster around zoneinfo's changes of offset in many zones; all-day
spans cluster at month and year ends. Each example's feeds go to ``ical.js``
in one batch.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blgcal.domain.ical import FeedMeta, assemble_feed, event_component
from blgcal.domain.ical.zonerule import zone_transitions
from blgcal.domain.types import Event, Kind, Status, Visibility
from tests.domain.test_ical_build import expected_parsed
from tests.support.ical_parsers import (
    parse_with_ical,
    parse_with_icalendar,
    parse_with_icaljs,
)

META = FeedMeta(name="property", description="", calendar_uid="property@blgcal")
ZONES = [
    "Europe/Zurich", "Europe/Dublin", "America/New_York", "America/St_Johns", "Asia/Samarkand",
    "Australia/Lord_Howe", "Pacific/Chatham", "Australia/Adelaide", "America/Havana",
    "Africa/Casablanca", "America/Santiago", "Asia/Jerusalem", "Asia/Kathmandu", "UTC",
]
CHANGES = {z: [t[0] for y in range(2025, 2031) for t in zone_transitions(ZoneInfo(z), y)]
           for z in ZONES}

SCRIPTS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),    # Basic Latin: English
    st.characters(min_codepoint=0xC0, max_codepoint=0xFF),    # French, Spanish accents
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),  # Arabic
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # Chinese (CJK)
    st.characters(min_codepoint=0x0400, max_codepoint=0x04FF),  # Cyrillic: Russian
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F5FF),  # 4-byte UTF-8
    st.sampled_from(",;\\:\"\r\n\t \x00\x07\x1b\x7f\x85\u2028\u2029\ufeff"),
    st.sampled_from(["\r\n", "\\n", "\\N", "END:VEVENT", "BEGIN:VALARM", "ATTENDEE:x"]),
)
SHORT_TEXT = st.lists(SCRIPTS, max_size=30).map("".join)
# Long fields repeat a drawn snippet: as hard on folding, far cheaper to draw.
LONG_TEXT = st.builds(lambda s, n: (s * n)[:n], SHORT_TEXT.filter(bool), st.integers(300, 2000))
TEXT = st.one_of(SHORT_TEXT, SHORT_TEXT, LONG_TEXT)


@st.composite
def timed_span(draw: st.DrawFn) -> dict[str, object]:
    """A zone (or none), a start often near one of its changes, and a length."""
    zone = draw(st.one_of(st.sampled_from(ZONES), st.none()))
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(
        seconds=draw(st.integers(0, 9 * 365 * 86400)))
    if CHANGES.get(zone or "") and draw(st.integers(0, 2)):
        change = draw(st.sampled_from(CHANGES[zone or ""]))
        # Mostly within the skipped or repeated hour, where wall times are tricky.
        minutes = draw(st.one_of(st.integers(-70, 70), st.integers(-240, 240)))
        start = change + timedelta(minutes=minutes)
    length = timedelta(minutes=draw(st.one_of(st.integers(0, 600), st.integers(0, 20000))))
    return {"start_dt": start, "end_dt": start + length, "timezone": zone}


@st.composite
def all_day_span(draw: st.DrawFn) -> dict[str, object]:
    """Start at or near a month end (often December), one to 45 days long."""
    year, month = draw(st.integers(2024, 2031)), draw(st.sampled_from([12, 12, 1, 2, 6]))
    month_end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    first = month_end + timedelta(days=draw(st.integers(-3, 3)))
    return {"start_date": first, "end_date": first + timedelta(days=draw(st.integers(0, 45)))}


@st.composite
def events(draw: st.DrawFn) -> Event:
    span = draw(st.one_of(timed_span(), all_day_span()))
    return Event(
        uid=draw(st.from_regex(r"[a-z0-9-]{1,20}(@[a-z.]{1,10})?", fullmatch=True)),
        title=draw(TEXT), code=draw(st.one_of(st.none(), SHORT_TEXT)),
        bodies=tuple(draw(st.lists(st.sampled_from(["cbd", "cites", "cms", "ramsar", "blg"]),
                                   max_size=3, unique=True))),
        kind=draw(st.sampled_from(Kind)), status=draw(st.sampled_from(Status)),
        visibility=draw(st.sampled_from(Visibility)),
        venue=draw(st.one_of(st.none(), TEXT)), city=draw(st.one_of(st.none(), SHORT_TEXT)),
        country=draw(st.sampled_from([None, "CH", "UZ", "CN", "RU", "EG", "FR", "ES", "ZZ"])),
        online=draw(st.booleans()), description=draw(st.one_of(st.none(), TEXT)),
        url=draw(st.one_of(st.none(), SHORT_TEXT.map(lambda s: "https://example.org/" + s))),
        tags=tuple(draw(st.lists(SHORT_TEXT, max_size=4))),
        sequence=draw(st.integers(0, 10_000)),
        updated_dt=draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                                     timezones=st.just(UTC))),
        **span,  # type: ignore[arg-type]
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events(), min_size=1, max_size=4))
def test_any_event_reads_back_unchanged_from_every_parser(drawn: list[Event]) -> None:
    feeds = []
    for event in drawn:
        piece = event_component(event)
        feeds.append(assemble_feed([piece.text], meta=META, tzids=piece.tzids))
    from_icaljs = parse_with_icaljs(feeds)
    for event, data, icaljs in zip(drawn, feeds, from_icaljs, strict=True):
        expected = [expected_parsed(event)]
        assert parse_with_icalendar(data) == expected
        assert parse_with_ical(data) == expected
        assert icaljs == expected


@settings(max_examples=25, deadline=None)
@given(st.lists(events(), min_size=0, max_size=12))
def test_a_feed_of_many_events_holds_exactly_those_events(drawn: list[Event]) -> None:
    pieces = [event_component(e) for e in drawn]
    data = assemble_feed([p.text for p in pieces], meta=META,
                         tzids=[t for p in pieces for t in p.tzids])
    expected = [expected_parsed(e) for e in drawn]
    assert (parse_with_icalendar(data), parse_with_ical(data)) == (expected, expected)
    assert parse_with_icaljs([data]) == [expected]
