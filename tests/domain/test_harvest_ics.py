"""iCalendar feeds as Google, Outlook, Indico and others write them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from blgcal.domain.changes import content_hash
from blgcal.domain.harvest.ics.read import parse_ics
from blgcal.domain.harvest.limits import MAX_SERIES_OCCURRENCES
from blgcal.domain.harvest.records import ParseResult
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.types import Kind, Status

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
WINDOW = HarvestWindow(date(2025, 1, 1), date(2027, 12, 31))


def parse(name: str, window: HarvestWindow = WINDOW) -> ParseResult:
    return parse_ics((FEEDS / name).read_bytes(), source=name, default_body="cbd", window=window)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def by_title(result: ParseResult, start: str) -> list:
    return [item for item in result.items if item.event.title.startswith(start)]


def test_the_parsers_import_neither_flask_nor_sqlalchemy() -> None:
    source = FEEDS.parent.parent.parent / "blgcal" / "domain" / "harvest"
    text = "".join(p.read_text() for p in source.glob("*.py"))
    assert "flask" not in text and "sqlalchemy" not in text


@pytest.mark.parametrize(("title", "start", "end", "zone", "status"), [
    # X-WR-TIMEZONE: UTC times stay the same instant but gain the calendar's zone.
    ("SBSTTA-27 Bureau", utc(2025, 10, 17, 13), utc(2025, 10, 17, 15), "America/Toronto",
     Status.TENTATIVE),
    # Floating times are wall times in the calendar's zone (EST, UTC-5).
    ("Briefing for Parties", utc(2025, 11, 18, 15), utc(2025, 11, 18, 16, 30), "America/Toronto",
     Status.CONFIRMED),
])
def test_google_times_follow_the_calendar_time_zone(title: str, start: datetime, end: datetime,
                                                    zone: str, status: Status) -> None:
    [item] = by_title(parse("google.ics"), title)
    assert (item.event.start_dt, item.event.end_dt, item.event.timezone, item.event.status) == \
        (start, end, zone, status)
    assert item.recurrence_id is None and item.warnings == ()


def test_google_until_as_a_date_keeps_the_last_day() -> None:
    items = by_title(parse("google.ics"), "Resource mobilization")
    assert [i.recurrence_id for i in items] == [
        "20260105T150000Z", "20260112T150000Z", "20260119T150000Z", "20260126T150000Z"]
    assert {i.external_uid for i in items} == {"5q8w2e4r6t1y3u5i7o9p0a2s4d@google.com"}


def test_google_all_day_end_is_made_inclusive_and_the_location_split() -> None:
    [item] = by_title(parse("google.ics"), "SBI-6")
    event = item.event
    assert (event.start_date, event.end_date, event.start_dt) == (date(2026, 2, 16), date(2026, 2, 19), None)
    assert (event.city, event.country, event.sequence) == ("Rome", "IT", 2)
    assert event.venue == "FAO Headquarters, Viale delle Terme di Caracalla, Rome, Italy"
    assert event.updated_dt == utc(2025, 10, 2, 8)


@pytest.mark.parametrize(("title", "start", "end", "zone"), [
    # W. Europe Standard Time from a 1601-anchored VTIMEZONE, in summer time.
    ("Meeting of the Liaison Group", utc(2025, 9, 8, 7), utc(2025, 9, 8, 15, 30), "Europe/Berlin"),
    ("World Heritage Committee 47", utc(2025, 7, 7, 12), utc(2025, 7, 7, 13, 30), "Europe/Paris"),
    # "Customized Time Zone" defined by its VTIMEZONE: the instant is right, no IANA name.
    ("UNEA-7 side event", utc(2025, 12, 9, 10, 15), utc(2025, 12, 9, 11, 45), None),
])
def test_outlook_windows_and_customized_zones_give_right_instants(
        title: str, start: datetime, end: datetime, zone: str | None) -> None:
    [item] = by_title(parse("outlook.ics"), title)
    assert (item.event.start_dt, item.event.end_dt, item.event.timezone) == (start, end, zone)
    assert item.warnings == ()


def test_outlook_long_uids_and_categories_survive() -> None:
    [item] = by_title(parse("outlook.ics"), "UNEA-7 side event")
    assert item.external_uid.startswith("040000008200E00074C5B7101A82E008") and len(item.external_uid) == 112
    assert (item.event.kind, item.event.tags) == (Kind.SIDE_EVENT, ("side event",))
    assert (item.event.city, item.event.country) == ("Nairobi", "KE")


def test_indico_content_hash_ignores_a_regenerated_dtstamp() -> None:
    data = (FEEDS / "indico.ics").read_bytes()
    later = data.replace(b"DTSTAMP:20251127T101530Z", b"DTSTAMP:20251128T000001Z")
    window = {"source": "indico", "default_body": "ipbes", "window": WINDOW}
    before, after = parse_ics(data, **window), parse_ics(later, **window)  # type: ignore[arg-type]
    assert later != data
    assert [content_hash(i.event) for i in before.items] == [content_hash(i.event) for i in after.items]


@pytest.mark.parametrize(("title", "start", "end", "kind"), [
    ("IPBES-12: 12th", utc(2026, 2, 3, 9), utc(2026, 2, 8, 18), Kind.GOVERNING_BODY),
    # No DTEND and no DURATION: a DATE-TIME start is an instant (RFC 5545 3.6.1).
    ("IPBES-12 registration", utc(2025, 12, 1, 12), utc(2025, 12, 1, 12), Kind.GOVERNING_BODY),
    ("Webinar: the nexus", utc(2025, 12, 4, 14), utc(2025, 12, 4, 15, 30), Kind.WEBINAR),
])
def test_indico_utc_times_and_durations(title: str, start: datetime, end: datetime, kind: Kind) -> None:
    [item] = by_title(parse("indico.ics"), title)
    assert (item.event.start_dt, item.event.end_dt, item.event.kind) == (start, end, kind)
    assert item.event.timezone is None and item.event.sequence == 0


def test_recurring_series_skips_exdate_and_applies_the_override_across_dst() -> None:
    items = parse("recurring.ics").items
    assert [(i.recurrence_id, i.event.start_dt) for i in items] == [
        ("20250902T120000Z", utc(2025, 9, 2, 12)), ("20250909T120000Z", utc(2025, 9, 9, 12)),
        ("20250923T120000Z", utc(2025, 9, 24, 14)), ("20250930T120000Z", utc(2025, 9, 30, 12)),
        ("20251007T120000Z", utc(2025, 10, 7, 12)), ("20251014T120000Z", utc(2025, 10, 14, 12)),
        ("20251021T120000Z", utc(2025, 10, 21, 12)), ("20251028T130000Z", utc(2025, 10, 28, 13)),
        ("20251104T130000Z", utc(2025, 11, 4, 13)),
    ]
    assert items[2].event.title.endswith("(moved: UNGA high-level week)")
    assert {i.event.timezone for i in items} == {"Europe/Zurich"}


def test_only_occurrences_inside_the_window_are_returned() -> None:
    items = parse("recurring.ics", HarvestWindow(date(2025, 10, 1), date(2025, 10, 14))).items
    assert [i.recurrence_id for i in items] == ["20251007T120000Z", "20251014T120000Z"]


@pytest.mark.parametrize(("title", "day"), [
    ("Meeting of the Liaison Group", date(2025, 9, 8)),  # DTEND equal to DTSTART
    ("International Day for Biological Diversity", date(2026, 5, 22)),  # no DTEND
])
def test_one_day_all_day_events_last_one_day(title: str, day: date) -> None:
    [item] = by_title(parse("allday_same_end.ics"), title)
    assert (item.event.start_date, item.event.end_date) == (day, day)


def test_an_unknown_zone_is_read_as_utc_with_a_warning_not_the_calendar_zone() -> None:
    result = parse("unknown_zone.ics")
    [flagged] = by_title(result, "CMS COP15")
    message = "time zone 'Customized Time Zone 1' unknown: times shown as UTC may be wrong"
    assert (flagged.event.start_dt, flagged.event.end_dt) == (utc(2026, 3, 22, 10), utc(2026, 3, 22, 12))
    assert flagged.event.timezone is None and flagged.warnings == (message,)
    assert [(w.where.split(" ")[:2], w.message) for w in result.warnings] == [(["line", "6"], message)]
    [fine] = by_title(result, "CMS Standing")
    assert (fine.event.start_dt, fine.event.timezone, fine.warnings) == (
        utc(2026, 3, 10, 14), "Europe/Berlin", ())


def test_an_endless_series_is_capped_with_a_warning() -> None:
    result = parse("huge_count.ics")
    daily = [i for i in result.items if i.external_uid == "daily-forever@example.org"]
    assert len(daily) == MAX_SERIES_OCCURRENCES == 1000
    assert daily[-1].event.start_dt == utc(2027, 9, 27, 8)
    assert ("recurring series cut: 1095 occurrences in the window: only the 1000 nearest to"
            " 2025-01-01 going forward"
            " are imported (earlier ones cut first)") in daily[0].warnings


@pytest.mark.parametrize(("today", "first", "last"), [
    # Today in the middle: the 400 days ahead are all kept, the rest of the room goes to the past.
    (date(2026, 11, 27), utc(2025, 4, 6, 8), utc(2027, 12, 31, 8)),
    # Today before the series: the first 1000 are the nearest going forward.
    (date(2024, 6, 1), utc(2025, 1, 1, 8), utc(2027, 9, 27, 8)),
])
def test_the_cap_keeps_the_occurrences_nearest_to_today_going_forward(
        today: date, first: datetime, last: datetime) -> None:
    data = (FEEDS / "huge_count.ics").read_bytes()
    result = parse_ics(data, source="huge_count.ics", default_body="cbd", window=WINDOW, today=today)
    daily = [i for i in result.items if i.external_uid == "daily-forever@example.org"]
    assert len(daily) == MAX_SERIES_OCCURRENCES
    assert (daily[0].event.start_dt, daily[-1].event.start_dt) == (first, last)
    assert any(i.event.start_dt.date() == today for i in daily) or today < date(2025, 1, 1)


@pytest.mark.parametrize(("uid", "reason"), [
    ("impossible@example.org", "matches no date for centuries"),
    ("every-second@example.org", "FREQ=SECONDLY repeats more than once a day"),
    ("weekly-from-1601@example.org", "repetitions before the window ends"),
])
def test_series_too_costly_to_expand_are_skipped_with_a_warning(uid: str, reason: str) -> None:
    result = parse("huge_count.ics")
    assert uid not in {i.external_uid for i in result.items}
    [warning] = [w for w in result.warnings if uid in w.where]
    assert reason in warning.message and warning.where.startswith("line ")
