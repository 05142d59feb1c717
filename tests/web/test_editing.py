"""Keeping events through the forms: create, validate, edit, conflicts, history, trash."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.models import Event, Revision, User

from ..conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")

MEETING = {
    "bodies": ["cbd"], "kind": "subsidiary_body", "status": "confirmed", "visibility": "public",
    "parent_id": "", "code": "SBSTTA-29", "title": "29th meeting of SBSTTA", "timing": "all_day",
    "start_date": "2027-05-10", "end_date": "2027-05-14", "timezone": "Africa/Nairobi",
    "city": "Nairobi", "country": "KE", "url": "https://www.cbd.int/sbstta", "tags": "science",
}
# The second step of a destructive action (the first is its confirmation page).
CONFIRM = {"confirm": "1"}


@pytest.fixture
def editor(auth: AuthActions, create_user: Callable[..., User]) -> AuthActions:
    create_user("cbd@blg.int", role="editor", bodies=["cbd"])
    auth.login("cbd@blg.int")
    return auth


def row_by_code(session: Session, code: str) -> Event:
    session.expire_all()
    return session.scalars(select(Event).where(Event.code == code)).one()


def create(editor: AuthActions, **changes: Any) -> Any:
    return editor.post("/events/new", {**MEETING, **changes})


def test_an_editor_creates_a_meeting_and_a_timed_side_event_inside_it(
        editor: AuthActions, session: Session, client: FlaskClient) -> None:
    assert create(editor).status_code == 302
    meeting = row_by_code(session, "SBSTTA-29")
    response = create(editor, code="SE-1", title="Side event on ocean science",
                      kind="side_event", parent_id=str(meeting.id), timing="timed",
                      start_date="2027-05-11", end_date="2027-05-11", start_time="13:15",
                      end_time="14:45")
    assert response.status_code == 302
    side = row_by_code(session, "SE-1")
    assert side.parent_id == meeting.id and side.start_date is None
    # 13:15 in Nairobi (UTC+3) is 10:15 UTC.
    assert side.start_dt == datetime(2027, 5, 11, 10, 15, tzinfo=UTC)
    assert side.end_dt == datetime(2027, 5, 11, 11, 45, tzinfo=UTC)
    page = client.get(f"/events/{meeting.id}").get_data(as_text=True)
    assert "Side event on ocean science" in page
    revision = session.scalars(select(Revision).where(Revision.event_id == side.id)).one()
    assert (revision.action, revision.via, revision.actor_label) == ("create", "form", "cbd@blg.int")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"end_date": "2027-05-09"}, "end_date", "The last day is before the first day."),
    ({"url": "javascript:alert(1)"}, "url", "Only http:// and https:// addresses"),
    ({"url": "data:text/html,hi"}, "url", "Only http:// and https:// addresses"),
    ({"timing": "timed", "start_time": "10:00", "end_time": "11:00", "timezone": "Mars/Olympus"},
     "timezone", "is not an IANA time zone"),
    ({"timing": "timed", "start_time": "10:00", "end_time": "09:00",
      "end_date": "2027-05-10"}, "end_time", "ends before it starts"),
    ({"country": "XX"}, "country", "is not a known country"),
    ({"title": ""}, "title", "This field is required."),
    ({"bodies": ["cites"]}, "bodies", "&#39;cites&#39; is not a valid choice"),
    ({"timing": "undated", "expected": "2027-14"}, "expected", "is not a year"),
])
def test_invalid_input_is_refused_with_the_error_next_to_the_field(
        editor: AuthActions, session: Session, changes: dict[str, str], field: str,
        message: str) -> None:
    before = session.scalar(select(func.count()).select_from(Event))
    response = create(editor, **changes)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    errors = re.search(rf'id="{field}-errors"[^>]*>(.*?)</ul>', html, re.S)
    assert errors and message in errors.group(1)
    assert session.scalar(select(func.count()).select_from(Event)) == before


def test_a_side_event_outside_its_meetings_dates_is_refused(editor: AuthActions,
                                                           session: Session) -> None:
    create(editor)
    meeting = row_by_code(session, "SBSTTA-29")
    response = create(editor, code="SE-2", title="Too late", kind="side_event",
                      parent_id=str(meeting.id), start_date="2027-05-15", end_date="2027-05-15")
    assert "must fall within its meeting&#39;s dates (2027-05-10 to 2027-05-14)" in \
        response.get_data(as_text=True)


def test_editing_raises_sequence_only_for_material_changes(editor: AuthActions,
                                                          session: Session) -> None:
    create(editor)
    row = row_by_code(session, "SBSTTA-29")
    editor.post(f"/events/{row.id}/edit", {**MEETING, "description": "Agenda soon",
                                           "version": str(row.version)})
    row = row_by_code(session, "SBSTTA-29")
    assert (row.sequence, row.description) == (0, "Agenda soon")
    editor.post(f"/events/{row.id}/edit", {**MEETING, "description": "Agenda soon",
                                           "city": "Gigiri", "version": str(row.version)})
    assert row_by_code(session, "SBSTTA-29").sequence == 1


def test_a_stale_edit_gets_409_and_overwrites_nothing(app: Flask, editor: AuthActions,
                                                     session: Session,
                                                     create_user: Callable[..., User]) -> None:
    create(editor)
    row = row_by_code(session, "SBSTTA-29")
    seen = str(row.version)
    create_user("other@blg.int", role="editor", bodies=["cbd"])
    other = AuthActions(app.test_client())
    other.login("other@blg.int")
    assert other.post(f"/events/{row.id}/edit", {**MEETING, "city": "Mombasa",
                                                 "version": seen}).status_code == 302
    response = editor.post(f"/events/{row.id}/edit", {**MEETING, "city": "Kisumu",
                                                      "version": seen})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Mombasa" in page and "Kisumu" in page and "Nothing you submitted has been saved" in page
    assert row_by_code(session, "SBSTTA-29").city == "Mombasa"


def test_history_shows_each_change_and_revert_restores_it(editor: AuthActions,
                                                         session: Session) -> None:
    create(editor)
    row = row_by_code(session, "SBSTTA-29")
    for city in ("Mombasa", "Kisumu"):
        current = row_by_code(session, "SBSTTA-29")
        editor.post(f"/events/{row.id}/edit", {**MEETING, "city": city,
                                               "version": str(current.version)})
    history = editor.client.get(f"/events/{row.id}/history").get_data(as_text=True)
    assert "Mombasa" in history and "Kisumu" in history and "cbd@blg.int" in history
    first = session.scalars(select(Revision).where(Revision.event_id == row.id)
                            .order_by(Revision.id)).first()
    assert first is not None
    assert editor.post(f"/events/{row.id}/revert/{first.id}", CONFIRM).status_code == 302
    reverted = row_by_code(session, "SBSTTA-29")
    assert reverted.city == "Nairobi" and reverted.sequence == 3
    last = session.scalars(select(Revision).where(Revision.event_id == row.id)
                           .order_by(Revision.id.desc())).first()
    assert last is not None and last.action == f"revert to #{first.id}"
    assert last.changes["city"] == ["Kisumu", "Nairobi"]


def test_cancel_keeps_the_event_and_marks_it(editor: AuthActions, session: Session,
                                             client: FlaskClient) -> None:
    create(editor)
    row = row_by_code(session, "SBSTTA-29")
    editor.post(f"/events/{row.id}/cancel", CONFIRM)
    row = row_by_code(session, "SBSTTA-29")
    assert row.status.value == "cancelled" and row.sequence == 1
    assert client.get(f"/events/{row.id}").status_code == 200


def test_delete_moves_to_the_trash_and_restore_brings_it_back(
        editor: AuthActions, session: Session, app: Flask) -> None:
    create(editor)
    row = row_by_code(session, "SBSTTA-29")
    editor.post(f"/events/{row.id}/delete", CONFIRM)
    anonymous = app.test_client()
    assert anonymous.get(f"/events/{row.id}").status_code == 404
    assert "SBSTTA-29" not in anonymous.get("/api/v1/events?per_page=500").get_data(as_text=True)
    assert "SBSTTA-29" in editor.client.get("/trash").get_data(as_text=True)
    editor.post(f"/events/{row.id}/restore")
    assert anonymous.get(f"/events/{row.id}").status_code == 200
    actions = [r.action for r in session.scalars(
        select(Revision).where(Revision.event_id == row.id).order_by(Revision.id))]
    assert actions == ["create", "delete", "restore"]


def test_only_an_admin_purges_and_only_after_thirty_days(
        app: Flask, editor: AuthActions, session: Session,
        create_user: Callable[..., User]) -> None:
    create(editor)
    event_id = row_by_code(session, "SBSTTA-29").id
    editor.post(f"/events/{event_id}/delete", CONFIRM)
    create_user("root@blg.int", role="admin")
    admin = AuthActions(app.test_client())
    admin.login("root@blg.int")
    assert editor.post(f"/trash/{event_id}/purge", CONFIRM).status_code == 403
    admin.post(f"/trash/{event_id}/purge", CONFIRM)
    assert row_by_code(session, "SBSTTA-29").deleted_dt is not None  # too recent: kept
    stored = row_by_code(session, "SBSTTA-29")
    stored.deleted_dt = datetime.now(UTC) - timedelta(days=31)
    uid = stored.uid
    session.commit()
    admin.post(f"/trash/{event_id}/purge", CONFIRM)
    session.expire_all()
    assert session.get(Event, event_id) is None
    trail = session.scalars(select(Revision.action).where(Revision.event_uid == uid)
                            .order_by(Revision.id)).all()
    assert trail == ["create", "delete", "purge"]


def test_staff_only_events_are_seen_by_signed_in_staff(editor: AuthActions, app: Flask,
                                                       session: Session) -> None:
    create(editor, visibility="staff", code="HOS-RETREAT", title="Heads of secretariat retreat")
    row = row_by_code(session, "HOS-RETREAT")
    assert editor.client.get(f"/events/{row.id}").status_code == 200
    assert "HOS-RETREAT" in editor.client.get("/").get_data(as_text=True)
    assert app.test_client().get(f"/events/{row.id}").status_code == 404
