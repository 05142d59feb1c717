"""The HTTP side of feeds: what answers each address, and with which headers.

A route turns its address into a :class:`~blgcal.domain.feeds.FeedRequest`;
:func:`respond` reads the calendar's version from memory
(:mod:`blgcal.web.data_version`) and hands the request to
:func:`blgcal.services.feeds.serve.serve`, which says whether the client's ETag
is current, and gives the bytes when it is not. Feeds are ``text/calendar;
charset=utf-8`` whatever the request accepts, never compressed (``no-transform``
asks proxies not to either: Outlook refuses gzipped feeds), with a strong ETag
and Last-Modified.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, Response, current_app, request

from blgcal.clock import today
from blgcal.db import get_session
from blgcal.domain.feeds import FeedRequest
from blgcal.services.feeds.serve import FeedCaches, FeedContext, body_of, serve
from blgcal.services.feeds.specs import settings_from
from blgcal.web.caches import body_fingerprints, known_bodies
from blgcal.web.data_version import current_version

CONTENT_TYPE = "text/calendar; charset=utf-8"
NOT_FOUND = "Not found.\n"
SERVED = "blgcal.served_feed"  # the environ key telling feed_replay which feed answered


def init_app(app: Flask) -> None:
    """Give the app its feed caches (tokens are kept out of the logs by :mod:`blgcal.logs`)."""
    app.extensions["blgcal.feed_caches"] = FeedCaches.sized(
        addresses=int(app.config["FEED_INDEX_SIZE"]),
        part_bytes=int(app.config["FEED_CACHE_MB"]) * 2**20)


def context() -> FeedContext:
    """What serving a feed reads in this request: the caches, the version, the clock."""
    config = current_app.config
    return FeedContext(get_session, current_app.extensions["blgcal.feed_caches"],
                       current_version(), today(), datetime.now(UTC), settings_from(config),
                       site=str(config["SITE_NAME"]), known_bodies=known_bodies,
                       body_fingerprints=body_fingerprints)


def respond(feed: FeedRequest, *, private: bool = False, filename: str | None = None) -> Response:
    """Answer *feed*: a 304, or its bytes (see :mod:`blgcal.services.feeds.serve`)."""
    now = context()
    served = serve(feed, now)
    request.environ[SERVED] = (feed.address, served.etag)
    if request.if_none_match.contains_weak(served.etag):
        return _response([], served.etag, served.last_modified, private, filename)
    body = body_of(served, now)
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
