"""Cached public pages and findings never outlive a change to the data."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from blgcal.clock import today
from blgcal.domain.types import Visibility
from blgcal.models import Body, Event
from blgcal.services.event_rows import to_domain
from blgcal.services.events import save_event
from blgcal.services.history import Actor
from blgcal.services.versions import calendar_version

pytestmark = pytest.mark.usefixtures("seeded")


def test_an_edit_shows_on_the_next_request(client: FlaskClient, session: Session) -> None:
    assert "<strong>COP32</strong>" in client.get("/").get_data(as_text=True)
    row = session.scalars(select(Event).where(Event.code == "COP32")).one()
    save_event(session, replace(to_domain(row), code="UNFCCC COP32"),
               now=datetime(2026, 11, 27, 10, tzinfo=UTC), row=row,
               actor=Actor("test", "cli"))
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "<strong>UNFCCC COP32</strong>" in page


def test_a_repeated_request_is_answered_304_by_etag(client: FlaskClient) -> None:
    first = client.get("/month/2025/11")
    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
    again = client.get("/month/2025/11", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = client.get("/month/2025/12", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


def test_different_filters_are_different_pages(client: FlaskClient) -> None:
    cites = client.get("/?body=cites").get_data(as_text=True)
    cbd = client.get("/?body=cbd").get_data(as_text=True)
    assert "CITES SC79" in cites and "CITES SC79" not in cbd


def test_requests_with_a_session_cookie_are_never_served_from_the_cache(
        client: FlaskClient) -> None:
    client.set_cookie("session", "anything")
    assert "ETag" not in client.get("/").headers


def test_the_events_api_is_cached_but_never_stale(client: FlaskClient, session: Session) -> None:
    url = "/api/v1/events?q=COP17&body=cbd"
    first = client.get(url)
    assert first.headers["ETag"] and client.get(
        url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    row = session.scalars(select(Event).where(Event.code == "CBD COP17")).one()
    save_event(session, replace(to_domain(row), city="Yerevan (Meridian)"),
               now=datetime(2026, 11, 27, 11, tzinfo=UTC), row=row,
               actor=Actor("test", "cli"))
    session.commit()
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.get_json()["events"][0]["city"] == "Yerevan (Meridian)"


def edit(session: Session, row: Event, **changes: object) -> None:
    save_event(session, replace(to_domain(row), **changes), now=datetime.now(UTC), row=row,
               actor=Actor("test", "cli"))
    session.commit()


def by_code(session: Session, code: str) -> Event:
    return session.scalars(select(Event).where(Event.code == code)).one()


def revalidated(client: FlaskClient, url: str, etag: str) -> TestResponse:
    return client.get(url, headers={"If-None-Match": etag})


def test_the_agenda_keeps_its_etag_through_writes_to_events_it_does_not_show(
        client: FlaskClient, session: Session) -> None:
    etag = client.get("/").headers["ETag"]
    edit(session, by_code(session, "SB64"), city="Bonn (World Conference Center)")  # June 2026
    assert revalidated(client, "/", etag).status_code == 304
    edit(session, by_code(session, "IPPC CPM-21"), title="CPM-21, renamed")
    changed = revalidated(client, "/", etag)
    assert changed.status_code == 200 and "CPM-21, renamed" in changed.get_data(as_text=True)


def test_a_month_keeps_its_etag_through_writes_to_other_months(
        client: FlaskClient, session: Session) -> None:
    etag = client.get("/month/2027/4").headers["ETag"]
    wpc = by_code(session, "IUCN WPC2027")  # September 2027
    edit(session, wpc, title="World Parks Congress, renamed")
    assert revalidated(client, "/month/2027/4", etag).status_code == 304
    edit(session, wpc, start_date=date(2027, 4, 20), end_date=date(2027, 4, 22))
    moved = revalidated(client, "/month/2027/4", etag)
    assert moved.status_code == 200 and "World Parks Congress, renamed" in moved.get_data(
        as_text=True)


def test_past_and_body_pages_keep_their_etags_through_writes_to_events_they_do_not_show(
        client: FlaskClient, session: Session) -> None:
    past, cites = (client.get(url).headers["ETag"] for url in ("/past", "/bodies/cites"))
    edit(session, by_code(session, "IPPC CPM-21"), title="CPM-21, renamed")  # IPPC, April 2027
    assert revalidated(client, "/past", past).status_code == 304
    assert revalidated(client, "/bodies/cites", cites).status_code == 304
    edit(session, by_code(session, "CITES SC79"), title="SC79, renamed")  # CITES, undated
    assert revalidated(client, "/past", past).status_code == 304
    renamed = revalidated(client, "/bodies/cites", cites)
    assert renamed.status_code == 200 and "SC79, renamed" in renamed.get_data(as_text=True)
    edit(session, by_code(session, "SB64"), title="SB64, renamed")  # June 2026
    renamed = revalidated(client, "/past", past)
    assert renamed.status_code == 200 and "SB64, renamed" in renamed.get_data(as_text=True)


def test_a_new_body_reaches_the_pickers_of_pages_it_does_not_change_otherwise(
        client: FlaskClient, session: Session) -> None:
    etag = client.get("/month/2027/4").headers["ETag"]
    session.add(Body(slug="testbody", short_name="TESTBODY", name="A body added for the test"))
    session.commit()
    again = revalidated(client, "/month/2027/4", etag)
    assert again.status_code == 200 and 'value="testbody"' in again.get_data(as_text=True)


def test_a_body_s_api_pages_keep_their_etag_through_writes_to_other_bodies(
        client: FlaskClient, session: Session) -> None:
    url = "/api/v1/events?body=cbd&q=CoP20"
    first = client.get(url)
    assert first.get_json()["events"] == []
    cites = session.scalars(select(Event).where(Event.code == "CITES CoP20")).one()
    edit(session, cites, city="Samarkand (Silk Road)")
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    edit(session, cites, bodies=("cites", "cbd"))  # it joins the CBD's events
    joined = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert joined.status_code == 200
    assert [event["code"] for event in joined.get_json()["events"]] == ["CITES CoP20"]


def test_a_body_s_api_pages_follow_a_parent_in_another_body(
        client: FlaskClient, session: Session) -> None:
    parent = session.scalars(select(Event).where(Event.code == "CITES CoP20")).one()
    child = session.scalars(select(Event).where(Event.code == "CBD COP17")).one()
    edit(session, child, parent_id=parent.id)
    url = "/api/v1/events?body=cbd&q=COP17"
    assert client.get(url).get_json()["events"][0]["parent_id"] == parent.id
    edit(session, parent, visibility=Visibility.STAFF)  # hidden: the child no longer names it
    assert client.get(url).get_json()["events"][0]["parent_id"] is None


def test_each_app_keeps_its_own_findings_under_the_data_s_version(
        client: FlaskClient, session: Session, make_app: Callable[..., Flask]) -> None:
    app = client.application
    other = make_app()
    findings = app.extensions["blgcal.findings_cache"]

    def cached_now() -> object:
        with app.app_context():
            return findings.get(False, (calendar_version(session), today()))

    assert client.get("/clashes").status_code == 200
    first = cached_now()
    assert first is not None and len(other.extensions["blgcal.findings_cache"]) == 0
    assert client.get("/opportunities").status_code == 200
    assert cached_now() is first  # computed once for both pages
    row = session.scalars(select(Event).where(Event.code == "COP32")).one()
    save_event(session, replace(to_domain(row), code="UNFCCC COP32"),
               now=datetime(2026, 11, 27, 10, tzinfo=UTC), row=row, actor=Actor("test", "cli"))
    session.commit()
    assert cached_now() is None
    assert client.get("/clashes").status_code == 200
    again = cached_now()
    assert again is not None and again is not first  # computed again for the new data


def test_the_country_picker_follows_the_data(client: FlaskClient, session: Session) -> None:
    assert 'value="LI"' not in client.get("/month/2027/3").get_data(as_text=True)
    row = session.scalars(select(Event).where(Event.code == "COP32")).one()
    save_event(session, replace(to_domain(row), city="Vaduz", country="LI"),
               now=datetime(2026, 11, 27, 10, tzinfo=UTC), row=row, actor=Actor("test", "cli"))
    session.commit()
    assert 'value="LI"' in client.get("/month/2027/3").get_data(as_text=True)
    assert 'value="LI"' in client.get("/subscribe").get_data(as_text=True)
