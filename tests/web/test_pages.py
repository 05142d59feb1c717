"""The pages people read: agenda, past, month, event and body pages."""

import re
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind, Visibility
from blgcal.models import Event
from blgcal.services.events import save_event
from blgcal.services.history import Actor

TEST = Actor("test", "cli")

pytestmark = pytest.mark.usefixtures("seeded")
NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def event_id(session: Session, code: str) -> int:
    return session.scalars(select(Event.id).where(Event.code == code)).one()


def test_the_agenda_lists_the_meetings_dated_ahead(client: FlaskClient) -> None:
    page = text_of(client.get("/").get_data(as_text=True))
    assert "No dated meeting lies ahead" not in page
    upcoming = page.split("Upcoming", 1)[1].split("Expected", 1)[0]
    codes = ["UN 2026 Water Conference", "IPPC CPM-21", "IUCN WPC2027"]
    positions = [upcoming.index(code + " ·") for code in codes]
    assert positions == sorted(positions)
    assert "5–9 Apr 2027 IPPC CPM-21" in upcoming and "Tentative" in upcoming
    assert "2 Feb 2027 World Wetlands Day" in page
    assert "COP32" in page and "Addis Ababa, Ethiopia" in page and "expected November 2027" in page


def test_with_nothing_dated_ahead_the_agenda_shows_what_is_expected(
        make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TODAY=date(2027, 9, 11)).test_client()
    page = text_of(client.get("/").get_data(as_text=True))
    assert "No dated meeting lies ahead" in page
    assert "COP32" in page and "Addis Ababa, Ethiopia" in page and "expected November 2027" in page
    assert "UNEA-8" in page and "expected December 2027" in page
    assert "Most recent meetings" in page and "IUCN WPC2027" in page and "COP31" in page
    # Windows already past are not presented as ahead.
    held = page.split("Held, exact dates not recorded", 1)[1]
    assert "CMS StC56" in held and "CMS StC56" not in page.split("Most recent meetings")[0]


def test_on_an_earlier_day_the_agenda_lists_upcoming_meetings_in_order(
        make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TODAY=date(2025, 11, 1)).test_client()
    page = text_of(client.get("/").get_data(as_text=True))
    assert "No dated meeting lies ahead" not in page
    codes = ["UNESCO GC43", "COP30 Leaders Summit", "COP30", "ITPGRFA GB-11", "CITES CoP20"]
    positions = [page.index(code + " ·") for code in codes]
    assert positions == sorted(positions)
    assert "Ramsar COP15" not in page.split("Expected")[0]


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("?body=cites", ["CITES CoP20"], ["COP31 ·"]),
    ("?q=Yerevan", ["CBD COP17"], ["CITES CoP20"]),
    ("?country=BR", ["CMS COP15", "COP30 ·"], ["CBD COP17"]),
    ("?kind=blg_meeting", ["BLG 2025-09", "BLG 2026-02"], ["CITES CoP20"]),
])
def test_agenda_filters_narrow_every_section(client: FlaskClient, query: str,
                                             present: list[str], absent: list[str]) -> None:
    page = text_of(client.get("/" + query).get_data(as_text=True))
    assert all(code in page for code in present), present
    assert not any(code in page for code in absent), absent


def test_past_events_are_reachable_most_recent_first(client: FlaskClient) -> None:
    page = text_of(client.get("/past?per_page=50").get_data(as_text=True))
    assert page.index("COP31 ·") < page.index("CBD COP17 ·") < page.index("Ramsar SC64 ·")


def test_the_month_view_puts_each_meeting_on_its_days(client: FlaskClient) -> None:
    html = client.get("/month/2025/11").get_data(as_text=True)
    cells = re.findall(r'<td class="[^"]*">(.*?)</td>', html, re.S)
    day25 = next(c for c in cells if 'datetime="2025-11-25"' in c)
    assert "CITES CoP20" in day25 and "ITPGRFA GB-11" in day25 and "WHC 20EXT" in day25
    day26 = next(c for c in cells if 'datetime="2025-11-26"' in c)
    assert "WHC 20EXT" not in day26


def test_the_month_view_shows_observances(client: FlaskClient) -> None:
    html = client.get("/month/2025/7").get_data(as_text=True)
    day = re.search(r'datetime="2025-07-26".*?</td>', html, re.S)
    assert day and "Mangrove" in day.group(0) and "Ramsar COP15" in day.group(0)


def test_month_redirects_to_today(client: FlaskClient) -> None:
    assert client.get("/month").headers["Location"].endswith("/month/2026/11")


def test_the_event_page_names_dates_place_organisers_and_source(client: FlaskClient,
                                                                session: Session) -> None:
    page = text_of(client.get(f"/events/{event_id(session, 'CITES CoP20')}").get_data(as_text=True))
    assert "24 Nov – 5 Dec 2025" in page
    assert "Silk Road Samarkand Congress Center, Samarkand, Uzbekistan" in page
    assert "CITES" in page and "kun.uz" in page


def test_a_timed_side_event_shows_venue_time_and_utc_and_links_its_parent(
        client: FlaskClient, session: Session) -> None:
    parent = event_id(session, "CITES CoP20")
    side, _ = save_event(session, EventData(
        uid="side-1@test", title="Joint BLG side event on trade", bodies=("cites", "cbd"),
        kind=Kind.SIDE_EVENT, parent_id=parent, timezone="Asia/Samarkand", city="Samarkand",
        country="UZ", start_dt=datetime(2025, 11, 25, 8, tzinfo=UTC),
        end_dt=datetime(2025, 11, 25, 9, 30, tzinfo=UTC)), now=NOW, actor=TEST)
    session.commit()
    page = text_of(client.get(f"/events/{side.id}").get_data(as_text=True))
    assert "Tue 25 Nov 2025, 13:00 +05" in page and "Tue 25 Nov 2025, 08:00 UTC" in page
    assert "Part of CITES CoP20" in page
    parent_page = text_of(client.get(f"/events/{parent}").get_data(as_text=True))
    assert "Side events" in parent_page and "Joint BLG side event on trade" in parent_page


def test_an_undated_meeting_says_dates_to_be_announced(client: FlaskClient,
                                                       session: Session) -> None:
    page = text_of(client.get(f"/events/{event_id(session, 'COP32')}").get_data(as_text=True))
    assert "Dates to be announced: expected November 2027" in page


def test_staff_only_events_are_not_public(client: FlaskClient, session: Session) -> None:
    row, _ = save_event(session, EventData(
        uid="staff@test", title="Heads of secretariat retreat", bodies=("blg",),
        kind=Kind.BLG_MEETING, visibility=Visibility.STAFF, start_date=date(2027, 1, 5),
        end_date=date(2027, 1, 5)), now=NOW, actor=TEST)
    session.commit()
    assert client.get(f"/events/{row.id}").status_code == 404
    assert client.get(f"/api/v1/events/{row.id}").status_code == 404
    assert "retreat" not in client.get("/").get_data(as_text=True)
    assert "retreat" not in client.get("/api/v1/events?per_page=500").get_data(as_text=True)


def test_text_from_the_data_is_escaped(client: FlaskClient, session: Session) -> None:
    row, _ = save_event(session, EventData(
        uid="xss@test", title='<script>alert("x")</script>', bodies=("cbd",),
        start_date=date(2027, 1, 5), end_date=date(2027, 1, 5)), now=NOW, actor=TEST)
    session.commit()
    for url in ("/", f"/events/{row.id}", "/month/2027/1"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_the_body_page_lists_its_meetings_and_days(client: FlaskClient) -> None:
    page = text_of(client.get("/bodies/ramsar").get_data(as_text=True))
    assert "Convention on Wetlands" in page and "Ramsar COP16" in page
    assert "World Wetlands Day" in page and "Ramsar COP15" in page


@pytest.mark.parametrize("url", ["/events/999999", "/bodies/wwf", "/month/2025/13"])
def test_unknown_pages_are_404(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_a_bad_filter_on_a_page_is_a_400_that_says_why(client: FlaskClient) -> None:
    response = client.get("/?body=wwf")
    assert response.status_code == 400 and "unknown body" in response.get_data(as_text=True)


def test_every_page_carries_security_headers_and_no_inline_script(client: FlaskClient) -> None:
    response = client.get("/")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert re.search(r"<script>(?!</script>)", response.get_data(as_text=True)) is None


def test_assets_are_served_by_the_app(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        with client.get(asset) as response:
            assert response.status_code == 200
    assert "//cdn" not in html and "https://fonts" not in html


def test_form_controls_are_labelled(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    assert ids and all(f'for="{i}"' in html for i in ids)
