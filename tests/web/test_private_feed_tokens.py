"""On PostgreSQL a process keeps the feeds its tokens opened, and hears of every change to them.

The triggers of migration 0010 notify; :mod:`blgcal.web.feeds.tokens` listens.
SQLite keeps nothing (each lookup reads the file), so these run on PostgreSQL only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text, update
from sqlalchemy.orm import Session

from blgcal.domain.permissions import Role
from blgcal.listener import APPLICATION_NAME
from blgcal.models import User
from blgcal.models.accounts import UserBody
from blgcal.models.feeds import PrivateFeed
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds.token_cache import TokenCache
from blgcal.web.feeds import tokens
from tests.conftest import AuthActions
from tests.support.feed_events import add_bodies
from tests.web.test_feeds_private import create_feed, feed_id, viewer  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def postgresql_only(database_url: str, session: Session) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite keeps no token cache: every lookup reads the file")
    add_bodies(session)


@pytest.fixture
def elsewhere(database_url: str) -> Iterator[Engine]:
    """Another process's connection: its commits reach this one only as notifications."""
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def listen(database_url: str) -> Iterator[Callable[[], list[str]]]:
    """LISTEN as a worker does; call to read the payloads notified since the last call."""
    conninfo = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f"LISTEN {tokens.CHANNEL}")

        def heard() -> list[str]:
            return [notice.payload for notice in connection.notifies(timeout=0.5)]

        yield heard


def until(condition: Callable[[], bool], what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.005)


def token_cache(app: Flask) -> TokenCache:
    with app.app_context():
        found = tokens.cache()
    assert found is not None
    until(lambda: found.listening, "the listener connected")
    return found


@pytest.fixture
def unheard(app: Flask, monkeypatch: pytest.MonkeyPatch) -> TokenCache:
    """This process's cache with no listener: only this process's own commits can empty it."""
    conninfo, size = app.extensions["blgcal.token_cache_key"]
    deaf = TokenCache(size)
    deaf.connected()
    monkeypatch.setitem(tokens._caches, (conninfo, size, os.getpid()), deaf)
    return deaf


def polled(client: FlaskClient, token: str) -> tuple[int, str]:
    """Poll *token*'s feed twice (the second time conditionally, as a calendar does)."""
    path = f"/feeds/private/{token}.ics"
    anonymous = client.application.test_client()
    first = anonymous.get(path)
    assert first.status_code == 200
    again = anonymous.get(path, headers={"If-None-Match": first.headers["ETag"]})
    return again.status_code, first.headers["ETag"]


def test_each_change_that_may_close_a_feed_is_notified_and_no_other(
        viewer: AuthActions, session: Session, listen: Callable[[], list[str]],  # noqa: F811
        elsewhere: Engine) -> None:
    token = create_feed(viewer)
    hashed = feed_private.token_hash(token)
    assert listen() == []  # a new feed is no one's yet
    user_id = session.get(PrivateFeed, feed_id(session)).user_id  # type: ignore[union-attr]
    changes = [
        (update(PrivateFeed).values(last_used_dt=datetime.now(UTC)), [hashed]),
        (update(User).where(User.id == user_id).values(last_login_dt=datetime.now(UTC)), []),
        (update(User).where(User.id == user_id).values(role="editor"), ["*"]),
        (update(User).where(User.id == user_id).values(active=False), ["*"]),
        (text("INSERT INTO user_body (user_id, body_slug) VALUES (:u, 'cbd')"), ["*"]),
        (update(PrivateFeed).values(revoked_dt=datetime.now(UTC)), [hashed]),
        (text("DELETE FROM private_feed"), [hashed]),
    ]
    for statement, payloads in changes:
        with elsewhere.begin() as connection:
            connection.execute(statement, {"u": user_id})
        assert listen() == payloads, statement


def test_a_token_is_read_once_then_kept_until_its_feed_changes(
        app: Flask, viewer: AuthActions, client: FlaskClient, session: Session,  # noqa: F811
        elsewhere: Engine) -> None:
    kept = token_cache(app)
    token = create_feed(viewer)
    assert polled(client, token)[0] == 304
    hashed = feed_private.token_hash(token)
    assert kept.get(hashed) is not None
    with elsewhere.begin() as connection:  # a rename in another worker
        connection.execute(update(PrivateFeed).values(name="Renamed"))
    until(lambda: kept.get(hashed) is None, "the rename heard of")
    assert polled(client, token)[0] == 304
    found = kept.get(hashed)
    assert found is not None and found.name == "Renamed"


def test_another_process_s_revocation_closes_the_feed_once_heard_of(
        app: Flask, viewer: AuthActions, client: FlaskClient, session: Session,  # noqa: F811
        elsewhere: Engine) -> None:
    kept = token_cache(app)
    token = create_feed(viewer)
    status, etag = polled(client, token)
    assert status == 304 and len(kept) >= 1
    with elsewhere.begin() as connection:
        connection.execute(update(PrivateFeed).values(revoked_dt=datetime.now(UTC)))
    until(lambda: kept.get(feed_private.token_hash(token)) is None, "the revocation heard of")
    anonymous = client.application.test_client()
    assert anonymous.get(f"/feeds/private/{token}.ics",
                         headers={"If-None-Match": etag}).status_code == 404


@pytest.mark.parametrize("change", ["revoke", "regenerate", "deactivate", "role", "bodies"])
def test_this_process_s_own_change_empties_its_copy_at_once(
        app: Flask, viewer: AuthActions, client: FlaskClient, session: Session,  # noqa: F811
        unheard: TokenCache, change: str) -> None:
    """No notification is heard: the commit itself empties this process's copy."""
    kept = unheard
    token = create_feed(viewer)
    hashed = feed_private.token_hash(token)
    status, etag = polled(client, token)
    assert status == 304 and kept.get(hashed) is not None
    with app.extensions["blgcal.sessionmaker"]() as db:
        feed = db.get(PrivateFeed, feed_id(session))
        assert feed is not None
        user = db.get(User, feed.user_id)
        assert user is not None
        if change == "revoke":
            feed_private.revoke(feed, now=datetime.now(UTC))
        elif change == "regenerate":
            feed_private.regenerate(feed)
        elif change == "deactivate":
            user.active = False
        elif change == "role":
            user.role = Role.EDITOR  # staff: the feed now holds staff-only events too
        else:
            user.body_rows = [UserBody(body_slug="cbd")]
        db.commit()
    assert kept.get(hashed) is None
    if change in {"revoke", "regenerate", "deactivate"}:
        anonymous = client.application.test_client()
        assert anonymous.get(f"/feeds/private/{token}.ics",
                             headers={"If-None-Match": etag}).status_code == 404


def test_signing_in_keeps_the_feeds(
        app: Flask, viewer: AuthActions, client: FlaskClient, session: Session,  # noqa: F811
        unheard: TokenCache) -> None:
    kept = unheard
    token = create_feed(viewer)
    assert polled(client, token)[0] == 304
    viewer.logout()
    viewer.login("viewer@blg.int")  # writes the user's last sign-in, not what a token opens
    assert kept.get(feed_private.token_hash(token)) is not None


def test_while_the_listener_is_down_every_lookup_reads_the_database_and_it_reconnects(
        app: Flask, viewer: AuthActions, client: FlaskClient, session: Session,  # noqa: F811
        elsewhere: Engine) -> None:
    kept = token_cache(app)
    token = create_feed(viewer)
    hashed = feed_private.token_hash(token)
    assert polled(client, token)[0] == 304 and kept.get(hashed) is not None
    with elsewhere.begin() as connection:  # the server ends the listener's session
        ended = connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = :name AND datname = current_database()"),
            {"name": APPLICATION_NAME}).scalars().all()
    assert ended and all(ended)
    until(lambda: kept.get(hashed) is None, "the lost listener noticed")
    until(lambda: kept.listening, "the listener back")
    assert polled(client, token)[0] == 304 and kept.get(hashed) is not None

    kept.lost()  # as if it were down now: nothing is answered from memory
    with elsewhere.begin() as connection:
        connection.execute(update(PrivateFeed).values(revoked_dt=datetime.now(UTC)))
    anonymous = client.application.test_client()
    assert anonymous.get(f"/feeds/private/{token}.ics").status_code == 404
    kept.connected()
