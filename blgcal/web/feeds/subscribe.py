"""The subscribe page, the feed builder's live count, and private feed keeping."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import parse_qs

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blgcal.clock import now, today
from blgcal.db import get_session
from blgcal.domain.feeds import canonical
from blgcal.domain.filters import FilterError
from blgcal.domain.permissions import can_see_comms_plan
from blgcal.domain.places import country_name
from blgcal.domain.types import Kind, Status
from blgcal.models import User
from blgcal.models.feeds import PrivateFeed
from blgcal.services import queries
from blgcal.services.feeds import private as feed_private
from blgcal.services.feeds import specs as feed_specs
from blgcal.services.feeds.build import count_events
from blgcal.services.schemas import feed_count_json
from blgcal.web.caches import countries_in_use, known_bodies
from blgcal.web.feeds.forms import FeedBuilderForm, PrivateFeedForm
from blgcal.web.feeds.links import links_for
from blgcal.web.forms import options

bp = Blueprint("subscribe", __name__)


@bp.get("/subscribe")
def page() -> str:
    params = builder_params()
    form = builder_form()
    built = built_feed(params)
    feeds = [links_for(site(), "/feeds/all.ics"),
             links_for(f"{site()}: international days", "/feeds/observances.ics")]
    feeds += [links_for(f"{site()}: {b.short_name}", f"/feeds/{b.slug}.ics")
              for b in queries.bodies(get_session())]
    mine = feed_private.feeds_of(get_session(), user()) if current_user.is_authenticated else []
    return render_template("feeds/subscribe.html", form=form, feeds=feeds, built=built,
                           private_feeds=mine, filters=canonical(params))


@bp.get("/api/v1/feeds/count")
def count() -> dict[str, Any]:
    """How many events the custom feed of these filters holds, and its links (the builder's JS)."""
    built = built_feed(builder_params(), strict=True)
    assert built is not None
    return feed_count_json(built["count"], built["links"])


@bp.get("/account/feeds")
@login_required
def private_feeds() -> str:
    form = PrivateFeedForm(filters=canonical(builder_params()))
    return render_template("feeds/private.html", form=form,
                           feeds=feed_private.feeds_of(get_session(), user()))


@bp.post("/account/feeds")
@login_required
def create_private() -> Response | tuple[str, int] | str:
    form = PrivateFeedForm()
    session = get_session()
    params = {k: v for k, v in parse_qs(form.filters.data or "").items()
              if k in feed_specs.FEED_PARAMS}
    try:
        feed_specs.read_params(params, known_bodies=known_bodies())
    except FilterError as exc:
        form.filters.errors = [str(exc)]
        return render_template("feeds/private.html", form=form,
                               feeds=feed_private.feeds_of(session, user())), 400
    if not form.validate_on_submit():
        return render_template("feeds/private.html", form=form,
                               feeds=feed_private.feeds_of(session, user())), 400
    content = form.content.data or feed_private.EVENTS
    if content == feed_private.COMMS_PLAN and not can_see_comms_plan(user().principal):
        abort(403)
    feed, token = feed_private.create(session, user(), name=form.name.data or "",
                                      filters=params, now=now(), content=content)
    session.commit()
    return shown_once(feed.name, token)


@bp.post("/account/feeds/<int:feed_id>/regenerate")
@login_required
def regenerate_private(feed_id: int) -> Response:
    feed = own_feed(feed_id)
    token = feed_private.regenerate(feed)
    get_session().commit()
    return shown_once(feed.name, token)


@bp.post("/account/feeds/<int:feed_id>/revoke")
@login_required
def revoke_private(feed_id: int) -> Response:
    feed_private.revoke(own_feed(feed_id), now=now())
    get_session().commit()
    flash("The feed is revoked: its address no longer works.")
    return redirect(url_for("subscribe.private_feeds"))


def shown_once(name: str, token: str) -> Response:
    """The new address, once: never cached, never sent on as a referrer."""
    links = links_for(f"{site()}: {name}", f"/feeds/private/{token}.ics", qr_inline=True)
    response = make_response(render_template("feeds/created.html", links=links,
                                             feeds=feed_private.feeds_of(get_session(), user())))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def own_feed(feed_id: int) -> PrivateFeed:
    feed = feed_private.owned(get_session(), user(), feed_id)
    if feed is None:
        abort(404)
    return feed


def builder_params() -> dict[str, list[str]]:
    """The builder's filters from the query string, empty values dropped."""
    return {name: [v for v in request.args.getlist(name) if v.strip()]
            for name in feed_specs.FEED_PARAMS if any(v.strip() for v in request.args.getlist(name))}


def built_feed(params: dict[str, list[str]], *, strict: bool = False) -> dict[str, Any] | None:
    """The custom feed of *params*: links, count, or the error (raised when *strict*)."""
    if not params and not strict:
        return None
    try:
        flt, observances = feed_specs.read_params(
            params, known_bodies=known_bodies())
    except FilterError as exc:
        if strict:
            raise
        return {"error": str(exc)}
    spec = feed_specs.custom_spec(site(), flt, observances=observances, params=params)
    count = count_events(get_session(), spec.content, today=today(),
                         settings=feed_specs.settings_from(current_app.config))
    return {"count": count, "name": spec.meta.name,
            "links": links_for(spec.meta.name, url_for("feeds.custom", **params))}


def builder_form() -> FeedBuilderForm:
    form = FeedBuilderForm(request.args)
    form.body.choices = options((b.slug, b.short_name) for b in queries.bodies(get_session()))
    form.kind.choices = options((k.value, k.label) for k in Kind)
    form.status.choices = options((s.value, s.value.capitalize()) for s in Status)
    form.country.choices = options(sorted(
        ((c, country_name(c)) for c in countries_in_use()),
        key=lambda pair: pair[1]))
    return form


def user() -> User:
    return cast(User, current_user)


def site() -> str:
    return str(current_app.config["SITE_NAME"])

