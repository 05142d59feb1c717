"""Sources that staff type in cannot reach the server's own network: the canary hears nothing.

Each address of the SSRF corpus (loopback written seven ways, private,
link-local, shared, multicast, metadata, other schemes) is entered through the
admin's "New source" form and harvested with ``blgcal harvest``. The form
refuses it, or the harvest fails naming why; either way the loopback canary
server is never connected to. A public-looking source that redirects to the
canary is refused too, as is a trusted host's redirect to another port.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import HarvestRun, Source, User

from ..conftest import AuthActions
from ..support.feed_server import FeedServer, canary_server, feed_server  # noqa: F401
from ..test_fetch import SSRF

pytestmark = pytest.mark.usefixtures("seeded")
FORM = {"body_slug": "cbd", "kind": "ics", "enabled": "y", "window_back_days": "180",
        "window_ahead_days": "1095", "on_vanish": "cancel"}


@pytest.fixture
def admin(create_user: Callable[..., User], auth: AuthActions) -> AuthActions:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    return auth


def add_and_harvest(app: Flask, admin: AuthActions, session: Session, name: str, url: str,
                    **fields: str) -> str:
    """What happened to *url*: the form's refusal or the harvest run's message."""
    response = admin.post("/admin/sources/new", {**FORM, "name": name, "url": url, **fields})
    if response.status_code != 302:
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and 'class="errors"' in page, page[:500]
        return "refused by the form"
    app.test_cli_runner().invoke(args=["harvest", name])
    session.expire_all()
    source = session.scalars(select(Source).where(Source.name == name)).one()
    run = session.scalars(select(HarvestRun).where(HarvestRun.source_id == source.id)
                          .order_by(HarvestRun.id.desc())).first()
    assert run is not None and run.status == "failed", (url, run and run.status)
    return run.message or ""


@pytest.mark.parametrize(("template", "reason"), SSRF)
def test_no_typed_in_source_reaches_the_servers_network(
        app: Flask, admin: AuthActions, session: Session, canary_server: FeedServer,  # noqa: F811
        template: str, reason: str) -> None:
    url = template.format(port=canary_server.host.rsplit(":", 1)[1])
    outcome = add_and_harvest(app, admin, session, "probe", url)
    assert outcome == "refused by the form" or reason in outcome, outcome
    assert canary_server.hits == []


def test_a_trusted_source_cannot_redirect_into_the_network(
        make_app: Callable[..., Flask], feed_server: FeedServer,  # noqa: F811
        canary_server: FeedServer, create_user: Callable[..., User]) -> None:  # noqa: F811
    trusting = make_app(HARVEST_ALLOW_HOSTS=[feed_server.host])  # the same database, seeded
    create_user("root@blg.int", role="admin")
    admin = AuthActions(trusting.test_client())
    admin.login("root@blg.int")
    target = quote(canary_server.url("/feeds/google.ics"), safe="")
    with trusting.extensions["blgcal.sessionmaker"]() as session:
        outcome = add_and_harvest(trusting, admin, session, "hop", feed_server.url(f"/to?url={target}"),
                                  trust_host="y")
    assert "not a public address" in outcome
    assert canary_server.hits == []
