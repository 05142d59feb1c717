"""Feeds over HTTP: the routing table of the ``.ics`` addresses.

Every feed answers from :func:`~blgcal.web.feeds.http.serve`: the calendar's
version from memory, then a 304 or the cached bytes; parsing the filter and
reading the database happen only when the feed has to be built. A private
feed costs one more query, of its token, so revoking one takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, abort, current_app, request
from werkzeug.exceptions import HTTPException

from blgcal.db import get_session
from blgcal.domain.filters import EventFilter, FilterError
from blgcal.domain.permissions import can_see_staff_events
from blgcal.domain.types import Visibility
from blgcal.models import Body, Event
from blgcal.services import queries
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds import specs as feed_specs
from blgcal.services.feeds.build import FeedSpec
from blgcal.web.auth import principal
from blgcal.web.feeds import http as feed_http
from blgcal.web.feeds import subscribe as feed_pages
from blgcal.web.feeds.links import base_url, qr_svg

bp = Blueprint("feeds", __name__)
COMMS_PLAN_MOVED = ("The comms plan feed is private: staff sign in at {0}/comms and make their "
                    "own address with \"Make my comms plan feed\".")
MakeSpec = Callable[[EventFilter, bool], FeedSpec]


def init_app(app: Flask) -> None:
    feed_http.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(feed_pages.bp)


@bp.get("/feeds/all.ics")
def all_events() -> Response:
    return serve("all", lambda flt, obs: feed_specs.all_spec(site(), flt, observances=obs))


@bp.get("/feeds/custom.ics")
def custom() -> Response:
    params = request.args.to_dict(flat=False)
    return serve("custom", lambda flt, obs: feed_specs.custom_spec(
        site(), flt, observances=obs, params=params))


@bp.get("/feeds/observances.ics")
def observances() -> Response:
    return serve("observances", lambda flt, obs: feed_specs.observances_spec(site(), flt))


@bp.get("/feeds/<slug>.ics")
def body(slug: str) -> Response:
    def make(flt: EventFilter, obs: bool) -> FeedSpec:
        found = get_session().get(Body, slug)
        if found is None:
            abort(404, f"No body {slug!r}.")
        return feed_specs.body_spec(site(), found, flt, observances=obs)
    return serve(f"body:{slug}", make)


@bp.get("/feeds/private/<token>.ics")
def private(token: str) -> Response:
    session = get_session()
    feed = feed_private.by_token(session, token)
    if feed is None or not feed_private.may_serve(feed):
        return feed_http.not_found(private=True)
    if feed_private.touch(session, feed, now=datetime.now(UTC)):
        session.commit()
    if feed.content == feed_private.COMMS_PLAN:
        return feed_http.serve(private_address(feed),
                               lambda: feed_specs.comms_plan_spec(site(), feed), private=True)
    staff = can_see_staff_events(feed.owner)
    return feed_http.serve(private_address(feed), lambda: feed_specs.private_spec(
        site(), feed, *_read(feed.filters), include_staff=staff), private=True)


def private_address(feed: feed_private.Subscription) -> str:
    """What a private feed's bytes depend on besides the calendar: its name, filter, owner."""
    if feed.content == feed_private.COMMS_PLAN:
        return f"private:{feed.id}:comms:{feed.name}"
    staff = can_see_staff_events(feed.owner)
    return f"private:{feed.id}:{int(staff)}:{feed.name}?{feed_specs.canonical(feed.filters)}"


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
    if (row is None or row.deleted_dt or row.first_date is None
            or not (staff or row.visibility == Visibility.PUBLIC)):
        abort(404, f"No event {event_id} with dates.")
    title, public = row.code or row.title, row.visibility == Visibility.PUBLIC
    return feed_http.serve(f"event:{event_id}:{int(staff)}", lambda: feed_specs.event_spec(
        site(), event_id, title, include_staff=staff), private=not public,
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


def serve(feed: str, make_spec: MakeSpec) -> Response:
    """Answer a public feed; *make_spec* runs only when the feed must be built."""
    params = request.args.to_dict(flat=False)
    key = f"{feed}?{feed_specs.canonical(params)}"
    return feed_http.serve(key, lambda: make_spec(*_read(params)))


def _read(params: feed_specs.Params) -> tuple[EventFilter, bool]:
    return feed_specs.read_params(params, known_bodies=queries.body_slugs(get_session()))


def site() -> str:
    return str(current_app.config["SITE_NAME"])


@bp.errorhandler(FilterError)
def _bad_filter(exc: FilterError) -> Response:
    return feed_http.plain_error(400, f"Invalid parameter {exc.param!r}: {exc.message}")


@bp.errorhandler(404)
def _missing(exc: HTTPException) -> Response:
    return feed_http.plain_error(404, exc.description or "Not found.")
