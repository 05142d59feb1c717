"""Answer a repeated conditional feed request with the 304 the app gave it, before Flask.

A subscribed calendar polls the same address with the same ``If-None-Match``
until the feed changes. Running the whole app for each poll (sessions,
sign-in, rate limits, security headers) cost more than the answer, so this
WSGI middleware remembers, per address, the status and headers of the last
304 the app produced and which feed it was (its address in the
:class:`~blgcal.services.feeds.cache.FeedIndex`), and replays them while the
request's ``If-None-Match`` still names the ETag and the feed's bytes are
unchanged: same calendar version and day, or, after a write elsewhere in the
calendar, a part in the feed cache that gives the same ETag. Anything else
(another day, a changed part, a cookie, an Authorization header) goes to the
app as before. A private feed's token is checked against the database on
every replay (one query, no transaction), so revoking or regenerating it, or
deactivating its owner, takes effect at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from werkzeug.http import parse_etags

from blgcal.clock import today
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds.build import etag_of
from blgcal.services.feeds.cache import CacheKey, FeedCache, Served
from blgcal.web.data_version import current_version
from blgcal.web.feeds.http import SERVED
from blgcal.web.feeds.routes import private_address

PRIVATE = "/feeds/private/"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class Replay:
    """A 304 to give again: its status line and headers, and what the feed was."""

    feed: str  # the feed's address in the FeedIndex
    served: Served
    status: str
    headers: list[tuple[str, str]]

    def still_valid(self, cache: FeedCache, version: str, day: str) -> bool:
        """Whether the feed's bytes are what they were: same version and day, or the same part."""
        served = self.served
        if served.day != day:
            return False
        if served.version == version:
            return True
        part = cache.get(CacheKey(served.part_key, version, day))
        return part is not None and etag_of(served.header, part) == served.etag


class FeedReplay:
    """The WSGI middleware; *size* bounds how many addresses it remembers."""

    def __init__(self, app: Flask, wsgi_app: WSGIApp, size: int) -> None:
        self.app, self.wsgi_app, self.size = app, wsgi_app, size
        self.replays: OrderedDict[str, Replay] = OrderedDict()
        self._lock = threading.Lock()

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
            found = environ.get(SERVED)
            if status.startswith("304") and found is not None:
                self._put(address, Replay(found[0], found[1], status, list(headers)))
            return start_response(status, headers, *args)

        return self.wsgi_app(environ, remember)

    def _replayed(self, address: str, environ: dict[str, Any],
                  start_response: Callable[..., Any]) -> bool:
        replay = self._get(address)
        if replay is None or not parse_etags(environ["HTTP_IF_NONE_MATCH"]).contains_weak(
                replay.served.etag):
            return False
        with self.app.app_context():
            version, day = current_version(), today().isoformat()
            cache: FeedCache = self.app.extensions["blgcal.feed_cache"]
            if not (replay.still_valid(cache, version, day) and self._live(address, replay)):
                return False
        if replay.served.version != version:
            self._put(address, replace(replay, served=replace(replay.served, version=version)))
        start_response(replay.status, replay.headers)
        return True

    def _live(self, address: str, replay: Replay) -> bool:
        """Whether a private address's token still opens the same feed without a write."""
        path = address.split(" ", 1)[1].split("?", 1)[0]
        if PRIVATE not in path:
            return True
        token = path.split(PRIVATE, 1)[1].removesuffix(".ics")
        with self.app.extensions["blgcal.engine"].connect() as connection:
            feed = feed_private.by_token(
                connection.execution_options(isolation_level="AUTOCOMMIT"), token)
        return (feed is not None and feed_private.may_serve(feed)
                and not feed_private.due_touch(feed, now=datetime.now(UTC))
                and private_address(feed) == replay.feed)

    def _get(self, address: str) -> Replay | None:
        with self._lock:
            return self.replays.get(address)

    def _put(self, address: str, replay: Replay) -> None:
        with self._lock:
            self.replays[address] = replay
            self.replays.move_to_end(address)
            while len(self.replays) > self.size:
                self.replays.popitem(last=False)


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
