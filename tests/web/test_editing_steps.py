"""What a new editor trips over (issue #10): side events, clash checks, conflicts, confirmations."""

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event, User

from ..conftest import AuthActions
from ..support.html_forms import as_data, form_pairs

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def cms_editor(auth: AuthActions, create_user: Callable[..., User]) -> AuthActions:
    create_user("cms@blg.int", role="editor", bodies=["cms"])
    auth.login("cms@blg.int")
    return auth


def event_id(session: Session, code: str) -> int:
    session.expire_all()
    return session.scalars(select(Event.id).where(Event.code == code)).one()


def new_side_event(editor: AuthActions, parent: int, **changes: str) -> int:
    """Add a side event from the meeting's "Add a side event" form, as pre-filled."""
    pairs = form_pairs(editor.client.get(f"/events/new?parent={parent}").text, "event-form")
    data = as_data(pairs, title="Flyways side event", code="SE-FLY", start_time="13:00",
                   end_time="14:30", **changes)
    response = editor.client.post("/events/new", data=data)
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_meeting_page_offers_a_side_event_that_starts_from_the_meeting(
        cms_editor: AuthActions, session: Session) -> None:
    cop15 = event_id(session, "CMS COP15")
    page = cms_editor.client.get(f"/events/{cop15}").get_data(as_text=True)
    assert f'href="/events/new?parent={cop15}">Add a side event</a>' in page
    form = as_data(form_pairs(cms_editor.client.get(f"/events/new?parent={cop15}").text,
                             "event-form"))
    assert form["parent_id"] == [str(cop15)] and form["kind"] == ["side_event"]
    assert (form["venue"], form["city"], form["country"], form["timezone"]) == (
        ["Bosque Expo"], ["Campo Grande"], ["BR"], ["America/Campo_Grande"])
    assert form["timing"] == ["timed"] and form["start_date"] == ["2026-03-23"]
    assert form["bodies"] == ["cms"]


def test_an_editor_of_another_body_may_add_a_side_event_but_not_edit_the_meeting(
        auth: AuthActions, create_user: Callable[..., User], session: Session) -> None:
    create_user("cites@blg.int", role="editor", bodies=["cites"])
    auth.login("cites@blg.int")
    page = auth.client.get(f"/events/{event_id(session, 'CMS COP15')}").text
    assert "Add a side event" in page and "Delete" not in page
    form = as_data(form_pairs(auth.client.get(
        f"/events/new?parent={event_id(session, 'CMS COP15')}").text, "event-form"))
    assert "bodies" not in form  # CMS is not theirs to name; they pick their own


def test_an_empty_time_zone_is_taken_from_the_city(cms_editor: AuthActions,
                                                   session: Session) -> None:
    side = session.get(Event, new_side_event(cms_editor, event_id(session, "CMS COP15"),
                                             timezone=""))
    assert side is not None and side.timezone == "America/Campo_Grande"
    assert side.start_dt is not None and side.start_dt.hour == 17  # 13:00 at UTC-4
    answer = cms_editor.client.get("/events/zone?city=Gland&country=CH").get_json()
    assert answer == {"timezone": "Europe/Zurich"}
    assert cms_editor.client.get("/events/zone?city=Atlantis&country=CH").get_json() == {
        "timezone": None}


def test_visitors_and_side_events_get_no_side_event_link(
        app: Flask, cms_editor: AuthActions, session: Session) -> None:
    cop15 = event_id(session, "CMS COP15")
    assert "Add a side event" not in app.test_client().get(f"/events/{cop15}").text
    side = new_side_event(cms_editor, cop15)
    assert "Add a side event" not in cms_editor.client.get(f"/events/{side}").text


def test_check_clashes_answers_above_the_form_and_keeps_what_was_typed(
        cms_editor: AuthActions, session: Session) -> None:
    cop15 = event_id(session, "CMS COP15")
    pairs = form_pairs(cms_editor.client.get(f"/events/{cop15}/edit").text, "event-form")
    response = cms_editor.client.post(f"/events/{cop15}/edit", data=as_data(
        pairs, end_date="2026-03-30", description="Typed, not saved", check="1"))
    page = response.get_data(as_text=True)
    assert page.index('id="preview"') < page.index('class="stacked event-form"')
    kept = as_data(form_pairs(page, "event-form"))
    assert kept["end_date"] == ["2026-03-30"] and kept["description"] == ["Typed, not saved"]


def test_a_conflicting_edit_can_be_reapplied_in_one_click_keeping_the_other_change(
        app: Flask, cms_editor: AuthActions, create_user: Callable[..., User],
        session: Session) -> None:
    cop15 = event_id(session, "CMS COP15")
    mine = form_pairs(cms_editor.client.get(f"/events/{cop15}/edit").text, "event-form")
    create_user("other@blg.int", role="editor", bodies=["cms"])
    other = AuthActions(app.test_client())
    other.login("other@blg.int")
    theirs = form_pairs(other.client.get(f"/events/{cop15}/edit").text, "event-form")
    assert other.client.post(f"/events/{cop15}/edit",
                             data=as_data(theirs, city="Bonito")).status_code == 302

    response = cms_editor.client.post(f"/events/{cop15}/edit", data=as_data(
        mine, end_date="2026-03-28", description="Opening on Monday"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Opening on Monday" in page and "Bonito" in page and "not changed by you" in page
    row = session.get(Event, cop15)
    assert row is not None and row.description is None  # nothing saved yet

    again = form_pairs(page, "actions")
    assert cms_editor.client.post(f"/events/{cop15}/edit",
                                  data=as_data(again)).status_code == 302
    session.expire_all()
    row = session.get(Event, cop15)
    assert row is not None
    assert (row.city, row.description, str(row.end_date)) == (
        "Bonito", "Opening on Monday", "2026-03-28")
    assert row.source_url == "https://www.cms.int/en/news/press-release-brazil-host-cmscop15"


def test_destructive_actions_are_links_to_a_confirmation_not_buttons(
        cms_editor: AuthActions, session: Session) -> None:
    cop15 = event_id(session, "CMS COP15")
    page = cms_editor.client.get(f"/events/{cop15}").get_data(as_text=True)
    assert f'action="/events/{cop15}/cancel"' not in page
    assert f'action="/events/{cop15}/delete"' not in page
    assert f'<a class="quiet" href="/events/{cop15}/cancel">Mark cancelled…</a>' in page
    confirm = cms_editor.client.get(f"/events/{cop15}/delete").get_data(as_text=True)
    assert "Delete CMS COP15?" in confirm and "restore it" in confirm
    assert 'name="csrf_token"' in confirm and 'name="confirm" value="1"' in confirm
    row = session.get(Event, cop15)
    assert row is not None and row.deleted_dt is None
