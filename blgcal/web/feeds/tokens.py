"""Which private feed a token opens: from this process's memory on PostgreSQL, told of every change.

Every poll of every subscribed calendar names a token, and reading it was a
third of a worker's time under load. On PostgreSQL each process keeps the
feeds its tokens opened (``TOKEN_CACHE_SIZE``) in a
:class:`~blgcal.services.feeds.token_cache.TokenCache`, and a
:class:`~blgcal.listener.Listener` thread hears the notifications that
triggers (migration 0010) send when a private feed changes or is deleted, when
a user's role or active flag changes, and when the bodies a user edits do.
This process's own commits of such changes empty its copy before they return,
so revoking, regenerating or deactivating takes effect here at once, and in
the other processes when the notification arrives (under a millisecond in an idle
worker, about 11 ms at most in a busy one: ``bench/bench_token_notify.py``).
While the listener is not connected nothing is kept and every lookup reads the
database, as it always does on SQLite.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, UOWTransaction

from blgcal.db import lookup_connection
from blgcal.listener import Listener
from blgcal.models import User
from blgcal.models.accounts import UserBody
from blgcal.models.feeds import PrivateFeed
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds.private import Subscription
from blgcal.services.feeds.token_cache import TokenCache

CHANNEL = "blgcal_private_feed"
CHANGED = "blgcal.private_feeds_changed"  # session.info: this transaction changed a feed's opener
WATCHED = (PrivateFeed, User, UserBody)
_caches: dict[tuple[str, int, int], TokenCache] = {}  # (database, capacity, process id)
_caches_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Keep a token cache when the database can tell of changes, and empty it on our own commits."""
    size = int(app.config["TOKEN_CACHE_SIZE"])
    engine: Engine = app.extensions["blgcal.engine"]
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    app.extensions["blgcal.token_cache_key"] = (
        (conninfo, size) if engine.dialect.name == "postgresql" and size else None)
    sessions = app.extensions["blgcal.sessionmaker"]
    event.listen(sessions, "before_flush", _note_flush)
    event.listen(sessions, "after_commit", _forget_on_commit)
    event.listen(sessions, "after_rollback", lambda session: session.info.pop(CHANGED, None))


def find(token: str) -> Subscription | None:
    """The live feed *token* opens and its owner, or None (see :func:`.private.by_token`)."""
    kept = cache()
    if kept is None or not feed_private.TOKEN_SHAPE.match(token):
        return _read(token)
    hashed = feed_private.token_hash(token)
    feed = kept.get(hashed)
    if feed is None:
        ticket = kept.ticket()
        feed = _read(token)
        if feed is not None:
            kept.put(hashed, feed, ticket)
    return feed


def forget(token: str) -> None:
    """Drop *token*'s feed from this process's copy (after recording its use, say)."""
    kept = cache()
    if kept is not None:
        kept.forget(feed_private.token_hash(token))


def _read(token: str) -> Subscription | None:
    with lookup_connection() as connection:
        return feed_private.by_token(connection, token)


def cache() -> TokenCache | None:
    """This process's cache for the app's database, its listener started on first use."""
    key = current_app.extensions["blgcal.token_cache_key"]
    if key is None:
        return None
    conninfo, size = key
    with _caches_lock:
        found = _caches.get((conninfo, size, os.getpid()))
        if found is None:
            found = _caches[conninfo, size, os.getpid()] = TokenCache(size)
            Listener(conninfo, CHANNEL, on_connect=found.connected, on_message=found.heard,
                     on_lost=found.lost).start()
        return found


def _note_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    """Mark a transaction that changes what a token may open (a new feed is no one's yet)."""
    if (any(isinstance(obj, UserBody) for obj in session.new)
            or any(isinstance(obj, WATCHED) for obj in session.deleted)
            or any(_may_change_a_feed(obj) for obj in session.dirty)):
        session.info[CHANGED] = True


def _may_change_a_feed(obj: object) -> bool:
    """Whether *obj*, changed, may change what a token opens (a user: its role, flag, bodies)."""
    if isinstance(obj, User):
        attributes = inspect(obj).attrs
        return any(attributes[name].history.has_changes() for name in ("role", "active", "body_rows"))
    return isinstance(obj, WATCHED)


def _forget_on_commit(session: Session) -> None:
    if session.info.pop(CHANGED, False):
        with _caches_lock:
            mine = [cache for (_, _, pid), cache in _caches.items() if pid == os.getpid()]
        for cache in mine:
            cache.forget_all()
