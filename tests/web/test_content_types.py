"""Every page is served as ``text/html; charset=utf-8``, walked from the app's URL map.

Each GET route is requested with real arguments, anonymously and as an admin;
each POST route is sent the valid form of the role matrix and an empty one.
Whatever answers with a page must say it is HTML (``nosniff`` is on, so a page
sent as ``text/plain`` shows its source), and only the routes in NOT_PAGES may
answer with anything else. A new route whose argument has no value here
fails until one is added to ARGUMENTS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from blgcal.models import Revision, User
from blgcal.services import jobs
from blgcal.services.feeds import private as feed_private

from ..attacks.test_authorisation import POLICY, World, request_for, uploaded_source
from ..conftest import AuthActions, csrf_token

HTML = "text/html; charset=utf-8"
# Endpoints that answer with data, not pages: JSON, calendars, images, files.
NOT_PAGES = {"static", "pages.health", "probes.ready", "sources.csv_template", "findings.timeline_download",
             "feeds.qr_code", "subscribe.count", "editing.proposed_zone"}
NOT_PAGE_PREFIXES = ("api.", "feeds.", "assets.")


def private_token(world: World) -> str:
    with world.session() as session:
        user = session.get(User, world.users["viewer"].id)
        assert user is not None
        _, token = feed_private.create(session, user, name="Mine", filters={},
                                       now=datetime.now(UTC))
        session.commit()
        return token


def revision_of_event(world: World) -> int:
    with world.session() as session:
        return session.scalars(select(Revision.id).where(Revision.event_id == world.event_id)
                               .order_by(Revision.id)).first() or 1


def queued_job(world: World) -> int:
    """A job waiting for a worker (it names a source that does not exist: its page still shows)."""
    with world.session() as session:
        job = jobs.queue_job(session, "harvest", {"source_id": 0}, now=datetime.now(UTC))
        session.commit()
        return job.id


# Route argument -> a real value; per endpoint where one name means different things.
ARGUMENTS: dict[str, Callable[[World], object]] = {
    "event_id": lambda world: world.event_id,
    "slug": lambda world: "cbd",
    "source_id": uploaded_source,
    "user_id": lambda world: world.users["comms"].id,
    "key": lambda world: world.clash_key("ITPGRFA GB-11", "CITES CoP20"),
    "item_id": lambda world: world.plan_item(),
    "revision_id": revision_of_event,
    "run_id": lambda world: 1,  # a fresh upload has no run yet: its 404 page is HTML too
    "job_id": queued_job,
    "year": lambda world: 2025,
    "month": lambda world: 11,
    "filename": lambda world: "blgcal.css",
    "_rest": lambda world: "unknown",
}
ENDPOINT_ARGUMENTS: dict[tuple[str, str], Callable[[World], object]] = {
    ("auth.reset_password", "token"): lambda world: world.reset_path().rsplit("/", 1)[1],
    ("feeds.private", "token"): private_token,
}


def is_page_endpoint(endpoint: str) -> bool:
    return endpoint not in NOT_PAGES and not endpoint.startswith(NOT_PAGE_PREFIXES)


def looks_like_html(response: TestResponse) -> bool:
    return response.get_data()[:200].lstrip().lower().startswith(b"<!doctype html")


def assert_served_right(response: TestResponse, endpoint: str, what: str) -> None:
    """A page says it is HTML; a data endpoint never sends a page under another type."""
    if response.status_code in {301, 302, 303, 304} or response.status_code == 204:
        return
    content_type = response.headers.get("Content-Type", "")
    if is_page_endpoint(endpoint) or looks_like_html(response):
        assert content_type == HTML, (what, response.status_code, content_type)
        assert looks_like_html(response), (what, "is served as HTML but is not a page")


def path_for(app: Flask, rule: Rule, world: World, made: dict[object, object]) -> str:
    """*rule*'s path with real arguments; *made* keeps each value made once."""
    values = {}
    for name in rule.arguments:
        which = (rule.endpoint, name) if (rule.endpoint, name) in ENDPOINT_ARGUMENTS else name
        make = ENDPOINT_ARGUMENTS.get((rule.endpoint, name)) or ARGUMENTS.get(name)
        assert make is not None, f"{rule.rule}: give the argument {name!r} a value in ARGUMENTS"
        if which not in made:
            made[which] = make(world)
        values[name] = made[which]
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def signed_in(app: Flask, email: str = "admin@blg.int") -> tuple[FlaskClient, AuthActions]:
    client = app.test_client()
    actions = AuthActions(client)
    assert actions.login(email).status_code == 302
    return client, actions


@pytest.fixture
def world(app: Flask, create_user: Callable[..., User]) -> World:
    return World(app, create_user)


def test_every_get_route_answers_pages_as_html(app: Flask, world: World) -> None:
    admin, _ = signed_in(app)
    visitors = {"anonymous": app.test_client(), "admin": admin}
    rules = [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ())]
    pages, made = 0, {}
    for rule in sorted(rules, key=lambda r: r.rule):
        path = path_for(app, rule, world, made)
        for who, client in visitors.items():
            with client.get(path) as response:
                assert_served_right(response, rule.endpoint, f"GET {path} as {who}")
                pages += looks_like_html(response)
    assert pages > 40  # the walk reached the pages, not only sign-in redirects
    for who, client in visitors.items():
        assert_served_right(client.get("/no-such-page"), "missing", f"a 404 as {who}")


@pytest.mark.parametrize("endpoint", sorted(POLICY))
def test_every_post_route_answers_pages_as_html(app: Flask, world: World, endpoint: str) -> None:
    client, _ = signed_in(app)
    path, data = request_for(endpoint, world, "admin")
    for form in ({}, data) if data else (data,):  # empty (the form again, with errors), valid
        token = csrf_token(client, "/")
        response = client.post(path, data={**form, "csrf_token": token})
        assert_served_right(response, endpoint, f"POST {path} with {sorted(form)}")


def test_the_private_feeds_address_page_is_html_after_create_and_new_address(
        app: Flask, create_user: Callable[..., User]) -> None:
    create_user("viewer@blg.int", role="viewer")
    client, auth = signed_in(app, "viewer@blg.int")
    created = auth.post("/account/feeds", {"name": "Mine", "filters": ""})
    assert created.status_code == 200 and created.headers["Content-Type"] == HTML
    assert "/feeds/private/" in created.get_data(as_text=True)
    again = auth.post("/account/feeds/1/regenerate")
    assert again.status_code == 200 and again.headers["Content-Type"] == HTML
    assert looks_like_html(again) and "/feeds/private/" in again.get_data(as_text=True)
