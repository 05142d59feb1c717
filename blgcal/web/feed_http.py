"""The HTTP side of feeds: one cached body per (feed, version, day), and its headers.

A request for an unchanged feed runs one query of index lookups
(:func:`~blgcal.services.versions.calendar_version`), finds the finished bytes in the per-process
:class:`FeedCache` and answers with them or with 304; see :mod:`blgcal.services.feeds` for how a
miss is built. Feeds are ``text/calendar; charset=utf-8`` whatever the request accepts, never
compressed (``no-transform`` asks proxies not to either: Outlook refuses gzipped feeds), with a
strong ETag and Last-Modified.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, Response, current_app, request

from blgcal.clock import today
from blgcal.db import get_session
from blgcal.services.feed_cache import CacheKey, FeedCache
from blgcal.services.feed_specs import settings_from
from blgcal.services.feeds import FeedBody, FeedSpec, build_feed
from blgcal.services.versions import calendar_version

CONTENT_TYPE = "text/calendar; charset=utf-8"
NOT_FOUND = "Not found.\n"


def init_app(app: Flask) -> None:
    """Give the app its feed cache (tokens are kept out of the logs by :mod:`blgcal.logs`)."""
    app.extensions["blgcal.feed_cache"] = FeedCache(int(app.config["FEED_CACHE_MB"]) * 2**20)


def feed_body(feed: str, make_spec: Callable[[], FeedSpec]) -> FeedBody:
    """The finished feed *feed*; *make_spec* (which may parse and query) runs only on a miss."""
    session = get_session()
    day = today()
    key = CacheKey(feed, calendar_version(session), day.isoformat())
    cache: FeedCache = current_app.extensions["blgcal.feed_cache"]

    def build() -> FeedBody:
        return build_feed(session, make_spec(), today=day, now=datetime.now(UTC),
                          settings=settings_from(current_app.config))

    return cache.get_or_build(key, build)


def feed_response(body: FeedBody, *, private: bool = False,
                  filename: str | None = None) -> Response:
    """*body* as a conditional response: 200 with the bytes, or 304."""
    response = Response(body.data, content_type=CONTENT_TYPE)
    response.set_etag(body.etag)
    response.last_modified = body.last_modified
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
