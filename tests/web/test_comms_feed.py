"""The comms plan is internal: signed-in staff only, and its feed a private token feed
built, cached and served like every other feed."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import User

from ..conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")
TOKEN_URL = re.compile(r'data-feed-url>https?://[^<]*(/feeds/private/[A-Za-z0-9_-]+\.ics)<')
ITEM = {"title": "Wetlands Day posts", "owner_bodies": ["ramsar"], "channel": "social_media",
        "deadline": "2027-01-20", "status": "idea", "notes": "Internal: ask legal first"}


def comms_feed_path(auth: AuthActions, name: str = "Comms plan", content: str = "comms") -> str:
    """Make a private feed (of the comms plan) as the signed-in user; its path, shown once."""
    created = auth.post("/account/feeds", {"name": name, "content": content, "filters": ""})
    assert created.status_code == 200, created.get_data(as_text=True)[:300]
    assert created.headers["Content-Type"] == "text/html; charset=utf-8"
    match = TOKEN_URL.search(created.get_data(as_text=True))
    assert match
    return match.group(1)


@pytest.fixture
def comms(auth: AuthActions, create_user: Callable[..., User]) -> AuthActions:
    create_user("comms@blg.int", role="comms")
    auth.login("comms@blg.int")
    return auth


def test_anonymous_visitors_see_no_comms_plan(comms: AuthActions, client: FlaskClient) -> None:
    comms.post("/comms/new", ITEM)
    anonymous = client.application.test_client()
    board = anonymous.get("/comms")
    assert board.status_code == 302 and "/login?next=%2Fcomms" in board.headers["Location"]
    old = anonymous.get("/feeds/comms.ics")
    assert old.status_code == 404 and old.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "private" in old.get_data(as_text=True) and "/comms" in old.get_data(as_text=True)
    assert b"Wetlands" not in old.data
    assert b"Wetlands" not in client.get("/feeds/comms.ics").data  # signed in: still no plan


def test_any_signed_in_staff_member_reads_the_plan_but_only_comms_officers_plan(
        comms: AuthActions, client: FlaskClient, create_user: Callable[..., User]) -> None:
    comms.post("/comms/new", ITEM)
    create_user("viewer@blg.int", role="viewer")
    viewer = AuthActions(client.application.test_client())
    viewer.login("viewer@blg.int")
    board = viewer.client.get("/comms").get_data(as_text=True)
    assert "Wetlands Day posts" in board and "Internal: ask legal first" in board
    assert "Add an item" not in board and "Make my comms plan feed" in board
    assert viewer.client.get("/comms/new").status_code == 403
    feed = viewer.client.get(comms_feed_path(viewer))
    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")] == [
        "Social media campaign: Wetlands Day posts"]


def test_the_comms_feed_is_served_like_every_private_feed(
        comms: AuthActions, client: FlaskClient) -> None:
    comms.post("/comms/new", ITEM)
    path = comms_feed_path(comms)
    anonymous = client.application.test_client()
    feed = anonymous.get(path)
    other = anonymous.get(comms_feed_path(comms, "Every event", content="events"))
    assert feed.status_code == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed.headers["Cache-Control"] == other.headers["Cache-Control"] == (
        "private, max-age=900, no-transform")
    assert feed.headers["Referrer-Policy"] == "no-referrer"
    assert re.fullmatch(r'"[0-9a-f]{32}"', feed.headers["ETag"])  # the feeds' BLAKE2 ETag
    assert feed.headers["Last-Modified"]
    calendar = Calendar.from_ical(feed.data)
    assert re.fullmatch(r"feed-private-\d+@blgcal", str(calendar["UID"]))
    assert str(calendar["X-WR-CALNAME"]).endswith(": Comms plan")
    assert b"Internal" not in feed.data  # notes stay out
    assert anonymous.get(path, headers={"If-None-Match": feed.headers["ETag"]}).status_code == 304

    comms.post("/comms/1", {**ITEM, "deadline": "2027-01-25"})
    moved = anonymous.get(path, headers={"If-None-Match": feed.headers["ETag"]})
    assert moved.status_code == 200 and moved.headers["ETag"] != feed.headers["ETag"]
    event = Calendar.from_ical(moved.data).walk("VEVENT")[0]
    assert event["DTSTART"].dt.isoformat() == "2027-01-25" and int(event["SEQUENCE"]) == 1


def test_a_comms_feed_can_be_given_a_new_address_and_revoked(
        comms: AuthActions, client: FlaskClient) -> None:
    old = comms_feed_path(comms)
    listed = client.get("/account/feeds").get_data(as_text=True)
    assert "the comms plan" in listed
    renewed = comms.post("/account/feeds/1/regenerate")
    new = TOKEN_URL.search(renewed.get_data(as_text=True))
    assert new and renewed.headers["Content-Type"] == "text/html; charset=utf-8"
    assert client.get(old).status_code == 404 and client.get(new.group(1)).status_code == 200
    comms.post("/account/feeds/1/revoke")
    assert client.get(new.group(1)).status_code == 404


def test_an_unknown_kind_of_private_feed_is_refused(comms: AuthActions) -> None:
    response = comms.post("/account/feeds", {"name": "Odd", "content": "secrets"})
    assert response.status_code == 400
    assert "Unknown kind of private feed." in response.get_data(as_text=True)


def test_a_deactivated_owners_comms_feed_stops(comms: AuthActions, client: FlaskClient,
                                               session: Session) -> None:
    path = comms_feed_path(comms)
    user = session.scalars(select(User).where(User.email == "comms@blg.int")).one()
    user.active = False
    session.commit()
    assert client.application.test_client().get(path).status_code == 404


@pytest.mark.parametrize(("words", "title", "deadline"), [
    ("African World Heritage Day (5 May 2027", "African World Heritage Day and World Migratory "
     "Bird Day", "2027-04-21"),
    ("UNEP UNEA-7", "UNEA-7", "2026-11-27"),  # past: due today at the earliest
])
def test_an_item_planned_from_an_opportunity_starts_short_with_a_lead_time_and_links_back(
        comms: AuthActions, client: FlaskClient, words: str, title: str, deadline: str) -> None:
    found = next(o for o in client.get("/api/v1/opportunities").get_json()["opportunities"]
                 if o["explanation"].startswith(words) or words in o["explanation"][:40])
    form = client.get(f"/comms/new?opportunity={found['key']}").get_data(as_text=True)
    assert re.search(rf'name="title" [^>]*value="{re.escape(title)}"', form)
    assert re.search(rf'name="deadline" [^>]*value="{deadline}"', form)
    assert found["explanation"] in form  # the why stays beside the form, not in the title
    comms.post("/comms/new", {**ITEM, "title": title, "opportunity_key": found["key"]})
    board = client.get("/comms").get_data(as_text=True)
    link = re.search(r'href="(/opportunities\?key=[^"]+)">The opportunity', board)
    assert link
    page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert found["explanation"].split(" (")[0] in page and page.count('class="finding"') == 1
