"""Feeds built from stored pieces: SEQUENCE through the service, windows, cancellations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from blgcal.domain.filters import EventFilter, parse_filters
from blgcal.domain.ical.window import FeedSettings
from blgcal.domain.types import Kind, Status, Visibility
from blgcal.models import Event
from blgcal.services import queries
from blgcal.services.event_rows import to_domain
from blgcal.services.events import cancel_event, delete_event, restore_event, save_event
from blgcal.services.feeds import specs as feed_specs
from blgcal.services.feeds.build import FeedBody, FeedSpec, build_feed
from blgcal.services.feeds.pieces import rebuild_pieces
from tests.support.feed_events import ACTOR, NOW, Expected, add, add_bodies, read_feed, timed

TODAY = date(2026, 11, 27)
SETTINGS = FeedSettings()


@pytest.fixture(autouse=True)
def bodies(session: Session) -> None:
    """The two bodies the tests' events name (``seeded`` adds the rest)."""
    add_bodies(session)


def build(session: Session, spec: FeedSpec | None = None, *, today: date = TODAY) -> FeedBody:
    spec = spec or feed_specs.all_spec("BLG calendar", EventFilter())
    return build_feed(session, spec, today=today, now=datetime.now(UTC), settings=SETTINGS)


def uids(body: FeedBody) -> set[str]:
    return set(read_feed(body.data)["ical.js"])


def stored(session: Session, row: Event) -> tuple[int, str | None]:
    session.expire_all()
    fresh = session.get(Event, row.id)
    assert fresh is not None
    return fresh.sequence, fresh.ical


def test_a_save_that_changes_nothing_keeps_sequence_piece_and_bytes(session: Session) -> None:
    row = add(session)
    before, feed = stored(session, row), build(session).data
    _, changed = save_event(session, to_domain(row), now=NOW + timedelta(days=1), actor=ACTOR,
                            row=row)
    session.commit()
    assert not changed and stored(session, row) == before and build(session).data == feed


@pytest.mark.parametrize(("change", "raised"), [
    ({"start_date": date(2027, 3, 2), "end_date": date(2027, 3, 4)}, True),
    ({"city": "Nairobi", "country": "KE"}, True),
    ({"title": "A new title"}, True),
    ({"status": Status.POSTPONED}, True),
    ({"description": "Agenda published"}, False),
    ({"tags": ("oceans",)}, False),
])
def test_sequence_rises_on_material_changes_only_and_the_piece_follows_every_change(
        session: Session, change: dict[str, object], raised: bool) -> None:
    row = add(session)
    sequence, piece = stored(session, row)
    later = NOW + timedelta(hours=3)
    save_event(session, replace(to_domain(row), **change), now=later, actor=ACTOR, row=row)
    session.commit()
    new_sequence, new_piece = stored(session, row)
    assert new_sequence == sequence + raised and new_piece != piece
    assert f"DTSTAMP:{later:%Y%m%dT%H%M%SZ}" in (new_piece or "")
    assert f"SEQUENCE:{new_sequence}" in (new_piece or "")


def test_cancel_delete_and_restore_raise_sequence_and_keep_the_event_in_feeds(
        session: Session) -> None:
    row = add(session)
    assert cancel_event(session, row, now=NOW + timedelta(hours=1), actor=ACTOR)
    session.commit()
    assert stored(session, row)[0] == 1 and "STATUS:CANCELLED" in (stored(session, row)[1] or "")
    other = add(session)
    delete_event(session, other, now=NOW + timedelta(hours=2), actor=ACTOR)
    session.commit()
    sequence, piece = stored(session, other)
    assert sequence == 1 and "STATUS:CANCELLED" in (piece or "")
    found = read_feed(build(session).data)["ical"]
    assert {found[r.uid].status for r in (row, other)} == {"CANCELLED"}
    assert found[other.uid].sequence == 1
    restore_event(session, other, now=NOW + timedelta(hours=3), actor=ACTOR)
    session.commit()
    assert read_feed(build(session).data)["ical"][other.uid] == Expected.of(other)
    assert Expected.of(other).status == "CONFIRMED" and Expected.of(other).sequence == 2


@pytest.mark.parametrize(("days_later", "kept"), [(0, True), (29, True), (30, True), (31, False)])
def test_cancelled_and_deleted_events_stay_for_30_days_then_drop(
        session: Session, days_later: int, kept: bool) -> None:
    cancelled = add(session, status=Status.CANCELLED)
    deleted = add(session)
    delete_event(session, deleted, now=NOW, actor=ACTOR)
    live = add(session)
    session.commit()
    found = uids(build(session, today=NOW.date() + timedelta(days=days_later)))
    assert (cancelled.uid in found, deleted.uid in found, live.uid in found) == (kept, kept, True)


def test_a_cancelled_meeting_still_shows_in_a_feed_of_confirmed_meetings(
        session: Session) -> None:
    row = add(session)
    cancel_event(session, row, now=NOW, actor=ACTOR)
    session.commit()
    spec = feed_specs.all_spec("BLG", EventFilter(statuses=(Status.CONFIRMED,)))
    assert read_feed(build(session, spec).data)["icalendar"][row.uid].status == "CANCELLED"


def test_the_window_is_the_last_90_days_and_everything_ahead_and_from_to_set_it(
        session: Session) -> None:
    old = add(session, start_date=date(2026, 8, 1), end_date=date(2026, 8, 28))
    edge = add(session, start_date=date(2026, 8, 29), end_date=date(2026, 8, 29))
    ahead = add(session, start_date=date(2031, 1, 1), end_date=date(2031, 1, 1))
    assert uids(build(session)) == {edge.uid, ahead.uid}
    wide = feed_specs.all_spec("BLG", EventFilter(date_from=date(2026, 1, 1)))
    assert uids(build(session, wide)) == {old.uid, edge.uid, ahead.uid}
    narrow = feed_specs.all_spec("BLG", EventFilter(date_from=date(2026, 1, 1),
                                                    date_to=date(2026, 12, 31)))
    assert uids(build(session, narrow)) == {old.uid, edge.uid}


def test_timed_events_in_several_zones_round_trip_through_every_parser(
        session: Session) -> None:
    rows = [timed(session, datetime(2027, 3, 28, 0, 30, tzinfo=UTC), 2, "Europe/Rome"),
            timed(session, datetime(2027, 11, 7, 5, 30, tzinfo=UTC), 1.5, "America/New_York"),
            timed(session, datetime(2027, 6, 1, 1, 0, tzinfo=UTC), 8, "Asia/Tokyo"),
            timed(session, datetime(2027, 6, 1, 12, 0, tzinfo=UTC), 1, None, online=True),
            timed(session, datetime(2027, 10, 4, 14, 0, tzinfo=UTC), 3, "Australia/Sydney")]
    body = build(session)
    for parser, found in read_feed(body.data).items():
        assert found == {r.uid: Expected.of(r) for r in rows}, parser
    assert b"BEGIN:VTIMEZONE" in body.data and b"TZID:Europe/Rome" in body.data


def test_rebuilding_pieces_gives_exactly_what_the_writes_stored(session: Session) -> None:
    rows = [add(session), timed(session, datetime(2027, 1, 5, 9, tzinfo=UTC), 2, "Europe/Rome")]
    delete_event(session, rows[0], now=NOW, actor=ACTOR)
    session.commit()
    before = [stored(session, r) for r in rows]
    session.execute(update(Event).values(ical=None, ical_tzids=None)
                    .execution_options(synchronize_session=False))
    session.commit()
    unbuilt = build(session).data  # built on the fly, and the same
    assert rebuild_pieces(session) == 2
    session.commit()
    assert [stored(session, r) for r in rows] == before and build(session).data == unbuilt


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("query", [
    "body=cbd", "kind=governing_body&kind=subsidiary_body", "country=UZ", "q=conference",
    "tag=zzz", "body=cites,cms&status=confirmed", "q=rome&from=2025-01-01",
])
def test_feed_filters_select_what_the_api_selects(session: Session, query: str) -> None:
    params: dict[str, list[str]] = {}
    for pair in query.split("&"):
        name, value = pair.split("=")
        params.setdefault(name, []).append(value)
    flt = parse_filters(params, known_bodies=queries.body_slugs(session))
    window = replace(flt, date_from=flt.date_from or TODAY - timedelta(days=90))
    api = {e.uid for e in queries.in_window(session, window)}
    assert uids(build(session, feed_specs.all_spec("BLG", flt))) == api


visibility = st.sampled_from(list(Visibility))
status = st.sampled_from(list(Status))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mix=st.lists(st.tuples(visibility, status, st.booleans()), min_size=1, max_size=8))
def test_staff_events_are_never_in_public_feeds(app: Flask, mix: list[tuple[Visibility,
                                                                        Status, bool]]) -> None:
    with app.extensions["blgcal.sessionmaker"]() as session:
        session.execute(delete(Event))
        rows = []
        for seen, state, gone in mix:
            row = add(session, visibility=seen, status=state)
            if gone:
                delete_event(session, row, now=NOW, actor=ACTOR)
            rows.append(row)
        session.commit()
        public_specs = [feed_specs.all_spec("BLG", EventFilter()),
                        feed_specs.all_spec("BLG", EventFilter(statuses=tuple(Status))),
                        feed_specs.all_spec("BLG", EventFilter(bodies=("cbd",), kinds=(
                            Kind.WORKING_GROUP,)))]
        staff = {r.uid for r in rows if r.visibility is Visibility.STAFF}
        for spec in public_specs:
            data = build(session, spec).data
            assert not any(uid.encode() in data for uid in staff)
            assert b"CLASS:PRIVATE" not in data
        first = public_specs[0]
        private = replace(first, content=replace(first.content, include_staff=True))
        assert uids(build(session, private)) == {r.uid for r in rows}


def test_an_empty_feed_is_still_a_valid_calendar(session: Session) -> None:
    body = build(session)
    assert body.events == 0 and body.data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(found == {} for found in read_feed(body.data).values())


def test_a_feed_past_the_size_limit_is_logged(session: Session,
                                              caplog: pytest.LogCaptureFixture) -> None:
    for _ in range(3):
        add(session, description="x" * 400)
    small = FeedSettings(warn_bytes=1024)
    build_feed(session, feed_specs.all_spec("BLG", EventFilter()), today=TODAY,
               now=datetime.now(UTC), settings=small)
    assert any("feed all is" in r.getMessage() and r.levelname == "WARNING"
               for r in caplog.records)
    assert select(Event.id) is not None
