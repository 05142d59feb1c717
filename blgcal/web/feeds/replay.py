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
app as before. A private feed's token is checked on every replay
(:mod:`blgcal.web.feeds.tokens`), so revoking or regenerating it, or
deactivating its owner, stops the replay as it stops the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from flask import Flask
from werkzeug.http import http_date, parse_etags, quote_etag

from blgcal.cache import VersionedCache
from blgcal.domain.feeds import FeedRequest
from blgcal.logs import request_id
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds.serve import FeedContext, serve, still_current
from blgcal.web.feeds import http as feed_http
from blgcal.web.feeds import tokens

PRIVATE = "/feeds/private/"
#: Headers each answer gets afresh rather than from the remembered 304.
FRESH = frozenset({"etag", "date", "x-request-id"})
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Headers = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Replay:
    """A 304 to give again: the feed's address in the index, its ETag, status and headers."""

    feed: str
    etag: str
    status: str
    headers: Headers  # without the FRESH ones

    def answer(self, environ: dict[str, Any]) -> Headers:
        """The headers of this answer: the remembered ones, the ETag, the date, a request id."""
        return [*self.headers, ("ETag", quote_etag(self.etag)), ("Date", _date(int(time.time()))),
                ("X-Request-ID", request_id(environ.get("HTTP_X_REQUEST_ID", "")))]


class FeedReplay:
    """The WSGI middleware; *size* bounds how many addresses it remembers.

    A private feed polled for the first time in this process is answered here
    too, once the app has given any private feed a 304: their headers differ
    only in the FRESH ones, and its ETag comes from the same
    :func:`~blgcal.services.feeds.serve.serve` the app would call.
    """

    def __init__(self, app: Flask, wsgi_app: WSGIApp, size: int) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.replays: VersionedCache[str, Replay] = VersionedCache(size, lambda _: 1)
        self.private_headers: tuple[str, Headers] | None = None  # a private 304's status, headers

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        address = _address(environ)
        if address is None:
            return self.wsgi_app(environ, start_response)
        try:
            replay = self._replay(address, environ)
        except Exception:  # noqa: BLE001  (the database is down, say: the app answers as it can)
            replay = None
        if replay is not None:
            start_response(replay.status, replay.answer(environ))
            return []

        def remember(status: str, headers: Headers, *args: Any) -> Any:
            found = environ.get(feed_http.SERVED)
            if status.startswith("304") and found is not None:
                kept = [(name, value) for name, value in headers if name.lower() not in FRESH]
                self.replays.put(address, None, Replay(found[0], found[1], status, kept))
                if PRIVATE in address:
                    self.private_headers = (status, kept)
            return start_response(status, headers, *args)

        return self.wsgi_app(environ, remember)

    def _replay(self, address: str, environ: dict[str, Any]) -> Replay | None:
        """The 304 to answer with, or None when the app must answer."""
        offered = parse_etags(environ["HTTP_IF_NONE_MATCH"])
        replay = self.replays.get(address, None)
        if replay is None and (PRIVATE not in address or self.private_headers is None):
            return None
        if replay is not None and not offered.contains_weak(replay.etag):
            return None
        with self.app.app_context():
            context = feed_http.context()
            if PRIVATE in address:
                feed = self._live_feed(address)
                if feed is None:
                    return None
                request = feed_private.request_for(feed)
                if replay is None or replay.feed != request.address:
                    replay = self._first(request, context)
            if not (replay is not None and offered.contains_weak(replay.etag)
                    and self._unchanged(replay, context)):
                return None
        self.replays.put(address, None, replay)
        return replay

    def _first(self, request: FeedRequest, context: FeedContext) -> Replay | None:
        """A private feed's first 304 in this process, from the headers of another's."""
        assert self.private_headers is not None
        status, headers = self.private_headers
        return Replay(request.address, serve(request, context).etag, status, headers)

    @staticmethod
    def _unchanged(replay: Replay, context: FeedContext) -> bool:
        """Whether the feed's bytes still have the ETag the 304 was given for."""
        served = context.caches.index.get(replay.feed, context.day)
        current = None if served is None else still_current(replay.feed, served, context)
        return current is not None and current.etag == replay.etag

    @staticmethod
    def _live_feed(address: str) -> feed_private.Subscription | None:
        """The feed a private address's token opens, if it may be answered without a write."""
        path = address.split(" ", 1)[1].split("?", 1)[0]
        token = path.split(PRIVATE, 1)[1].removesuffix(".ics")
        feed = tokens.find(token)
        if (feed is None or not feed_private.may_serve(feed)
                or feed_private.due_touch(feed, now=datetime.now(UTC))):
            return None
        return feed


@lru_cache(maxsize=2)
def _date(second: int) -> str:
    """The HTTP date of *second* (since the epoch), written once for all its answers."""
    return http_date(second)


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
