"""Clashes, opportunities, the timeline and the comms plan on the shipped calendar."""

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event, User
from blgcal.services.event_rows import to_domain
from blgcal.services.events import save_event
from blgcal.services.history import Actor

from ..conftest import AuthActions
from .test_comms_feed import comms_feed_path

pytestmark = pytest.mark.usefixtures("seeded")
COP20_GB11 = "ITPGRFA GB-11 (Lima, 24–29 Nov 2025) overlaps CITES CoP20 (Samarkand, 24 Nov–5 Dec 2025)"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def clash_key(client: FlaskClient, words: str) -> str:
    clashes = client.get("/api/v1/clashes?acknowledged=1").get_json()["clashes"]
    return next(c["key"] for c in clashes if words in c["explanation"])


def test_the_clashes_page_shows_the_november_2025_double_booking(client: FlaskClient) -> None:
    page = text_of(client.get("/clashes").get_data(as_text=True))
    assert COP20_GB11 in page
    assert "CITES CoP20 (Samarkand, 24 Nov–5 Dec 2025) overlaps WHC 20EXT (Paris, 25 Nov 2025)" in page
    assert "ITPGRFA GB-11 (Lima, 24–29 Nov 2025) overlaps WHC 20EXT (Paris, 25 Nov 2025)" in page


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("?body=itpgrfa", ["GB-11"], ["UNOC3"]),
    ("?severity=info", ["Jamhuri Day"], ["overlaps"]),
    ("?kind=travel", ["journey needs"], ["overlaps"]),
    ("?from=2025-11-22&to=2025-11-30", ["CoP20"], ["UNOC3", "WHC 47"]),
])
def test_clash_filters_narrow_the_list(client: FlaskClient, query: str, present: list[str],
                                       absent: list[str]) -> None:
    page = text_of(client.get("/clashes" + query).get_data(as_text=True)).split("Filter", 1)[1]
    page = page.split("</summary>")[-1]
    assert all(p in page for p in present) and not any(a in page for a in absent)


def test_the_clashes_api_names_event_ids_and_explains(client: FlaskClient,
                                                      session: Session) -> None:
    clashes = client.get("/api/v1/clashes?body=itpgrfa&severity=block").get_json()["clashes"]
    cop20 = session.scalars(select(Event.id).where(Event.code == "CITES CoP20")).one()
    gb11 = session.scalars(select(Event.id).where(Event.code == "ITPGRFA GB-11")).one()
    first = next(c for c in clashes if set(c["events"]) == {cop20, gb11})
    assert first["kind"] == "overlap" and first["severity"] == "block"
    assert first["explanation"].startswith(COP20_GB11)


@pytest.mark.parametrize(("query", "field"), [
    ("severity=fatal", "severity"), ("kind=typo", "kind"), ("body=wwf", "body"),
    ("from=2025-02-30", "from"), ("acknowledged=maybe", "acknowledged"),
])
def test_bad_finding_filters_are_a_400_naming_the_parameter(client: FlaskClient, query: str,
                                                            field: str) -> None:
    response = client.get(f"/api/v1/clashes?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field


def test_an_acknowledged_clash_leaves_the_list_until_its_events_change(
        app: Flask, client: FlaskClient, session: Session, auth: AuthActions,
        create_user: Callable[..., User]) -> None:
    create_user("comms@blg.int", role="comms")
    auth.login("comms@blg.int")
    key = clash_key(client, COP20_GB11)
    response = auth.post("/clashes/acknowledge", {"key": key, "note": "Different delegations"})
    assert response.status_code == 302
    assert COP20_GB11 not in text_of(client.get("/clashes").get_data(as_text=True))
    shown = text_of(client.get("/clashes?acknowledged=1").get_data(as_text=True))
    assert COP20_GB11 in shown and "acknowledged" in shown
    runner = app.test_cli_runner()
    assert COP20_GB11 not in runner.invoke(args=["clashes"]).output
    listed = [line for line in runner.invoke(args=["clashes", "--all"]).output.splitlines()
              if COP20_GB11 in line]
    assert len(listed) == 1 and listed[0].endswith("(acknowledged)")
    api = client.get("/api/v1/clashes?acknowledged=1").get_json()["clashes"]
    assert [c["acknowledged"] for c in api if c["key"] == key] == [True]
    history = client.get(f"/clashes/history/{key}").get_data(as_text=True)
    assert "Different delegations" in history and "comms@blg.int" in history

    row = session.scalars(select(Event).where(Event.code == "ITPGRFA GB-11")).one()
    save_event(session, replace(to_domain(row), venue="Lima Convention Center"), row=row,
               now=datetime(2026, 11, 27, 12, tzinfo=UTC), actor=Actor("t", "cli"))
    session.commit()
    assert COP20_GB11 in text_of(client.get("/clashes").get_data(as_text=True))


def test_acknowledging_needs_a_note(client: FlaskClient, auth: AuthActions,
                                    create_user: Callable[..., User]) -> None:
    create_user("comms@blg.int", role="comms")
    auth.login("comms@blg.int")
    key = clash_key(client, COP20_GB11)
    auth.post("/clashes/acknowledge", {"key": key, "note": ""})
    assert COP20_GB11 in text_of(client.get("/clashes").get_data(as_text=True))


@pytest.mark.parametrize(("kind", "words"), [
    ("co_location", "BLG 2025-02 (Rome, 21 Feb 2025) and CBD COP16 (resumed, Rome, 25–27 Feb 2025)"),
    ("observance", "International Day for the Conservation of the Mangrove Ecosystem"),
    ("convening", "UNEA-7 (Nairobi, 8–12 Dec 2025)"),
])
def test_the_opportunities_page_shows_the_real_joint_moments(client: FlaskClient, kind: str,
                                                             words: str) -> None:
    page = text_of(client.get(f"/opportunities?kind={kind}").get_data(as_text=True))
    assert words in page
    api = client.get(f"/api/v1/opportunities?kind={kind}").get_json()["opportunities"]
    match = next(item for item in api if words in item["explanation"])
    assert match["events"] and all(item["kind"] == kind for item in api)


def test_mangrove_day_falls_during_ramsar_cop15(client: FlaskClient) -> None:
    found = client.get("/api/v1/opportunities?kind=observance&body=ramsar").get_json()
    item = next(o for o in found["opportunities"] if "Mangrove" in o["explanation"])
    assert "Ramsar COP15" in item["explanation"] and item["start"] <= "2025-07-26" <= item["end"]


def test_a_comms_officer_turns_an_opportunity_into_a_plan_item_in_the_feed(
        client: FlaskClient, auth: AuthActions, create_user: Callable[..., User]) -> None:
    create_user("comms@blg.int", role="comms")
    auth.login("comms@blg.int")
    unea = next(o for o in client.get("/api/v1/opportunities?kind=convening").get_json()
                ["opportunities"] if "UNEA-7" in o["explanation"])
    form = client.get(f"/comms/new?opportunity={unea['key']}").get_data(as_text=True)
    assert "UNEA-7" in form
    response = auth.post("/comms/new", {
        "title": "Joint statement at UNEA-8", "owner_bodies": ["unep", "cbd"],
        "channel": "statement", "deadline": "2027-11-15", "status": "planned",
        "notes": "Internal: draft with legal", "opportunity_key": unea["key"]})
    assert response.status_code == 302
    board = text_of(client.get("/comms").get_data(as_text=True))
    assert "Joint statement at UNEA-8" in board.split("Planned", 1)[1]
    feed = client.get(comms_feed_path(auth))
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Joint statement: Joint statement at UNEA-8"]
    assert events[0]["DTSTART"].dt.isoformat() == "2027-11-15"
    assert b"Internal" not in feed.data
    assert "Already in the" in client.get("/opportunities?kind=convening").get_data(as_text=True)


def test_moving_a_plan_items_deadline_raises_its_sequence(
        client: FlaskClient, auth: AuthActions, create_user: Callable[..., User]) -> None:
    create_user("comms@blg.int", role="comms")
    auth.login("comms@blg.int")
    item = {"title": "Wetlands Day posts", "owner_bodies": ["ramsar"], "channel": "social_media",
            "deadline": "2027-01-20", "status": "idea", "notes": ""}
    auth.post("/comms/new", item)
    auth.post("/comms/1", {**item, "deadline": "2027-01-25"})
    event = Calendar.from_ical(client.get(comms_feed_path(auth)).data).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and event["DTSTART"].dt.isoformat() == "2027-01-25"


def test_the_timeline_is_an_svg_with_a_bar_linking_each_meeting(client: FlaskClient,
                                                                session: Session) -> None:
    html = client.get("/timeline?year=2025").get_data(as_text=True)
    cop20 = session.scalars(select(Event.id).where(Event.code == "CITES CoP20")).one()
    assert html.count("<svg") == 2  # a phone layout and a desktop one
    assert f'href="/events/{cop20}"' in html and 'class="bar clash"' in html
    download = client.get("/timeline.svg?year=2025&body=cites")
    assert download.headers["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in download.headers["Content-Disposition"]
    assert f'http://localhost/events/{cop20}' in download.get_data(as_text=True)
    assert client.get("/timeline?year=soon").status_code == 400


def test_the_event_page_lists_its_clashes(client: FlaskClient, session: Session) -> None:
    cop20 = session.scalars(select(Event.id).where(Event.code == "CITES CoP20")).one()
    page = text_of(client.get(f"/events/{cop20}").get_data(as_text=True))
    assert "Clashes" in page and COP20_GB11 in page


def test_the_form_shows_the_clashes_a_new_meeting_would_create_before_saving(
        client: FlaskClient, session: Session, auth: AuthActions,
        create_user: Callable[..., User]) -> None:
    create_user("cms@blg.int", role="editor", bodies=["cms"])
    auth.login("cms@blg.int")
    before = session.scalars(select(Event.id)).all()
    response = auth.post("/events/new", {
        "bodies": ["cms"], "kind": "governing_body", "status": "confirmed", "visibility": "public",
        "parent_id": "", "code": "CMS COP16", "title": "16th meeting of the CMS COP",
        "timing": "all_day", "start_date": "2025-11-26", "end_date": "2025-11-28",
        "city": "Bonn", "country": "DE", "timezone": "Europe/Berlin", "check": "1"})
    page = text_of(response.get_data(as_text=True))
    assert response.status_code == 200 and "Clashes if saved as it stands" in page
    assert "CMS COP16 (Bonn, 26–28 Nov 2025) overlaps" in page or "overlaps CMS COP16" in page
    assert session.scalars(select(Event.id)).all() == before


def test_the_cli_prints_the_same_clashes_as_the_api(runner: FlaskCliRunner,
                                                    client: FlaskClient) -> None:
    printed = json.loads(runner.invoke(args=["clashes", "--json", "--body", "itpgrfa"]).output)
    assert printed == client.get("/api/v1/clashes?body=itpgrfa").get_json()
    text = runner.invoke(args=["opportunities", "--kind", "co_location"]).output
    assert "BLG 2025-02 (Rome, 21 Feb 2025)" in text
    bad = runner.invoke(args=["clashes", "--severity", "fatal"])
    assert bad.exit_code == 2 and "unknown severity 'fatal'" in bad.output
