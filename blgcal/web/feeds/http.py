"""The HTTP side of feeds: what answers each address, and with which headers.

A request for an unchanged feed reads the calendar's version from memory
(:mod:`blgcal.web.data_version`), finds the address in the per-process
:class:`~blgcal.services.feeds.cache.FeedIndex` and answers 304 from it, or the
remembered header and part; see :mod:`blgcal.services.feeds.build` for how a miss is
built. Feeds are ``text/calendar; charset=utf-8`` whatever the request accepts, never
compressed (``no-transform`` asks proxies not to either: Outlook refuses gzipped feeds), with a
strong ETag and Last-Modified.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, Response, current_app, request

from blgcal.clock import today
from blgcal.db import get_session
from blgcal.services.feeds.build import FeedBody, FeedSpec, build_part, finish
from blgcal.services.feeds.cache import CacheKey, FeedCache, FeedIndex, Served
from blgcal.services.feeds.specs import settings_from
from blgcal.web.data_version import current_version

CONTENT_TYPE = "text/calendar; charset=utf-8"
NOT_FOUND = "Not found.\n"
SERVED = "blgcal.served_feed"  # the environ key telling feed_replay which feed answered


def init_app(app: Flask) -> None:
    """Give the app its feed caches (tokens are kept out of the logs by :mod:`blgcal.logs`)."""
    app.extensions["blgcal.feed_cache"] = FeedCache(int(app.config["FEED_CACHE_MB"]) * 2**20)
    app.extensions["blgcal.feed_index"] = FeedIndex(int(app.config["FEED_INDEX_SIZE"]))


def serve(feed: str, make_spec: Callable[[], FeedSpec], *, private: bool = False,
          filename: str | None = None) -> Response:
    """Answer the feed at address *feed*: a 304, the remembered bytes, or a build.

    *make_spec* (which may parse and query) runs only when this process has not
    served *feed* since the calendar last changed, or has dropped its part.
    """
    version, day = current_version(), today().isoformat()
    index: FeedIndex = current_app.extensions["blgcal.feed_index"]
    cache: FeedCache = current_app.extensions["blgcal.feed_cache"]
    served = index.get(feed)
    if served is not None and served.current(version, day):
        request.environ[SERVED] = (feed, served)
        if request.if_none_match.contains_weak(served.etag):
            return _response([], served.etag, served.last_modified, private, filename)
        part = cache.get(CacheKey(served.part_key, version, day))
        if part is not None:
            body = FeedBody(served.header, part, served.etag)
            return _response(body.chunks, body.etag, body.last_modified, private, filename)
    spec = make_spec()
    session = get_session()
    part = cache.get_or_build(CacheKey(spec.content_key, version, day), lambda: build_part(
        session, spec, today=today(), now=datetime.now(UTC), settings=settings_from(current_app.config)))
    body = finish(spec.meta, part)
    served = Served(version, day, body.etag, body.last_modified, body.header, spec.content_key)
    index.put(feed, served)
    request.environ[SERVED] = (feed, served)
    return _response(body.chunks, body.etag, body.last_modified, private, filename)


def _response(chunks: list[bytes], etag: str, last_modified: datetime, private: bool,
              filename: str | None) -> Response:
    """The feed as a conditional response: 200 with *chunks*, or 304."""
    response = Response(chunks, content_type=CONTENT_TYPE)
    response.set_etag(etag)
    response.last_modified = last_modified
    scope = "private" if private else "public"
    response.headers["Cache-Control"] = (
        f"{scope}, max-age={int(current_app.config['FEED_MAX_AGE'])}, no-transform")
    if private:
        response.headers["Referrer-Policy"] = "no-referrer"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response.make_conditional(request)


def not_found(*, private: bool = False) -> Response:
    """The one 404 every unknown, altered or revoked token gets."""
    response = Response(NOT_FOUND, status=404, content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    if private:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def plain_error(status: int, message: str) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status,
                    content_type="text/plain; charset=utf-8")
