"""Public feeds over HTTP: every kind read by three parsers, caching, 304, HEAD, no gzip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.types import Status
from blgcal.models import Event
from blgcal.services.event_rows import to_domain
from blgcal.services.events import delete_event, save_event
from tests.support.feed_events import ACTOR, NOW, STAFF, add, add_bodies, assert_feed_holds, timed
from tests.support.ical_parsers import parse_all

CALENDAR = "text/calendar; charset=utf-8"


@pytest.fixture(autouse=True)
def bodies(session: Session) -> None:
    add_bodies(session)


@pytest.fixture
def calendar(session: Session) -> dict[str, Event]:
    """A small calendar: all-day and timed events in several zones, cancelled, staff-only, old."""
    return {
        "cop": add(session, title="COP 18; Rome, Italy", bodies=("cbd", "cites"),
                   description="Line one\nLine two, with commas; and \\ backslashes"),
        "rome": timed(session, datetime(2027, 3, 28, 0, 30, tzinfo=UTC), 2, "Europe/Rome"),
        "ny": timed(session, datetime(2027, 11, 7, 5, 30, tzinfo=UTC), 1.5, "America/New_York",
                    bodies=("cites",)),
        "tokyo": timed(session, datetime(2027, 6, 1, 1, 0, tzinfo=UTC), 8, "Asia/Tokyo",
                       tags=("oceans",)),
        "cancelled": add(session, status=Status.CANCELLED, bodies=("cites",)),
        "staff": add(session, visibility=STAFF),
        "old": add(session, start_date=date(2025, 1, 5), end_date=date(2025, 1, 6)),
    }


def pick(calendar: dict[str, Event], *names: str) -> list[Event]:
    return [calendar[name] for name in names]


@pytest.mark.parametrize(("path", "names", "observances"), [
    ("/feeds/all.ics", ("cop", "rome", "ny", "tokyo", "cancelled"), 0),
    ("/feeds/cbd.ics", ("cop", "rome", "tokyo"), 0),
    ("/feeds/cites.ics?observances=1", ("cop", "ny", "cancelled"), 11),
    ("/feeds/custom.ics?body=cites&status=confirmed", ("cop", "ny", "cancelled"), 0),
    ("/feeds/custom.ics?tag=oceans", ("tokyo",), 0),
    ("/feeds/custom.ics?q=nothing-matches", (), 0),
    ("/feeds/custom.ics?from=2025-01-01&body=cbd", ("cop", "rome", "tokyo", "old"), 0),
    ("/feeds/observances.ics", (), 11),
])
@pytest.mark.usefixtures("seeded_observances")
def test_each_feed_holds_what_the_database_holds_for_all_three_parsers(
        client: FlaskClient, session: Session, calendar: dict[str, Event], path: str,
        names: tuple[str, ...], observances: int) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.content_type == CALENDAR
    assert_feed_holds(response.data, pick(calendar, *names), session=session,
                      observances=observances)


@pytest.fixture
def seeded_observances(runner: object, session: Session) -> None:
    from blgcal.services.seed import load_seed, read_seed

    def reader(name: str) -> str:
        text = read_seed(name)
        return text.split("\n", 1)[0] + "\n" if name.startswith("meetings") else text
    load_seed(session, now=NOW, reader=reader)
    session.commit()


def test_a_single_event_downloads_as_its_own_calendar(
        client: FlaskClient, session: Session, calendar: dict[str, Event]) -> None:
    response = client.get(f"/events/{calendar['ny'].id}.ics")
    assert response.status_code == 200 and response.content_type == CALENDAR
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert_feed_holds(response.data, [calendar["ny"]], session=session)
    assert client.get(f"/events/{calendar['staff'].id}.ics").status_code == 404
    assert client.get("/events/999999.ics").status_code == 404


def test_calendar_properties_name_the_feed_and_stay_fixed(
        client: FlaskClient, calendar: dict[str, Event]) -> None:
    text = client.get("/feeds/cbd.ics").get_data(as_text=True)
    for line in ("NAME:BLG calendar: CBD", "X-WR-CALNAME:BLG calendar: CBD",
                 "UID:feed-body-cbd@blgcal", "COLOR:seagreen", "METHOD:PUBLISH",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT4H", "X-PUBLISHED-TTL:PT4H"):
        assert line + "\r\n" in text
    custom = client.get("/feeds/custom.ics?tag=oceans&body=cbd").get_data(as_text=True)
    same = client.get("/feeds/custom.ics?body=cbd&tag=oceans").get_data(as_text=True)
    assert custom == same and "UID:feed-custom-" in custom


def test_two_requests_with_no_change_get_identical_bytes_and_etag(
        make_app: object, session: Session, calendar: dict[str, Event]) -> None:
    first = make_app().test_client().get("/feeds/all.ics")  # type: ignore[operator]
    second = make_app().test_client().get("/feeds/all.ics")  # type: ignore[operator]
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Last-Modified"] == second.headers["Last-Modified"]
    assert not first.headers["ETag"].startswith("W/")


def test_conditional_requests_get_304_until_something_changes(
        client: FlaskClient, session: Session, calendar: dict[str, Event]) -> None:
    first = client.get("/feeds/all.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/feeds/all.ics", headers={"If-None-Match": etag}).status_code == 304
    not_modified = client.get("/feeds/all.ics", headers={"If-Modified-Since": modified})
    assert not_modified.status_code == 304 and not_modified.data == b""
    row = calendar["rome"]
    save_event(session, replace(to_domain(row), title="Moved"), now=datetime.now(UTC),
               actor=ACTOR, row=row)
    session.commit()
    changed = client.get("/feeds/all.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert b"SUMMARY:Moved" in changed.data


def test_an_unrelated_change_keeps_the_etag_of_a_feed_it_does_not_touch(
        client: FlaskClient, session: Session, calendar: dict[str, Event]) -> None:
    etag = client.get("/feeds/custom.ics?tag=oceans").headers["ETag"]
    add(session, bodies=("cites",), now=datetime.now(UTC))
    again = client.get("/feeds/custom.ics?tag=oceans", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_head_answers_the_headers_without_the_body(
        client: FlaskClient, calendar: dict[str, Event]) -> None:
    full, head = client.get("/feeds/all.ics"), client.head("/feeds/all.ics")
    assert head.status_code == 200 and head.data == b""
    for name in ("ETag", "Last-Modified", "Content-Type", "Content-Length", "Cache-Control"):
        assert head.headers[name] == full.headers[name]


def test_feeds_are_never_compressed_nor_negotiated(
        client: FlaskClient, calendar: dict[str, Event]) -> None:
    plain = client.get("/feeds/all.ics")
    asked = client.get("/feeds/all.ics", headers={"Accept-Encoding": "gzip, br",
                                                  "Accept": "application/json"})
    assert "Content-Encoding" not in asked.headers and asked.data == plain.data
    assert asked.content_type == CALENDAR and asked.data.startswith(b"BEGIN:VCALENDAR")
    assert asked.headers["Cache-Control"].startswith("public, max-age=")
    assert "no-transform" in asked.headers["Cache-Control"]
    assert "Accept" not in asked.headers.get("Vary", "")


@pytest.mark.parametrize(("query", "param"), [
    ("body=nope", "body"), ("kind=party", "kind"), ("status=maybe", "status"),
    ("country=XX", "country"), ("tag=a%20b", "tag"), ("from=2026-13-01", "from"),
    ("from=2027-01-01&to=2026-01-01", "from"), ("observances=perhaps", "observances"),
    ("bodyy=cbd", "bodyy"),
])
def test_a_bad_filter_is_a_400_naming_the_parameter(client: FlaskClient, query: str,
                                                    param: str) -> None:
    response = client.get(f"/feeds/custom.ics?{query}")
    assert response.status_code == 400 and response.content_type.startswith("text/plain")
    assert f"'{param}'" in response.get_data(as_text=True)


def test_an_unknown_body_feed_is_a_404(client: FlaskClient) -> None:
    assert client.get("/feeds/nobody.ics").status_code == 404


def test_deleted_events_stay_cancelled_in_the_feed_then_drop(
        make_app: object, session: Session, calendar: dict[str, Event]) -> None:
    row = calendar["tokyo"]
    delete_event(session, row, now=NOW, actor=ACTOR)
    session.commit()
    soon = make_app(TODAY=NOW.date() + timedelta(days=30)).test_client()  # type: ignore[operator]
    found = parse_all(soon.get("/feeds/all.ics").data)
    assert {e.status for e in found["ical"] if e.uid == row.uid} == {"CANCELLED"}
    late = make_app(TODAY=NOW.date() + timedelta(days=31)).test_client()  # type: ignore[operator]
    assert row.uid.encode() not in late.get("/feeds/all.ics").data


def test_the_event_page_links_to_its_ics_and_the_nav_to_subscribe(
        client: FlaskClient, calendar: dict[str, Event]) -> None:
    page = client.get(f"/events/{calendar['cop'].id}").get_data(as_text=True)
    assert f'href="/events/{calendar["cop"].id}.ics"' in page and "Add to calendar" in page
    assert 'href="/subscribe"' in page


def test_feeds_with_many_events_stay_ordered_and_whole(
        client: FlaskClient, session: Session) -> None:
    rows = [add(session, start_date=date(2027, 1, 1) + timedelta(days=i),
                end_date=date(2027, 1, 1) + timedelta(days=i)) for i in range(30)]
    data = client.get("/feeds/all.ics").data
    order = [row.uid for row in sorted(rows, key=lambda r: r.start_date or date.min)]
    positions = [data.index(uid.encode()) for uid in order]
    assert positions == sorted(positions)
    assert session.scalars(select(Event.id)).all()
