"""Every mutating route against every role, generated from the app's URL map.

A new POST route without a row in POLICY fails ``test_every_mutating_route_has_a_policy``;
each (route, role) pair is then exercised for real: a refused request must
leave the database exactly as it was.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import CommsPlanItem, Event, Revision, User
from blgcal.services import accounts
from blgcal.services.backup import content_digest
from blgcal.services.feeds import private as feed_private

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
    "sources.new_source": ADMIN,
    "sources.edit_source": ADMIN,
    "sources.harvest_now": ADMIN,
    "sources.add_preset": ADMIN,
    "sources.merge": EDITORS,
    "sources.distinct": EDITORS,
    "subscribe.create_private": SIGNED_IN,
    "subscribe.regenerate_private": SIGNED_IN,  # their own feeds only: another's is a 404
    "subscribe.revoke_private": SIGNED_IN,
    # The clash acted on is CITES CoP20 against ITPGRFA GB-11: "editor_other" edits for CITES.
    "findings.acknowledge": frozenset({"comms", "admin", "editor_other"}),
    "findings.comms_new": frozenset({"comms", "admin"}),
    "findings.comms_edit": frozenset({"comms", "admin"}),
    "slots.hold": ADMIN,  # admins and editors of the BLG body; no role here edits for it
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Allowed requests that still write nothing: a failed sign-in, showing a reset link.
WRITES_NOTHING = {"auth.login", "admin.reset_link"}


def mutating_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & UNSAFE}


def test_every_mutating_route_has_a_policy(app: Flask) -> None:
    assert mutating_endpoints(app) - set(POLICY) == set(), "add the new route to POLICY"
    assert set(POLICY) - mutating_endpoints(app) == set(), "POLICY names a route that is gone"


PLAN_ITEM = {"title": "Joint posts for World Wetlands Day", "owner_bodies": ["ramsar", "cbd"],
             "channel": "social_media", "deadline": "2027-01-25", "status": "idea", "notes": ""}
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
            row.deleted_dt = datetime.now(UTC) - timedelta(days=days_ago)
            session.commit()

    def revision_id(self) -> int:
        with self.session() as session:
            row = session.get(Event, self.event_id)
            assert row is not None
            row.title = row.title + " (edited)"
            row.updated_dt = datetime.now(UTC)
            session.add(Revision(event_id=row.id, event_uid=row.uid, action="update", via="cli",
                                 actor_label="test", changes={}, snapshot={"title": "Older title"},
                                 created_dt=row.updated_dt))
            session.commit()
            return session.scalars(select(Revision.id).order_by(Revision.id.desc())).first()

    def clash_key(self, *codes: str) -> str:
        clashes = self.app.test_client().get("/api/v1/clashes").get_json()["clashes"]
        with self.session() as session:
            ids = set(session.scalars(select(Event.id).where(Event.code.in_(codes))))
        return next(c["key"] for c in clashes if set(c["events"]) == ids)

    def plan_item(self) -> int:
        with self.session() as session:
            item = CommsPlanItem(title="Posts", owner_bodies=["cms"], channel="social_media",
                                 deadline=date(2027, 1, 1), status="idea", notes="", sequence=0,
                                 created_by="t", created_dt=datetime.now(UTC),
                                 updated_dt=datetime.now(UTC))
            session.add(item)
            session.commit()
            return item.id

    def reset_path(self) -> str:
        with self.session() as session:
            user = session.get(User, self.users["viewer"].id)
            assert user is not None
            return "/reset/" + accounts.reset_token(user, self.app.config["SECRET_KEY"])


# The confirming step of a destructive action; without it the route only asks.
CONFIRM = {"confirm": "1"}
OWN_BODY = {"editor": "cbd", "editor_other": "cites"}
HOLD_QUERY = "from=2027-01-11&to=2027-01-15&days=1&body=cbd&city=Rome&country=IT"
SOURCE_FORM = {"name": "CBD spreadsheet", "body_slug": "cbd", "kind": "csv",
               "url": "https://www.cbd.int/meetings.csv", "enabled": "y", "window_back_days": "180",
               "window_ahead_days": "1095", "on_vanish": "cancel"}


def uploaded_source(world: World) -> int:
    """A CBD source holding an uploaded spreadsheet, so a harvest needs no network."""
    from blgcal.services.harvest.sources import create_source
    with world.session() as session:
        source = create_source(
            session, now=datetime.now(UTC), name="CBD upload", body_slug="cbd",
            kind="csv", file_name="cbd.csv", file_content=b"body,code,title,start,end\r\n"
            b"cbd,RM-9,Resource mobilisation workshop,2027-02-10,2027-02-12\r\n")
        session.commit()
        return source.id


def duplicate_pair(world: World) -> int:
    """An open possible-duplicate pair of two CBD events."""
    from blgcal.models import PossibleDuplicate
    with world.session() as session:
        other = session.scalars(select(Event.id).where(
            Event.id != world.event_id, Event.organisers.any(body_slug="cbd"))).first()
        low, high = sorted((world.event_id, other))
        pair = PossibleDuplicate(event_a_id=low, event_b_id=high, reason="test", state="open",
                                 created_dt=datetime.now(UTC))
        session.add(pair)
        session.commit()
        return pair.id


def private_feed(world: World, role: str) -> int:
    """A private feed of *role*'s account (the viewer's, for anonymous visitors)."""
    owner = world.users["viewer" if role == "anonymous" else role]
    with world.session() as session:
        user = session.get(User, owner.id)
        assert user is not None
        feed, _ = feed_private.create(session, user, name="Mine", filters={"body": ["cbd"]},
                                      now=datetime.now(UTC))
        session.commit()
        return feed.id


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
        "editing.cancel": lambda: (f"/events/{event}/cancel", CONFIRM),
        "editing.delete": lambda: (f"/events/{event}/delete", CONFIRM),
        "editing.restore": lambda: (f"/events/{event}/restore", {}),
        "editing.revert": lambda: (f"/events/{event}/revert/{world.revision_id()}", CONFIRM),
        "editing.purge": lambda: (f"/trash/{event}/purge", CONFIRM),
        "sources.new_source": lambda: ("/admin/sources/new", SOURCE_FORM),
        "sources.edit_source": lambda: (f"/admin/sources/{uploaded_source(world)}/edit",
                                        {**SOURCE_FORM, "url": "", "name": "Renamed"}),
        "sources.harvest_now": lambda: (f"/admin/sources/{uploaded_source(world)}/harvest", {}),
        "sources.add_preset": lambda: ("/admin/sources/presets/ipbes-ical", {}),
        "sources.merge": lambda: (f"/duplicates/{duplicate_pair(world)}/merge", {}),
        "sources.distinct": lambda: (f"/duplicates/{duplicate_pair(world)}/distinct", {}),
        "subscribe.create_private": lambda: ("/account/feeds",
                                             {"name": "Mine", "filters": "body=cbd"}),
        "subscribe.regenerate_private": lambda: (
            f"/account/feeds/{private_feed(world, role)}/regenerate", {}),
        "subscribe.revoke_private": lambda: (
            f"/account/feeds/{private_feed(world, role)}/revoke", {}),
        "findings.acknowledge": lambda: ("/clashes/acknowledge", {
            "key": world.clash_key("ITPGRFA GB-11", "CITES CoP20"), "note": "Accepted"}),
        "findings.comms_new": lambda: ("/comms/new", PLAN_ITEM),
        "findings.comms_edit": lambda: (f"/comms/{world.plan_item()}",
                                        {**PLAN_ITEM, "status": "done"}),
        "slots.hold": lambda: ("/slots/hold", {"key": "2027-01-12", "query": HOLD_QUERY}),
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
        assert response.status_code in {200, 302, 303}, response.status_code
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


# Destructive actions: a GET, or a POST without ``confirm``, only shows what would happen.
CONFIRMED = ("editing.cancel", "editing.delete", "editing.purge", "editing.revert")


@pytest.mark.parametrize(("endpoint", "role"), [(e, r) for e in CONFIRMED for r in ROLES])
def test_a_destructive_action_first_asks_only_those_who_may_act_and_changes_nothing(
        app: Flask, create_user: Callable[..., User], endpoint: str, role: str) -> None:
    world = World(app, create_user)
    client, _ = world.client_for(role)
    path, _ = request_for(endpoint, world, role)
    token = csrf_token(client, "/login" if role == "anonymous" else "/")
    before = content_digest(app.extensions["blgcal.engine"])
    asked = [client.get(path), client.post(path, data={"csrf_token": token})]
    assert content_digest(app.extensions["blgcal.engine"]) == before
    for response in asked:
        if role in POLICY[endpoint]:
            page = response.get_data(as_text=True)
            assert response.status_code == 200 and 'name="confirm" value="1"' in page
        else:
            assert response.status_code in {401, 403} or (
                response.status_code == 302 and "/login?next=" in response.headers["Location"])
