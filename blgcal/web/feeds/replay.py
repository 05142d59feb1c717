"""Answer a repeated conditional feed request with the 304 the app gave it, before Flask.

A subscribed calendar polls the same address with the same ``If-None-Match``
until the feed changes. Running the whole app for each poll (sessions,
sign-in, rate limits, security headers) cost more than the answer, so this
WSGI middleware remembers, per address, the status and headers of the last
304 the app produced and which feed it was (its address in the feed index of
:mod:`blgcal.services.feeds.serve`), and replays them while the
request's ``If-None-Match`` still names the ETag and the feed's bytes are
unchanged (:func:`~blgcal.services.feeds.serve.still_current`: same calendar
version, or the same fingerprint of its events after a write elsewhere). Anything else
(another day, a changed part, a cookie, an Authorization header) goes to the
app as before. A private feed's token is checked against the database on
every replay (one query, no transaction), so revoking or regenerating it, or
deactivating its owner, takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from werkzeug.http import parse_etags

from blgcal.cache import VersionedCache
from blgcal.db import lookup_connection
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds.serve import still_current
from blgcal.web.feeds import http as feed_http

PRIVATE = "/feeds/private/"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class Replay:
    """A 304 to give again: the feed's address in the index, its ETag, status and headers."""

    feed: str
    etag: str
    status: str
    headers: list[tuple[str, str]]


class FeedReplay:
    """The WSGI middleware; *size* bounds how many addresses it remembers."""

    def __init__(self, app: Flask, wsgi_app: WSGIApp, size: int) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.replays: VersionedCache[str, Replay] = VersionedCache(size, lambda _: 1)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        address = _address(environ)
        if address is None:
            return self.wsgi_app(environ, start_response)
        try:
            if self._replayed(address, environ, start_response):
                return []
        except Exception:  # noqa: BLE001  (the database is down, say: the app answers as it can)
            pass

        def remember(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            found = environ.get(feed_http.SERVED)
            if status.startswith("304") and found is not None:
                self.replays.put(address, None, Replay(found[0], found[1], status, list(headers)))
            return start_response(status, headers, *args)

        return self.wsgi_app(environ, remember)

    def _replayed(self, address: str, environ: dict[str, Any],
                  start_response: Callable[..., Any]) -> bool:
        replay = self.replays.get(address, None)
        if replay is None or not parse_etags(environ["HTTP_IF_NONE_MATCH"]).contains_weak(
                replay.etag):
            return False
        with self.app.app_context():
            if not (self._unchanged(replay) and self._live(address, replay)):
                return False
        start_response(replay.status, replay.headers)
        return True

    @staticmethod
    def _unchanged(replay: Replay) -> bool:
        """Whether the feed's bytes still have the ETag the 304 was given for."""
        context = feed_http.context()
        served = context.caches.index.get(replay.feed, context.day)
        current = None if served is None else still_current(replay.feed, served, context)
        return current is not None and current.etag == replay.etag

    def _live(self, address: str, replay: Replay) -> bool:
        """Whether a private address's token still opens the same feed without a write."""
        path = address.split(" ", 1)[1].split("?", 1)[0]
        if PRIVATE not in path:
            return True
        token = path.split(PRIVATE, 1)[1].removesuffix(".ics")
        with lookup_connection() as connection:
            feed = feed_private.by_token(connection, token)
        return (feed is not None and feed_private.may_serve(feed)
                and not feed_private.due_touch(feed, now=datetime.now(UTC))
                and feed_private.request_for(feed).address == replay.feed)


def _address(environ: dict[str, Any]) -> str | None:
    """The key of a request that may be replayed, or None."""
    path = environ.get("PATH_INFO", "")
    if (environ.get("REQUEST_METHOD") not in {"GET", "HEAD"} or not path.endswith(".ics")
            or not path.startswith(("/feeds/", "/events/")) or "HTTP_IF_NONE_MATCH" not in environ
            or "HTTP_COOKIE" in environ or "HTTP_AUTHORIZATION" in environ):
        return None
    host, query = environ.get("HTTP_HOST", ""), environ.get("QUERY_STRING", "")
    return f"{environ['REQUEST_METHOD']} {host}{path}?{query}"


def init_app(app: Flask) -> None:
    """Put the replay in front of the app and of any proxy fix (it keys on the raw request)."""
    size = int(app.config["FEED_INDEX_SIZE"])
    if size:
        app.wsgi_app = FeedReplay(app, app.wsgi_app, size)  # type: ignore[method-assign]
