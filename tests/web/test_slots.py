"""The slot finder over HTTP: the public page and API, and holding a slot.

The app runs on the shipped calendar with today pinned to 15 January 2026,
when the BLG was looking for a February date near SBI-6 in Rome.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event, Revision, User

from ..conftest import AuthActions, csrf_token

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(TODAY=date(2026, 1, 15))


def sbi6(session: Session) -> int:
    return session.scalars(select(Event.id).where(Event.code == "SBI-6")).one()


def february(session: Session, **extra: str) -> str:
    return urlencode({"from": "2026-02-01", "to": "2026-03-15", "body": "blg", "days": "1",
                      "near": sbi6(session), **extra})


def test_the_api_proposes_the_friday_after_sbi6_in_rome(client: FlaskClient,
                                                        session: Session) -> None:
    answer = client.get(f"/api/v1/slots?{february(session)}").get_json()
    top = answer["slots"][0]
    assert (top["start"], top["end"], top["city"], top["venue"]) == (
        "2026-02-20", "2026-02-20", "Rome", "FAO Headquarters")
    assert "The working day after CBD SBI-6" in top["reasons"][0]
    assert set(top) >= {"start", "end", "score", "reasons", "conflicts", "local_times"}
    assert answer["explanation"]["summary"].startswith("30 slots in 1 Feb\u201315 Mar 2026")
    assert [day["date"] for day in answer["days"]][:2] == ["2026-02-01", "2026-02-02"]


def test_the_api_answers_virtual_slots_with_each_secretariats_local_times(
        client: FlaskClient) -> None:
    answer = client.get("/api/v1/slots?from=2026-02-01&to=2026-03-15&minutes=90&body=blg"
                        "&limit=50").get_json()
    for slot in answer["slots"]:
        local = slot["local_times"]
        assert set(local) == {"cbd", "cites", "cms", "ramsar", "whc", "ippc", "itpgrfa", "iwc"}
        assert local["cbd"]["timezone"] == "America/Toronto"
        summer = slot["start"] >= "2026-03-08"  # Montreal moves its clocks on 8 March
        assert local["cbd"]["start"].endswith("-04:00" if summer else "-05:00")
        assert local["iwc"]["out_of_hours_minutes"] == 0


@pytest.mark.parametrize(("query", "field"), [
    ("body=nobody&days=1&city=Rome&country=IT", "body"),
    ("body=cbd&days=1&city=Rome&country=IT&from=2026-03-01&to=2026-02-01", "from"),
    ("body=cbd&days=1&city=Rome&country=IT&from=2026-01-01&to=2027-01-02", "to"),
    ("body=cbd&days=1&minutes=60", "minutes"),
    ("body=cbd&days=1&near=999999", "near"),
    ("body=cbd&days=1&city=Nowhere&country=IT", "city"),
    ("body=blg&minutes=60&repeat=2&every=fortnight", "every"),
])
def test_bad_input_is_a_400_naming_the_parameter(client: FlaskClient, query: str,
                                                 field: str) -> None:
    response = client.get(f"/api/v1/slots?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_the_page_is_public_and_shows_reasons_and_the_strip(client: FlaskClient,
                                                            session: Session) -> None:
    response = client.get(f"/slots?{february(session, mode='in_person', minutes='90')}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fri 20 Feb 2026 · Rome" in html and "same venue: no extra journey" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="slot-strip"') == 2
    assert "Fri 20 Feb 2026: slot 1" in html and "Sat 21 Feb 2026: weekend in Italy" in html
    assert "Hold this slot" not in html


def test_the_page_explains_bad_input_beside_the_form(client: FlaskClient) -> None:
    response = client.get("/slots?body=blg&mode=in_person&days=1&from=2026-02-01&to=2026-03-15")
    assert response.status_code == 400
    assert "Please check <strong>city</strong>" in response.get_data(as_text=True)


def test_the_page_without_a_search_shows_the_form_with_all_members_ticked(
        client: FlaskClient) -> None:
    html = client.get("/slots").get_data(as_text=True)
    assert 'name="body" value="blg" checked' in html and "Candidates" not in html


def hold(client: FlaskClient, query: str, key: str, *, token: bool = True) -> object:
    data = {"key": key, "query": query}
    if token:
        data["csrf_token"] = csrf_token(client, "/slots")
    return client.post("/slots/hold", data=data)


def test_holding_a_slot_makes_a_tentative_blg_meeting_that_later_searches_avoid(
        client: FlaskClient, auth: AuthActions, session: Session,
        create_user: Callable[..., User]) -> None:
    create_user("chair@blg.int", role="editor", bodies=["blg"])
    auth.login("chair@blg.int")
    query = february(session)
    response = hold(client, query, "2026-02-20")
    assert response.status_code == 302  # type: ignore[attr-defined]
    held = session.scalars(select(Event).where(Event.start_date == date(2026, 2, 20))).one()
    assert (held.kind, held.status, held.city, held.country, held.venue, held.bodies) == (
        "blg_meeting", "tentative", "Rome", "IT", "FAO Headquarters", ("blg",))
    assert response.headers["Location"].endswith(f"/events/{held.id}")  # type: ignore[attr-defined]
    revision = session.scalars(select(Revision).where(Revision.event_id == held.id)).one()
    assert (revision.action, revision.via, revision.actor_label) == (
        "create", "slot finder", "chair@blg.int")
    again = client.get(f"/api/v1/slots?{query}&limit=50").get_json()
    assert "2026-02-20" not in [slot["start"] for slot in again["slots"]]
    day = next(day for day in again["days"] if day["date"] == "2026-02-20")
    assert day["causes"] == ["busy"]
    assert day["notes"] == ["8 required bodies in session at BLG 2026-02 (Rome, 20 Feb 2026)"]
    assert held.uid in client.get("/feeds/blg.ics").get_data(as_text=True)
    opportunities = client.get("/api/v1/opportunities?from=2026-02-01&to=2026-02-28").get_json()
    assert any(held.id in item["events"] for item in opportunities["opportunities"])


def test_releasing_a_held_slot_is_a_normal_cancel(client: FlaskClient, auth: AuthActions,
                                                  session: Session,
                                                  create_user: Callable[..., User]) -> None:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    query = february(session)
    hold(client, query, "2026-02-20")
    held = session.scalars(select(Event.id).where(Event.start_date == date(2026, 2, 20))).one()
    assert auth.post(f"/events/{held}/cancel", {"confirm": "1"}).status_code == 302
    again = client.get(f"/api/v1/slots?{query}").get_json()
    assert again["slots"][0]["start"] == "2026-02-20"


def test_a_slot_no_longer_offered_cannot_be_held(client: FlaskClient, auth: AuthActions,
                                                 session: Session,
                                                 create_user: Callable[..., User]) -> None:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    query = february(session)
    before = session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
    response = hold(client, query, "2026-02-21")  # a Saturday
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert "/slots?" in response.headers["Location"]  # type: ignore[attr-defined]
    assert session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) == before


@pytest.mark.parametrize(("role", "bodies"), [("viewer", []), ("editor", ["cbd"]),
                                              ("comms", [])])
def test_only_admins_and_blg_editors_may_hold(client: FlaskClient, auth: AuthActions,
                                              session: Session, create_user: Callable[..., User],
                                              role: str, bodies: list[str]) -> None:
    create_user("someone@blg.int", role=role, bodies=bodies)
    auth.login("someone@blg.int")
    response = hold(client, february(session), "2026-02-20")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert session.scalars(select(Event).where(Event.start_date == date(2026, 2, 20))).all() == []


def test_a_hold_without_a_csrf_token_is_refused(client: FlaskClient, auth: AuthActions,
                                                session: Session,
                                                create_user: Callable[..., User]) -> None:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    response = hold(client, february(session), "2026-02-20", token=False)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert session.scalars(select(Event).where(Event.start_date == date(2026, 2, 20))).all() == []


def test_holders_see_a_hold_button_per_candidate(client: FlaskClient, auth: AuthActions,
                                                 session: Session,
                                                 create_user: Callable[..., User]) -> None:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    html = client.get(f"/slots?{february(session, limit='3')}").get_data(as_text=True)
    assert html.count("Hold this slot") == 3 and 'name="key" value="2026-02-20"' in html


def test_the_virtual_page_shows_utc_times_and_each_secretariats_clock(
        client: FlaskClient) -> None:
    html = client.get("/slots?mode=virtual&from=2026-03-09&to=2026-03-09&minutes=90&days=1"
                      "&body=cbd&body=iwc&city=Rome").get_data(as_text=True)
    assert "Mon 9 Mar 2026, 14:30–16:00 UTC" in html  # the middle of 13:00-18:00 UTC
    assert "<td>CBD</td><td>10:30–12:00 <span class=\"hint\">America/Toronto</span>" in html
