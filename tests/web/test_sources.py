"""The harvest health page and the admin pages that add, change and disable sources."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event, Source, User

from ..conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")
GOOD = (b"body,code,title,start,end,city\r\n"
        b"cbd,RM-9,Resource mobilisation workshop,2027-02-10,2027-02-12,Rome\r\n")
BAD = b"body,code,title,start,end\r\ncbd,RM-9,Workshop,2027-02-30,2027-03-01\r\n"
FORM = {"name": "CBD sheet", "body_slug": "cbd", "kind": "csv", "url": "", "enabled": "y",
        "window_back_days": "180", "window_ahead_days": "1095", "on_vanish": "cancel"}


@pytest.fixture
def admin(create_user: Callable[..., User], auth: AuthActions) -> AuthActions:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    return auth


def upload(auth: AuthActions, data: bytes, **fields: str) -> int:
    response = auth.post("/admin/sources/new", {**FORM, **fields,
                                                "upload": (io.BytesIO(data), "sheet.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_an_admin_uploads_a_sheet_harvests_it_and_sees_the_counts(admin: AuthActions,
                                                                  session: Session) -> None:
    source_id = upload(admin, GOOD)
    assert admin.post(f"/admin/sources/{source_id}/harvest").status_code == 302
    page = admin.client.get("/admin/sources").get_data(as_text=True)
    assert "CBD sheet" in page and ">ok<" in page
    runs = admin.client.get(f"/admin/sources/{source_id}").get_data(as_text=True)
    assert "1 new" in runs


def test_errors_show_with_their_line(admin: AuthActions) -> None:
    source_id = upload(admin, BAD)
    admin.post(f"/admin/sources/{source_id}/harvest")
    page = admin.client.get(f"/admin/sources/{source_id}").get_data(as_text=True)
    assert "line 2" in page and "2027-02-30" in page and "failed" in page


def test_a_source_can_be_edited_and_disabled(admin: AuthActions, session: Session) -> None:
    source_id = upload(admin, GOOD)
    data = {**FORM, "name": "CBD sheet 2", "url": "https://www.cbd.int/meetings.csv"}
    data.pop("enabled")
    assert admin.post(f"/admin/sources/{source_id}/edit", data).status_code == 302
    source = session.get(Source, source_id)
    assert source is not None and (source.name, source.enabled) == ("CBD sheet 2", False)
    assert source.url == "https://www.cbd.int/meetings.csv"


@pytest.mark.parametrize(("fields", "message"), [
    ({"url": "ftp://example.org/x.csv"}, "Only http:// and https://"),
    ({"url": ""}, "give a URL or upload a file"),
    ({"window_back_days": "3000", "window_ahead_days": "3000"}, "at most 3650 days"),
])
def test_a_source_that_cannot_be_harvested_is_refused(admin: AuthActions, fields: dict[str, str],
                                                      message: str) -> None:
    response = admin.post("/admin/sources/new", {**FORM, **fields})
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_a_stale_source_is_flagged(admin: AuthActions, session: Session) -> None:
    source_id = upload(admin, GOOD)
    source = session.get(Source, source_id)
    assert source is not None
    source.created_dt = datetime.now(UTC) - timedelta(days=8)
    session.commit()
    assert "stale" in admin.client.get("/admin/sources").get_data(as_text=True)


def test_the_csv_template_has_the_documented_columns(admin: AuthActions) -> None:
    response = admin.client.get("/admin/sources/template.csv")
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("body,code,title,start,end,")


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_sources_are_for_admins_only(create_user: Callable[..., User], auth: AuthActions,
                                     role: str) -> None:
    create_user("x@blg.int", role=role, bodies=["cbd"] if role == "editor" else [])
    auth.login("x@blg.int")
    assert auth.client.get("/admin/sources").status_code == 403


def test_an_editor_sees_the_duplicates_page(create_user: Callable[..., User],
                                            auth: AuthActions) -> None:
    create_user("ana@cbd.int", role="editor", bodies=["cbd"])
    auth.login("ana@cbd.int")
    assert "Nothing to decide" in auth.client.get("/duplicates").get_data(as_text=True)


def test_the_run_page_lists_what_the_harvest_added_with_links(admin: AuthActions,
                                                              session: Session) -> None:
    source_id = upload(admin, GOOD)
    response = admin.post(f"/admin/sources/{source_id}/harvest")
    assert f"/admin/sources/{source_id}/runs/" in response.headers["Location"]
    page = admin.client.get(response.headers["Location"]).get_data(as_text=True)
    event = session.scalars(select(Event).where(Event.code == "RM-9")).one()
    assert "Added (1)" in page
    assert f'<a href="/events/{event.id}">Resource mobilisation workshop</a>' in page
    other = admin.client.get(f"/admin/sources/{source_id + 1}/runs/1")
    assert other.status_code == 404


def test_json_nested_too_deep_fails_the_run_with_where_not_an_internal_error(admin: AuthActions) -> None:
    source_id = upload(admin, b"[" * 100_000 + b"]" * 100_000, kind="informea")
    response = admin.post(f"/admin/sources/{source_id}/harvest")
    assert response.status_code == 302
    page = admin.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "line 1 column 100000" in page and "nested 100,000 levels deep" in page
    assert "internal error" not in page and "RecursionError" not in page
    assert admin.client.get("/admin/sources").status_code == 200  # the worker goes on


def test_the_harvest_says_which_series_it_refused(admin: AuthActions) -> None:
    hourly = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:h@x\r\n"
              b"DTSTART:20270105T100000Z\r\nSUMMARY:Hourly\r\nRRULE:FREQ=HOURLY\r\n"
              b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    source_id = upload(admin, hourly, kind="ics")
    response = admin.post(f"/admin/sources/{source_id}/harvest")
    page = admin.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "recurring series: 1 not imported (see the warnings)" in page
    assert "RRULE FREQ=HOURLY repeats more than once a day" in page
