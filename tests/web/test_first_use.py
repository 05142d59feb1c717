"""What a new user tripped over (issue #10): overdue expectations, wording, icon, markup."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind
from blgcal.models import Event, Source, User
from blgcal.services.events import save_event
from blgcal.services.history import Actor

from ..conftest import AuthActions

# SBSTTA-28 was dated (27 July to 1 August 2026) by the CBD's own index.
OVERDUE_IN_DECEMBER = ["IWC70", "IWC SC70", "Pre-COP31"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def seeded_client(make_app: Callable[..., Flask], **config: object) -> FlaskClient:
    app = make_app(**config)
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    return app.test_client()


def section(page: str, heading: str) -> str:
    """The text from *heading* to the next section heading."""
    rest = page.split(heading, 1)[1]
    return re.split(r"Expected|Most recent|Held, exact|International days ahead", rest, maxsplit=1)[0]


def test_in_december_the_meetings_expected_that_year_say_no_date_is_published(
        make_app: Callable[..., Flask]) -> None:
    november = text_of(seeded_client(make_app).get("/").get_data(as_text=True))
    ahead = section(november, "Expected: dates to be announced")
    assert all(f"expected 2026 {code} ·" in ahead for code in OVERDUE_IN_DECEMBER)
    assert "no date published yet" not in ahead

    # Same process, so the cached list items must not carry November's wording into December.
    december = text_of(seeded_client(make_app, TODAY=date(2026, 12, 1)).get("/")
                       .get_data(as_text=True))
    overdue = section(december, "Expected by now, no date published yet")
    assert all(f"expected 2026, no date published yet {code} ·" in overdue
               for code in OVERDUE_IN_DECEMBER)
    still_ahead = section(december, "Expected: dates to be announced")
    assert "COP32" in still_ahead and not any(code in still_ahead for code in OVERDUE_IN_DECEMBER)
    assert december.index("Expected: dates to be announced") < december.index("Expected by now")


def test_a_body_page_and_an_event_page_say_an_expectation_is_overdue(
        make_app: Callable[..., Flask]) -> None:
    client = seeded_client(make_app, TODAY=date(2026, 12, 1))
    body = text_of(client.get("/bodies/iwc").get_data(as_text=True))
    assert "Expected by now, no date published yet expected 2026, no date published yet IWC70" \
        in body
    with client.application.extensions["blgcal.sessionmaker"]() as session:
        iwc70 = session.scalars(select(Event.id).where(Event.code == "IWC70")).one()
    page = text_of(client.get(f"/events/{iwc70}").get_data(as_text=True))
    assert "Dates to be announced: expected 2026, no date published yet." in page


@pytest.mark.usefixtures("seeded")
def test_an_opportunity_without_meetings_names_no_events(client: FlaskClient) -> None:
    page = text_of(client.get("/opportunities").get_data(as_text=True))
    assert "fall in the same week" in page  # international days alone, no meeting
    assert "Events: ." not in page and "Events: Ideas" not in page


@pytest.mark.usefixtures("seeded")
def test_opportunity_kinds_and_bodies_are_spelt_as_words(client: FlaskClient) -> None:
    page = text_of(client.get("/opportunities").get_data(as_text=True))
    assert "Co-location" in page and "Co location" not in page and "co location" not in page
    assert "led by Ramsar" in page and "RAMSAR" not in page
    assert "World Migratory Bird Day (10 May 2025, CMS)" in page
    assert ") (" not in page


@pytest.mark.usefixtures("seeded")
def test_a_timed_event_names_utc_once(client: FlaskClient, session: Session) -> None:
    row, _ = save_event(session, EventData(
        uid="webinar@test", title="Webinar on wetlands", bodies=("ramsar",), kind=Kind.WEBINAR,
        timezone="Europe/Zurich", online=True,
        start_dt=datetime(2026, 12, 3, 17, 30, tzinfo=UTC),
        end_dt=datetime(2026, 12, 3, 18, 30, tzinfo=UTC)),
        now=datetime(2026, 11, 27, tzinfo=UTC), actor=Actor("test", "cli"))
    session.commit()
    page = text_of(client.get(f"/events/{row.id}").get_data(as_text=True))
    assert "Thu 3 Dec 2026, 18:30 UTC" in page and "UTC UTC" not in page


@pytest.mark.usefixtures("seeded")
def test_the_month_names_each_day_s_weekday_for_the_phone_layout(client: FlaskClient) -> None:
    html = client.get("/month/2025/11").get_data(as_text=True)
    assert '<span class="weekday">Tue </span>25' in html


def test_favicon_ico_answers_with_the_svg_icon(client: FlaskClient) -> None:
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    assert answer.get_data(as_text=True).startswith("<svg")
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon" href="/favicon.ico" type="image/svg+xml"' in page


def test_body_colours_are_served_from_the_one_table(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/bodies\.css\?v=[0-9a-f]+)"', page)
    assert href
    answer = client.get(href.group(1))
    assert answer.mimetype == "text/css" and ".body-itpgrfa { background: #6f6e12; }" in \
        answer.get_data(as_text=True)
    assert answer.cache_control.max_age and answer.cache_control.max_age >= 86400


@pytest.mark.usefixtures("seeded")
def test_form_fields_carry_aria_attributes_only_with_real_values(
        client: FlaskClient, auth: AuthActions, create_user: Callable[..., User]) -> None:
    login = client.get("/login").get_data(as_text=True)
    assert '"None"' not in login and "aria-invalid" not in login
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    form = client.get("/events/new").get_data(as_text=True)
    assert '"None"' not in form
    assert 'aria-describedby="code-help"' in form
    answer = auth.post("/events/new", data={"title": "", "timing": "all_day"})
    html = answer.get_data(as_text=True)
    assert re.search(r'id="title"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="title"',
                     html)
    assert 'aria-describedby="title-errors"' in html and '"None"' not in html


@pytest.mark.usefixtures("seeded")
def test_a_failed_harvest_shows_its_error_once(
        client: FlaskClient, auth: AuthActions, create_user: Callable[..., User],
        session: Session) -> None:
    cli = client.application.test_cli_runner()
    added = cli.invoke(args=["source", "add", "--body", "cbd", "--kind", "ics", "--name", "lan",
                             "--url", "http://127.0.0.1:9/meetings.ics"])
    assert added.exit_code == 0, added.output
    harvested = cli.invoke(args=["harvest", "lan"])
    assert harvested.exit_code == 1
    source_id = session.scalars(select(Source.id).where(Source.name == "lan")).one()
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    page = text_of(client.get(f"/admin/sources/{source_id}").get_data(as_text=True))
    assert "failed" in page and page.count("which is not a public address") == 1, page
