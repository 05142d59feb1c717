"""Repeated conditional feed requests are answered before Flask, and only while still true."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session

from blgcal.models import Event
from blgcal.models.feeds import PrivateFeed
from blgcal.services.events import save_event, to_domain
from blgcal.services.feeds import private as feed_private
from blgcal.services.versions import VersionMemo
from blgcal.web.feeds import tokens
from tests.conftest import AuthActions
from tests.support.feed_events import ACTOR, add, add_bodies
from tests.web.test_feeds_private import create_feed, feed_id, viewer  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def bodies(session: Session) -> None:
    add_bodies(session)


@pytest.fixture
def app_bypassed(app: Flask) -> Iterator[Callable[[bool], None]]:
    """Call with True to make Flask itself fail: only a replay can then answer."""
    replay = app.wsgi_app
    inner = replay.wsgi_app  # type: ignore[attr-defined]

    def broken(environ, start_response):  # type: ignore[no-untyped-def]
        raise AssertionError("the request reached Flask")

    def bypass(on: bool) -> None:
        replay.wsgi_app = broken if on else inner  # type: ignore[attr-defined]

    yield bypass
    bypass(False)


def conditional(client: FlaskClient, path: str, etag: str):  # type: ignore[no-untyped-def]
    return client.get(path, headers={"If-None-Match": etag})


def test_a_replayed_304_carries_the_headers_the_app_gave_it(
        client: FlaskClient, session: Session, app_bypassed: Callable[[bool], None]) -> None:
    add(session)
    etag = client.get("/feeds/all.ics").headers["ETag"]
    first = conditional(client, "/feeds/all.ics", etag)
    app_bypassed(True)
    again = conditional(client, "/feeds/all.ics", etag)
    assert first.status_code == again.status_code == 304
    fresh = {"Date", "X-Request-ID"}  # each answer's own
    assert (sorted((k, v) for k, v in first.headers.items() if k not in fresh)
            == sorted((k, v) for k, v in again.headers.items() if k not in fresh))
    assert {"ETag", "Cache-Control", "Content-Security-Policy", *fresh} <= set(again.headers.keys())
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    offered = conditional_with_id(client, "/feeds/all.ics", etag, "poll-42")
    assert offered.headers["X-Request-ID"] == "poll-42"


def conditional_with_id(client: FlaskClient, path: str, etag: str, request_id: str):  # type: ignore[no-untyped-def]
    return client.get(path, headers={"If-None-Match": etag, "X-Request-ID": request_id})


def test_a_private_feed_s_first_poll_in_a_process_is_answered_before_flask(
        viewer: AuthActions, client: FlaskClient,  # noqa: F811
        app_bypassed: Callable[[bool], None]) -> None:
    first, second = create_feed(viewer), create_feed(viewer, name="Another")
    anonymous = client.application.test_client()
    etags = {token: anonymous.get(f"/feeds/private/{token}.ics").headers["ETag"]
             for token in (first, second)}
    by_app = conditional(anonymous, f"/feeds/private/{first}.ics", etags[first])
    assert by_app.status_code == 304  # the app's first private 304 teaches the headers
    app_bypassed(True)
    cold = conditional(anonymous, f"/feeds/private/{second}.ics", etags[second])
    assert cold.status_code == 304 and cold.headers["ETag"] == etags[second]
    fresh = {"Date", "X-Request-ID", "ETag"}
    assert ({k: v for k, v in cold.headers.items() if k not in fresh}
            == {k: v for k, v in by_app.headers.items() if k not in fresh})
    with pytest.raises(AssertionError, match="reached Flask"):  # a changed feed is the app's
        conditional(anonymous, f"/feeds/private/{second}.ics", '"an-older-etag"')


def test_a_change_to_the_feed_ends_its_replay_and_an_unrelated_one_does_not(
        client: FlaskClient, session: Session, app_bypassed: Callable[[bool], None]) -> None:
    mine = add(session, tags=("oceans",))
    etag = client.get("/feeds/custom.ics?tag=oceans").headers["ETag"]
    assert conditional(client, "/feeds/custom.ics?tag=oceans", etag).status_code == 304
    add(session, bodies=("cites",))
    # The unrelated write changed the version: the app rebuilds the part once...
    assert conditional(client, "/feeds/custom.ics?tag=oceans", etag).status_code == 304
    row = session.get(Event, mine.id)
    save_event(session, replace(to_domain(row), title="Renamed"), now=datetime.now(UTC),
               actor=ACTOR, row=row)
    session.commit()
    changed = conditional(client, "/feeds/custom.ics?tag=oceans", etag)
    assert changed.status_code == 200 and b"Renamed" in changed.data


def test_a_replay_survives_a_write_elsewhere_once_the_part_is_rebuilt(
        client: FlaskClient, session: Session, app_bypassed: Callable[[bool], None]) -> None:
    add(session, tags=("oceans",))
    etag = client.get("/feeds/custom.ics?tag=oceans").headers["ETag"]
    assert conditional(client, "/feeds/custom.ics?tag=oceans", etag).status_code == 304
    add(session, bodies=("cites",), tags=("trade",))
    client.get("/feeds/custom.ics?tag=oceans&observances=0")  # another address, the same part
    app_bypassed(True)
    assert conditional(client, "/feeds/custom.ics?tag=oceans", etag).status_code == 304


def test_a_replay_answers_after_a_write_elsewhere_without_reaching_flask(
        client: FlaskClient, session: Session, app_bypassed: Callable[[bool], None]) -> None:
    add(session)
    etag = client.get("/feeds/cbd.ics").headers["ETag"]
    assert conditional(client, "/feeds/cbd.ics", etag).status_code == 304
    add(session, bodies=("cites",))  # the calendar's version moves; the CBD's events do not
    app_bypassed(True)
    assert conditional(client, "/feeds/cbd.ics", etag).status_code == 304
    app_bypassed(False)
    add(session)  # a CBD meeting: the feed's bytes change, so the app answers
    changed = conditional(client, "/feeds/cbd.ics", etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_revoking_a_private_feed_elsewhere_stops_its_replayed_304(
        viewer: AuthActions, client: FlaskClient, session: Session,  # noqa: F811
        database_url: str) -> None:
    """At once on SQLite; on PostgreSQL once this process hears of it (test_private_feed_tokens)."""
    token = create_feed(viewer)
    anonymous = client.application.test_client()
    path = f"/feeds/private/{token}.ics"
    etag = anonymous.get(path).headers["ETag"]
    assert conditional(anonymous, path, etag).status_code == 304
    assert conditional(anonymous, path, etag).status_code == 304
    other_worker = create_engine(database_url)  # a write this process never hears of
    with other_worker.begin() as connection:
        connection.execute(update(PrivateFeed).where(PrivateFeed.id == feed_id(session))
                           .values(revoked_dt=datetime.now(UTC)))
    other_worker.dispose()
    with client.application.app_context():
        kept = tokens.cache()
    hashed = feed_private.token_hash(token)
    deadline = time.monotonic() + 10
    while kept is not None and kept.get(hashed) is not None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert conditional(anonymous, path, etag).status_code == 404


def test_a_cookie_is_never_answered_from_a_replay(
        client: FlaskClient, session: Session, app_bypassed: Callable[[bool], None]) -> None:
    add(session)
    etag = client.get("/feeds/all.ics").headers["ETag"]
    assert conditional(client, "/feeds/all.ics", etag).status_code == 304
    app_bypassed(True)
    client.set_cookie("session", "anything")
    with pytest.raises(AssertionError, match="reached Flask"):
        conditional(client, "/feeds/all.ics", etag)


def test_another_process_s_write_shows_within_version_check_ms(
        make_app: Callable[..., Flask], session: Session, database_url: str) -> None:
    app = make_app(VERSION_CHECK_MS=200)
    client = app.test_client()
    etag = client.get("/feeds/all.ics").headers["ETag"]
    other_worker = create_engine(database_url)
    with Session(other_worker) as elsewhere:
        add(elsewhere)
    other_worker.dispose()
    time.sleep(0.25)
    assert conditional(client, "/feeds/all.ics", etag).status_code == 200


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_version_memo_reads_again_only_when_old_or_forgotten() -> None:
    clock, reads = Clock(), iter(["v1", "v2", "v3"])
    memo = VersionMemo(1.0, clock=clock)
    assert memo.get(lambda: next(reads)) == "v1"
    clock.now = 0.9
    assert memo.get(lambda: next(reads)) == "v1"
    clock.now = 1.0
    assert memo.get(lambda: next(reads)) == "v2"
    memo.forget()
    assert memo.get(lambda: next(reads)) == "v3"


def test_a_version_read_while_a_commit_forgets_it_is_not_kept() -> None:
    memo = VersionMemo(60.0, clock=Clock())

    def read_during_commit() -> str:
        memo.forget()  # another thread committed while this read was under way
        return "old"

    assert memo.get(read_during_commit) == "old"
    assert memo.get(lambda: "new") == "new"
