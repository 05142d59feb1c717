"""Staff-only and deleted events, and one user's private feeds and password link, leak nowhere.

A staff-only meeting in Liechtenstein, a deleted one in Andorra and a public
side event whose parent is the staff-only meeting are added to the shipped
calendar. Every GET route (with each of its arguments) is then requested by an
admin first, so every cache holds the staff view, and then anonymously: no
answer may carry the hidden titles, codes or countries. The one exception is by
design: feeds keep a deleted event for a while as ``STATUS:CANCELLED``, so that
subscribed calendars remove it (README, "Subscribing").
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind, Visibility
from blgcal.models import User
from blgcal.services import accounts
from blgcal.services.events import delete_event, save_event
from blgcal.services.feeds import private as feed_private
from blgcal.services.history import Actor

from ..conftest import AuthActions
from .test_query_fuzz import get_routes

pytestmark = pytest.mark.usefixtures("seeded")
NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)
TEST = Actor("test", "cli")
STAFF_ONLY = ("SECRETCODE-1", "Closed retreat", "Liechtenstein")
DELETED = ("DELETEDCODE-9", "Andorra")
SECRETS = STAFF_ONLY + DELETED
#: Pages whose country picker lists every ISO country, so a name there reveals nothing.
EVERY_COUNTRY = ("/slots",)
COUNTRIES = ("Liechtenstein", "Andorra")


@pytest.fixture
def hidden(session: Session) -> dict[str, int]:
    staff, _ = save_event(session, EventData(
        uid="secret@test", code="SECRETCODE-1", title="Closed retreat of the heads", bodies=("cms",),
        kind=Kind.BLG_MEETING, visibility=Visibility.STAFF, start_date=date(2026, 12, 8),
        end_date=date(2026, 12, 10), city="Vaduz", country="LI"), now=NOW, actor=TEST)
    deleted, _ = save_event(session, EventData(
        uid="deleted@test", code="DELETEDCODE-9", title="Withdrawn meeting", bodies=("cites",),
        kind=Kind.WORKING_GROUP, start_date=date(2026, 12, 14), end_date=date(2026, 12, 15),
        city="Andorra la Vella", country="AD"), now=NOW, actor=TEST)
    side, _ = save_event(session, EventData(
        uid="side@test", title="Public briefing", bodies=("cms",), kind=Kind.SIDE_EVENT,
        start_date=date(2026, 12, 9), end_date=date(2026, 12, 9), parent_id=staff.id,
        online=True), now=NOW, actor=TEST)
    delete_event(session, deleted, now=NOW, actor=TEST)
    session.commit()
    return {"staff": staff.id, "deleted": deleted.id, "side": side.id}


def leaks(client: FlaskClient, paths: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in paths:
        with client.get(path) as response:
            body = response.get_data(as_text=True)
        is_feed = path.split("?")[0].endswith(".ics")
        if is_feed and DELETED[0] in body:
            assert "SUMMARY:Cancelled: DELETEDCODE-9" in body, path
        hidden = STAFF_ONLY if is_feed else SECRETS
        if path.startswith(EVERY_COUNTRY):
            hidden = tuple(secret for secret in hidden if secret not in COUNTRIES)
        found += [(path, secret) for secret in hidden if secret in body]
    return found


def test_nothing_hidden_reaches_an_anonymous_visitor(
        client: FlaskClient, make_app, create_user, hidden: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    create_user("root@blg.int", role="admin")
    admin = AuthActions(client.application.test_client())
    admin.login("root@blg.int")
    extra = [f"/events/{hidden['side']}", f"/api/v1/events/{hidden['side']}",
             f"/events/{hidden['side']}.ics", "/?country=LI", "/month/2026/12", "/timeline?year=2026",
             "/api/v1/events?from=2026-12-01&to=2026-12-31", "/feeds/cms.ics", "/subscribe",
             "/clashes?from=2026-12-01", "/opportunities?from=2026-12-01",
             "/clashes/history/overlap:1:2"]
    paths = get_routes(client.application) + extra
    assert leaks(admin.client, [f"/events/{hidden['staff']}"]), "the admin should see the retreat"
    leaks(admin.client, paths)  # warm every cache with the staff view
    found = leaks(client, paths)
    assert found == [], sorted({secret for _, secret in found}) + [path for path, _ in found][:20]


def test_a_public_side_event_does_not_name_its_hidden_parent(client: FlaskClient,
                                                            hidden: dict[str, int]) -> None:
    page = client.get(f"/events/{hidden['side']}")
    assert page.status_code == 200 and "Public briefing" in page.get_data(as_text=True)
    assert "Part of" not in page.get_data(as_text=True)
    assert client.get(f"/api/v1/events/{hidden['side']}").get_json()["parent_id"] is None


def test_the_acknowledgement_history_of_a_clash_is_for_staff(
        client: FlaskClient, create_user, auth: AuthActions) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/clashes/history/overlap:1:2").status_code in (302, 401)
    create_user("ana@cbd.int", role="viewer")
    auth.login("ana@cbd.int")
    assert auth.client.get("/clashes/history/overlap:1:2").status_code == 200


def test_one_users_private_feeds_and_password_link_reach_no_other_user(
        app, client: FlaskClient, create_user, session: Session,  # type: ignore[no-untyped-def]
        hidden: dict[str, int]) -> None:
    owner = create_user("ana@cbd.int", role="viewer")
    create_user("ben@cms.int", role="viewer")
    create_user("root@blg.int", role="admin")
    row = session.get(User, owner.id)
    feed, token = feed_private.create(session, row, name="ANA-PRIVATE-FEED", filters={}, now=NOW)
    session.commit()
    admin = AuthActions(app.test_client())
    admin.login("root@blg.int")
    reset = accounts.reset_token(row, app.config["SECRET_KEY"])
    assert admin.post(f"/admin/users/{owner.id}/reset-link").status_code == 200
    ana = AuthActions(app.test_client())
    ana.login("ana@cbd.int")
    ben = AuthActions(app.test_client())
    ben.login("ben@cms.int")
    paths = get_routes(app) + ["/account/feeds", "/subscribe"]
    assert ana.client.get("/account/feeds").get_data(as_text=True).count("ANA-PRIVATE-FEED") == 1
    for visitor in (ana.client, admin.client):
        leaks(visitor, paths)  # warm every cache as the owner and as an admin
    secrets = ("ANA-PRIVATE-FEED", token, reset.rsplit(".", 1)[0])
    found = []
    for path in paths:
        with ben.client.get(path) as response:
            body = response.get_data(as_text=True)
        found += [(path, secret) for secret in secrets if secret in body]
    assert found == [], found[:10]
    assert ben.client.get("/account/feeds").status_code == 200
