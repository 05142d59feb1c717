"""serve(FeedRequest): a feed's part follows its own events, not every write in the calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from blgcal.domain.feeds import FeedKind, FeedRequest
from blgcal.domain.ical.window import FeedSettings
from blgcal.domain.types import Visibility
from blgcal.models import Event
from blgcal.services.event_rows import to_domain
from blgcal.services.events import delete_event, save_event
from blgcal.services.feeds.serve import FeedCaches, FeedContext, Served, body_of, serve
from blgcal.services.feeds.specs import NoSuchFeed
from blgcal.services.queries import body_slugs
from blgcal.services.versions import body_fingerprints, calendar_version
from tests.support.feed_events import ACTOR, add, add_bodies

TODAY = date(2026, 11, 27)
CBD = FeedRequest(FeedKind.BODY, "cbd")


@pytest.fixture(autouse=True)
def bodies(session: Session) -> None:
    add_bodies(session, ("cbd", "cites", "cms"))


@pytest.fixture
def caches() -> FeedCaches:
    return FeedCaches.sized(addresses=100, part_bytes=2**20)


def context(session: Session, caches: FeedCaches) -> FeedContext:
    return FeedContext(lambda: session, caches, calendar_version(session), TODAY, datetime.now(UTC),
                       FeedSettings(), site="BLG", known_bodies=lambda: body_slugs(session),
                       body_fingerprints=cache(lambda: body_fingerprints(session)))


def served(session: Session, caches: FeedCaches, request: FeedRequest = CBD) -> tuple[Served, bytes]:
    now = context(session, caches)
    answer = serve(request, now)
    return answer, body_of(answer, now).data


def rename(session: Session, row: Event, title: str) -> None:
    save_event(session, replace(to_domain(row), title=title), now=datetime.now(UTC), actor=ACTOR,
               row=row)
    session.commit()


def test_a_write_elsewhere_keeps_the_part_and_its_etag(session: Session, caches: FeedCaches) -> None:
    add(session)
    other = add(session, bodies=("cites",))
    first, data = served(session, caches)
    part = body_of(first, context(session, caches)).part
    rename(session, other, "A CITES meeting renamed")
    again, again_data = served(session, caches)
    assert again.version != first.version  # the calendar moved on...
    assert again.etag == first.etag and again_data == data  # ...the CBD feed did not
    assert body_of(again, context(session, caches)).part is part  # and was not rebuilt


def test_a_write_to_one_of_its_events_changes_the_feed(session: Session, caches: FeedCaches) -> None:
    mine = add(session)
    first, _ = served(session, caches)
    rename(session, mine, "A CBD meeting renamed")
    again, data = served(session, caches)
    assert again.etag != first.etag and b"A CBD meeting renamed" in data


def test_an_event_leaving_or_joining_the_feed_changes_it(session: Session, caches: FeedCaches) -> None:
    mine = add(session)
    first, _ = served(session, caches)
    save_event(session, replace(to_domain(mine), bodies=("cites",)), now=datetime.now(UTC),
               actor=ACTOR, row=mine)
    session.commit()
    left, data = served(session, caches)
    assert left.etag != first.etag and mine.uid.encode() not in data
    joined = add(session)
    back, data = served(session, caches)
    assert back.etag != left.etag and joined.uid.encode() in data


def test_a_deleted_event_shows_cancelled(session: Session, caches: FeedCaches) -> None:
    mine = add(session)
    first, _ = served(session, caches)
    delete_event(session, mine, now=datetime.now(UTC), actor=ACTOR)
    session.commit()
    gone, data = served(session, caches)
    assert gone.etag != first.etag and b"STATUS:CANCELLED" in data


def test_feeds_with_the_international_days_follow_the_calendar_version(
        session: Session, caches: FeedCaches) -> None:
    add(session)
    request = FeedRequest(FeedKind.BODY, "cbd", params={"observances": ["1"]})
    first, _ = served(session, caches, request)
    assert first.fingerprint.endswith(f"@{first.version}")
    plain, _ = served(session, caches)
    assert "@" not in plain.fingerprint


def test_the_spec_is_resolved_only_when_the_address_is_new_or_changed(
        session: Session, caches: FeedCaches, monkeypatch: pytest.MonkeyPatch) -> None:
    add(session)
    other = add(session, bodies=("cites",))
    served(session, caches)
    import blgcal.services.feeds.serve as serving

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("resolved again")

    monkeypatch.setattr(serving, "resolve", refuse)
    served(session, caches)  # same version
    rename(session, other, "Elsewhere")
    served(session, caches)  # a write elsewhere: one fingerprint, no spec


def test_a_body_that_is_not_there_is_no_such_feed(session: Session, caches: FeedCaches) -> None:
    with pytest.raises(NoSuchFeed, match="No body 'xyz'"):
        served(session, caches, FeedRequest(FeedKind.BODY, "xyz"))


def test_body_feeds_share_one_query_after_a_write_elsewhere(
        session: Session, caches: FeedCaches) -> None:
    add(session)
    add(session, bodies=("cms",))
    other = add(session, bodies=("cites",))
    cms = FeedRequest(FeedKind.BODY, "cms")
    served(session, caches)
    served(session, caches, cms)
    rename(session, other, "Elsewhere")
    now = context(session, caches)
    statements: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        serve(CBD, now)
        serve(cms, now)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1 and "GROUP BY" in statements[0]


def test_a_parents_change_moves_its_side_events_body_fingerprint(session: Session) -> None:
    parent = add(session, bodies=("cites",))
    add(session, parent_id=parent.id)
    before = body_fingerprints(session)
    save_event(session, replace(to_domain(parent), visibility=Visibility.STAFF),
               now=datetime.now(UTC), actor=ACTOR, row=parent)
    session.commit()
    after = body_fingerprints(session)
    assert after["cbd"] != before["cbd"] and after["cites"] != before["cites"]


def test_a_write_moves_only_its_own_bodies_fingerprints(session: Session) -> None:
    mine = add(session, bodies=("cbd", "cms"))
    add(session, bodies=("cites",))
    before = body_fingerprints(session)
    rename(session, mine, "Renamed")
    after = body_fingerprints(session)
    assert {slug for slug in after if after[slug] != before.get(slug)} == {"cbd", "cms"}
