"""Feeds over HTTP: the routing table of the ``.ics`` addresses.

Each route says which feed its address asks for, as a
:class:`~blgcal.domain.feeds.FeedRequest`, and :func:`~blgcal.web.feeds.http.respond`
answers it: parsing the filter and reading the database happen only when the
feed has to be built. A private feed's token is looked up in
:mod:`blgcal.web.feeds.tokens`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, abort, request
from werkzeug.exceptions import HTTPException

from blgcal.db import get_session
from blgcal.domain.feeds import FeedKind, FeedRequest
from blgcal.domain.filters import FilterError
from blgcal.domain.permissions import can_see_staff_events, may_see_event
from blgcal.domain.types import Visibility
from blgcal.models import Event
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds.specs import NoSuchFeed
from blgcal.web.auth import principal
from blgcal.web.feeds import http as feed_http
from blgcal.web.feeds import subscribe as feed_pages
from blgcal.web.feeds import tokens
from blgcal.web.feeds.links import base_url, qr_svg

bp = Blueprint("feeds", __name__)
COMMS_PLAN_MOVED = ("The comms plan feed is private: staff sign in at {0}/comms and make their "
                    "own address with \"Make my comms plan feed\".")


def init_app(app: Flask) -> None:
    feed_http.init_app(app)
    tokens.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(feed_pages.bp)


@bp.get("/feeds/all.ics")
def all_events() -> Response:
    return public(FeedKind.ALL)


@bp.get("/feeds/custom.ics")
def custom() -> Response:
    return public(FeedKind.CUSTOM)


@bp.get("/feeds/observances.ics")
def observances() -> Response:
    return public(FeedKind.OBSERVANCES)


@bp.get("/feeds/<slug>.ics")
def body(slug: str) -> Response:
    return public(FeedKind.BODY, slug)


@bp.get("/feeds/private/<token>.ics")
def private(token: str) -> Response:
    feed = tokens.find(token)
    if feed is None or not feed_private.may_serve(feed):
        return feed_http.not_found(private=True)
    session = get_session()
    if feed_private.touch(session, feed, now=datetime.now(UTC)):
        session.commit()
        tokens.forget(token)
    return feed_http.respond(feed_private.request_for(feed), private=True)


@bp.get("/feeds/comms.ics")
def comms_plan_moved() -> Response:
    """The old public address of the comms plan: it is internal now, so no plan here."""
    return feed_http.plain_error(404, COMMS_PLAN_MOVED.format(base_url()))


@bp.get("/feeds/private/<path:_rest>")
def private_other(_rest: str) -> Response:
    return feed_http.not_found(private=True)


@bp.get("/events/<int:event_id>.ics")
def event(event_id: int) -> Response:
    staff = can_see_staff_events(principal())
    row = get_session().get(Event, event_id)
    if row is None or row.first_date is None or not may_see_event(
            staff, visibility=row.visibility, deleted=row.deleted_dt is not None):
        abort(404, f"No event {event_id} with dates.")
    return feed_http.respond(FeedRequest(FeedKind.EVENT, str(event_id), include_staff=staff),
                             private=row.visibility != Visibility.PUBLIC,
                             filename=f"event-{event_id}.ics")


@bp.get("/subscribe/qr.svg")
def qr_code() -> Response:
    """A QR code of one of the public feed addresses (never a private one)."""
    path = request.args.get("path", "")
    if not (path.startswith(("/feeds/", "/events/")) and ".ics" in path
            and not path.startswith("/feeds/private/")) or len(path) > 400:
        abort(404)
    response = Response(qr_svg(base_url() + path), content_type="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def public(kind: FeedKind, subject: str = "") -> Response:
    """Answer a public feed of *kind* with the query string's filter."""
    return feed_http.respond(FeedRequest(kind, subject, params=request.args.to_dict(flat=False)))


@bp.errorhandler(FilterError)
def _bad_filter(exc: FilterError) -> Response:
    return feed_http.plain_error(400, f"Invalid parameter {exc.param!r}: {exc.message}")


@bp.errorhandler(NoSuchFeed)
def _no_such_feed(exc: NoSuchFeed) -> Response:
    return feed_http.plain_error(404, str(exc))


@bp.errorhandler(404)
def _missing(exc: HTTPException) -> Response:
    return feed_http.plain_error(404, exc.description or "Not found.")
