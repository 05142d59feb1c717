"""Every mutating route against every role, generated from the app's URL map.

A new POST route without a row in POLICY fails ``test_every_mutating_route_has_a_policy``;
each (route, role) pair is then exercised for real: a refused request must
leave the database exactly as it was.
"""

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event, Revision, User
from blgcal.services import accounts
from blgcal.services.backup import content_digest

from ..conftest import AuthActions, csrf_token

ROLES = ("anonymous", "viewer", "comms", "editor_other", "editor", "admin")
ANYONE = frozenset(ROLES)
SIGNED_IN = ANYONE - {"anonymous"}
EDITORS = frozenset({"editor", "admin"})
CREATORS = frozenset({"editor", "editor_other", "admin"})
ADMIN = frozenset({"admin"})

# endpoint -> who may use it. The target event is organised by CBD; "editor"
# edits for CBD, "editor_other" for CITES.
POLICY: dict[str, frozenset[str]] = {
    "auth.login": ANYONE,
    "auth.logout": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.reset_password": ANYONE,
    "admin.new_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.reset_link": ADMIN,
    "editing.create": CREATORS,
    "editing.edit": EDITORS,
    "editing.cancel": EDITORS,
    "editing.delete": EDITORS,
    "editing.restore": EDITORS,
    "editing.revert": EDITORS,
    "editing.purge": ADMIN,
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Allowed requests that still write nothing: a failed sign-in, showing a reset link.
WRITES_NOTHING = {"auth.login", "admin.reset_link"}


def mutating_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & UNSAFE}


def test_every_mutating_route_has_a_policy(app: Flask) -> None:
    assert mutating_endpoints(app) - set(POLICY) == set(), "add the new route to POLICY"
    assert set(POLICY) - mutating_endpoints(app) == set(), "POLICY names a route that is gone"


EVENT_FORM = {
    "bodies": ["cbd"], "kind": "working_group", "status": "confirmed", "visibility": "public",
    "parent_id": "", "code": "RM-2", "title": "Second resource mobilisation workshop",
    "timing": "all_day", "start_date": "2027-02-10", "end_date": "2027-02-12",
    "timezone": "Europe/Rome", "city": "Rome", "country": "IT", "url": "https://www.cbd.int",
}


class World:
    """A seeded calendar, one account per role, and a CBD event to act on."""

    def __init__(self, app: Flask, create_user: Callable[..., User]) -> None:
        self.app = app
        assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
        self.users = {
            "viewer": create_user("viewer@blg.int", role="viewer"),
            "comms": create_user("comms@blg.int", role="comms"),
            "editor_other": create_user("cites@blg.int", role="editor", bodies=["cites"]),
            "editor": create_user("cbd@blg.int", role="editor", bodies=["cbd"]),
            "admin": create_user("admin@blg.int", role="admin"),
        }
        with self.session() as session:
            self.event_id = session.scalars(select(Event.id).where(Event.code == "SBI-6")).one()

    def session(self) -> Session:
        return self.app.extensions["blgcal.sessionmaker"]()

    def client_for(self, role: str) -> tuple[FlaskClient, AuthActions]:
        client = self.app.test_client()
        actions = AuthActions(client)
        if role != "anonymous":
            assert actions.login(self.users[role].email).status_code == 302
        return client, actions

    def trash_target(self, *, days_ago: int) -> None:
        with self.session() as session:
            row = session.get(Event, self.event_id)
            assert row is not None
            row.deleted_dt = datetime.now(timezone.utc) - timedelta(days=days_ago)
            session.commit()

    def revision_id(self) -> int:
        with self.session() as session:
            row = session.get(Event, self.event_id)
            assert row is not None
            row.title = row.title + " (edited)"
            row.updated_dt = datetime.now(timezone.utc)
            session.add(Revision(event_id=row.id, event_uid=row.uid, action="update", via="cli",
                                 actor_label="test", changes={}, snapshot={"title": "Older title"},
                                 created_dt=row.updated_dt))
            session.commit()
            return session.scalars(select(Revision.id).order_by(Revision.id.desc())).first()

    def reset_path(self) -> str:
        with self.session() as session:
            user = session.get(User, self.users["viewer"].id)
            assert user is not None
            return "/reset/" + accounts.reset_token(user, self.app.config["SECRET_KEY"])


OWN_BODY = {"editor": "cbd", "editor_other": "cites"}


def request_for(endpoint: str, world: World, role: str = "admin") -> tuple[str, dict[str, Any]]:
    """A valid request to *endpoint*: what an authorised *role* would send."""
    event = world.event_id
    new_password = "a long new password 123"
    if endpoint in {"editing.restore"}:
        world.trash_target(days_ago=1)
    if endpoint == "editing.purge":
        world.trash_target(days_ago=40)
    return {
        "auth.login": lambda: ("/login", {"email": "viewer@blg.int", "password": "wrong guess"}),
        "auth.logout": lambda: ("/logout", {}),
        "auth.change_password": lambda: ("/account/password", {
            "current": "correct horse battery staple", "new": new_password,
            "confirm": new_password}),
        "auth.reset_password": lambda: (world.reset_path(),
                                        {"new": new_password, "confirm": new_password}),
        "admin.new_user": lambda: ("/admin/users/new", {"email": "new@blg.int", "role": "viewer"}),
        "admin.edit_user": lambda: (f"/admin/users/{world.users['comms'].id}",
                                    {"email": "comms@blg.int", "role": "viewer", "active": "y"}),
        "admin.reset_link": lambda: (f"/admin/users/{world.users['comms'].id}/reset-link", {}),
        "editing.create": lambda: ("/events/new",
                                   {**EVENT_FORM, "bodies": [OWN_BODY.get(role, "cbd")]}),
        "editing.edit": lambda: (f"/events/{event}/edit", {**EVENT_FORM, "version": "1"}),
        "editing.cancel": lambda: (f"/events/{event}/cancel", {}),
        "editing.delete": lambda: (f"/events/{event}/delete", {}),
        "editing.restore": lambda: (f"/events/{event}/restore", {}),
        "editing.revert": lambda: (f"/events/{event}/revert/{world.revision_id()}", {}),
        "editing.purge": lambda: (f"/trash/{event}/purge", {}),
    }[endpoint]()


CASES = [(endpoint, role) for endpoint in sorted(POLICY) for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_each_role_gets_exactly_what_the_policy_grants(
        app: Flask, create_user: Callable[..., User], endpoint: str, role: str) -> None:
    world = World(app, create_user)
    client, _ = world.client_for(role)
    path, data = request_for(endpoint, world, role)
    token = csrf_token(client, "/login" if role == "anonymous" else "/")
    before = content_digest(app.extensions["blgcal.engine"])
    response = client.post(path, data={**data, "csrf_token": token})
    after = content_digest(app.extensions["blgcal.engine"])
    allowed = role in POLICY[endpoint]
    refused = response.status_code in {401, 403} or (
        response.status_code == 302 and "/login?next=" in response.headers["Location"])
    if allowed:
        assert not refused, (response.status_code, response.headers.get("Location"))
        assert response.status_code in {200, 302}, response.status_code
        assert (after == before) == (endpoint in WRITES_NOTHING), "an allowed request did nothing"
    else:
        assert refused, (response.status_code, response.get_data(as_text=True)[:300])
        assert after == before, "a refused request changed the database"


@pytest.mark.parametrize("endpoint", sorted(set(POLICY) - {"auth.login", "auth.reset_password"}))
def test_every_unsafe_route_refuses_a_request_without_csrf_token(
        app: Flask, create_user: Callable[..., User], endpoint: str) -> None:
    world = World(app, create_user)
    client, _ = world.client_for("admin")
    path, data = request_for(endpoint, world)
    before = content_digest(app.extensions["blgcal.engine"])
    response = client.post(path, data=data)
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert content_digest(app.extensions["blgcal.engine"]) == before
