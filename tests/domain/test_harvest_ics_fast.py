"""Single events skip ``recurring-ical-events`` and still give exactly the same items.

(The plain reader, which skips ``icalendar`` too, is tested in
``test_harvest_ics_plain.py``; here it is off.)"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blgcal.domain.harvest.ics import read as ics
from blgcal.domain.harvest.ics.expand import expand
from blgcal.domain.harvest.records import ParseError, ParseResult
from blgcal.domain.harvest.window import HarvestWindow

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
WINDOW = HarvestWindow(date(2025, 1, 1), date(2027, 12, 31))
EDGE = datetime(2025, 1, 1)


def both_ways(data: str | bytes, window: HarvestWindow,
              monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """The parse result (or error message) with the fast path, then through the library.

    The plain reader is off: every event reaches ``expand`` as a component.
    """
    monkeypatch.setattr(ics, "read_plain", lambda shape, window: {})
    found = []
    for fast in (True, False):
        try:
            result: object = ics.parse_ics(data, source="t.ics", default_body="cbd",
                                           window=window, fast=fast)
        except ParseError as exc:
            result = str(exc)
        found.append(result)
    return found[0], found[1]


@pytest.mark.parametrize("name", sorted(p.name for p in FEEDS.glob("*.ics")))
@pytest.mark.parametrize("window", [WINDOW, HarvestWindow(date(2025, 10, 17), date(2025, 10, 17))])
def test_the_fast_path_gives_the_same_items_on_every_fixture_feed(
        name: str, window: HarvestWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, library = both_ways((FEEDS / name).read_bytes(), window, monkeypatch)
    assert fast == library


@pytest.mark.parametrize("name", ["google.ics", "outlook.ics", "indico.ics", "recurring.ics"])
def test_the_fast_path_copies_occurrences_byte_for_byte(name: str) -> None:
    calendar = icalendar.Calendar.from_ical((FEEDS / name).read_bytes())
    fast, library = ({series.uid: [c.to_ical() for c in series.occurrences]
                      for series in expand(calendar, WINDOW, name, today=WINDOW.first_date, keep=1000,
                                           fast=flag)} for flag in (True, False))
    assert fast == library


ZONES = st.sampled_from(["", "Z", "Europe/Rome", "America/Toronto", "Asia/Kathmandu"])


@st.composite
def vevent(draw: st.DrawFn, number: int) -> list[str]:
    """A VEVENT near the window's edges: mostly single, some series, some DURATION."""
    start = EDGE + timedelta(minutes=15 * draw(st.integers(-200, 200)))
    if draw(st.booleans()):
        start = EDGE + timedelta(days=draw(st.sampled_from([-2, -1, 0, 1, 1094, 1095, 1096])))
    uid = f"u{draw(st.integers(0, number))}@t" if draw(st.integers(0, 9)) == 0 else f"e{number}@t"
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20250101T000000Z",
             f"SUMMARY:Event {number}"]
    if draw(st.booleans()):
        day = start.date()
        lines.append(f"DTSTART;VALUE=DATE:{day:%Y%m%d}")
        if draw(st.integers(0, 3)):
            lines.append(f"DTEND;VALUE=DATE:{day + timedelta(days=draw(st.integers(0, 5))):%Y%m%d}")
    else:
        zone, end = draw(ZONES), start + timedelta(minutes=draw(st.sampled_from([0, 30, 1440])))
        stamp = {"": "{:%Y%m%dT%H%M%S}", "Z": "{:%Y%m%dT%H%M%SZ}"}.get(zone, "{:%Y%m%dT%H%M%S}")
        param = f";TZID={zone}" if zone not in ("", "Z") else ""
        lines.append(f"DTSTART{param}:{stamp.format(start)}")
        end_zone = draw(st.sampled_from([zone, zone, "Z"]))
        end_param = f";TZID={end_zone}" if end_zone not in ("", "Z") else ""
        end_stamp = "{:%Y%m%dT%H%M%SZ}" if end_zone == "Z" else "{:%Y%m%dT%H%M%S}"
        if draw(st.integers(0, 3)):
            lines.append(f"DTEND{end_param}:{end_stamp.format(end)}")
    extra = draw(st.sampled_from(["", "", "SEQUENCE:2", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=3",
                                  "EXDATE;VALUE=DATE:20250101"]))
    has_end = any(x.startswith("DTEND") for x in lines)
    if extra and not (extra.startswith("DURATION") and has_end):
        lines.append(extra)
    return [*lines, "END:VEVENT"]


@st.composite
def calendars(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 8))
    events = [line for n in range(count) for line in draw(vevent(n))]
    header = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN"]
    if draw(st.booleans()):
        header.append("X-WR-TIMEZONE:Europe/Berlin")
    return "\r\n".join([*header, *events, "END:VCALENDAR"]) + "\r\n"


@settings(max_examples=300, deadline=None)
@given(calendars())
def test_the_fast_path_gives_the_same_items_on_generated_single_events(data: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, library = both_ways(data, WINDOW, monkeypatch)
    assert fast == library
    assert isinstance(fast, ParseResult | str)


def test_an_event_ending_just_after_the_window_opens_in_a_zone_ahead_of_utc_agrees(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by hypothesis: ends 00:45 Berlin on the window's first day (23:45 UTC the day before)."""
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
            "BEGIN:VEVENT\r\nUID:e0@t\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Event 0\r\n"
            "DTSTART:20241230T234500\r\nDTEND:20241231T234500Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    fast, library = both_ways(data, WINDOW, monkeypatch)
    assert fast == library
