"""Attacks on input hygiene (issue 15, findings 2, 16 and 17), at every entry point.

Over-long fields, addresses of other schemes and control characters, sent
through the event form, the other forms, the meetings CSV, iCalendar,
InforMEA and the CBD's Solr JSON; and stored control characters read back
through ``/timeline.svg``, the event page and ``blgcal clashes``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from blgcal.domain.validation import FIELD_LIMITS
from blgcal.models import CommsPlanItem, Event, EventTag, Provenance, Source, User

from ..conftest import AuthActions

pytestmark = pytest.mark.usefixtures("seeded")

# Every control character class the rules name, one of each (NUL aside: PostgreSQL refuses it
# in text, so the stored-row attacks leave it out; the entry points are sent it).
CONTROLS = "\x00\x07\x08\x0b\x1b[2J\x1b]0;pwned\x07\x7f\x85\x9b31m"
STORABLE = CONTROLS.replace("\x00", "")
BAD_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)", "ftp://ftp.example.org/x", "/events/1", "www.cbd.int/meetings",
            "http://", "https:///path"]
MEETING = {
    "bodies": ["cbd"], "kind": "subsidiary_body", "status": "confirmed", "visibility": "public",
    "parent_id": "", "code": "SBSTTA-29", "title": "29th meeting of SBSTTA", "timing": "all_day",
    "start_date": "2027-05-10", "end_date": "2027-05-14", "timezone": "Africa/Nairobi",
    "city": "Nairobi", "country": "KE", "url": "https://www.cbd.int/sbstta", "tags": "science",
}


def has_control(text: str) -> bool:
    return bool(re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text))


def count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Event)) or 0


def by_code(session: Session, code: str) -> Event:
    session.expire_all()
    return session.scalars(select(Event).where(Event.code == code)).one()


@pytest.fixture
def editor(auth: AuthActions, create_user: Callable[..., User]) -> AuthActions:
    create_user("cbd@blg.int", role="editor", bodies=["cbd"])
    auth.login("cbd@blg.int")
    return auth


def test_the_field_limits_are_the_widths_of_the_columns_they_fill() -> None:
    """What passes the limits is never refused by PostgreSQL (SQLite ignores widths)."""
    for name in ("title", "code", "expected", "timezone", "city", "venue", "url", "source_url"):
        assert Event.__table__.c[name].type.length == FIELD_LIMITS[name], name
    assert EventTag.__table__.c.tag.type.length == FIELD_LIMITS["tag"]
    assert Provenance.__table__.c.external_uid.type.length == FIELD_LIMITS["uid"]


# The event form

@pytest.mark.parametrize("field", ["title", "code", "venue", "city", "description", "tags"])
def test_the_event_form_strips_control_characters(editor: AuthActions, session: Session,
                                                  field: str) -> None:
    value = f"{MEETING.get(field) or 'Gigiri'} {CONTROLS}end"
    response = editor.post("/events/new", {**MEETING, field: value})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    row = session.scalars(select(Event).order_by(Event.id.desc())).first()
    assert row is not None
    stored = ", ".join(row.tags) if field == "tags" else getattr(row, field)
    assert not has_control(stored) and stored.endswith("end")


def test_the_event_form_keeps_line_breaks_in_the_description_only(editor: AuthActions,
                                                                   session: Session) -> None:
    assert editor.post("/events/new", {**MEETING, "title": "Two\r\nlines",
                                       "description": "One\r\ntwo\rthree"}).status_code == 302
    row = by_code(session, "SBSTTA-29")
    assert (row.title, row.description) == ("Two lines", "One\ntwo\nthree")


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_event_form_takes_web_addresses_only(editor: AuthActions, session: Session,
                                                 url: str) -> None:
    before = count(session)
    response = editor.post("/events/new", {**MEETING, "url": url})
    assert response.status_code == 200
    assert "Only http:// and https:// addresses are allowed" in response.get_data(as_text=True)
    assert count(session) == before


def test_the_event_form_refuses_a_tag_longer_than_the_limit(editor: AuthActions,
                                                            session: Session) -> None:
    before = count(session)
    response = editor.post("/events/new", {**MEETING, "tags": "oceans, " + "t" * 65})
    assert response.status_code == 200
    assert "Each may be at most 64 characters" in response.get_data(as_text=True)
    assert count(session) == before


@pytest.mark.parametrize("field", ["title", "code", "venue", "city", "url", "description",
                                   "timezone", "expected"])
def test_the_event_form_holds_each_field_to_the_shared_limit(editor: AuthActions, field: str) -> None:
    limit = FIELD_LIMITS[field]
    page = editor.client.get("/events/new").get_data(as_text=True)
    assert re.search(rf'<(input|textarea)[^>]*maxlength="{limit}"[^>]*name="{field}"|'
                     rf'<(input|textarea)[^>]*name="{field}"[^>]*maxlength="{limit}"', page)
    response = editor.post("/events/new", {**MEETING, field: "x" * (limit + 1)})
    assert f"longer than {limit} characters" in response.get_data(as_text=True)


# The other forms

def test_the_comms_plan_form_strips_control_characters(auth: AuthActions, session: Session,
                                                       create_user: Callable[..., User]) -> None:
    create_user("comms@blg.int", role="comms")
    auth.login("comms@blg.int")
    response = auth.post("/comms/new", {"title": f"Posts {CONTROLS}", "owner_bodies": ["ramsar"],
                                        "channel": "social_media", "deadline": "2027-01-20",
                                        "status": "idea", "notes": f"line\r\n{CONTROLS}"})
    assert response.status_code == 302
    item = session.scalars(select(CommsPlanItem)).one()
    assert not has_control(item.title) and not has_control(item.notes.replace("\n", ""))


@pytest.mark.parametrize("url", ["http://", "https:///feed.ics", "javascript:alert(1)"])
def test_the_source_form_takes_web_addresses_with_a_host_only(auth: AuthActions, session: Session,
                                                              create_user: Callable[..., User],
                                                              url: str) -> None:
    create_user("admin@blg.int", role="admin")
    auth.login("admin@blg.int")
    response = auth.post("/admin/sources/new", {
        "name": "Feed", "body_slug": "cbd", "kind": "ics", "url": url, "enabled": "y",
        "window_back_days": "180", "window_ahead_days": "1095", "on_vanish": "cancel"})
    assert response.status_code == 200
    assert "Only http:// and https://" in response.get_data(as_text=True)
    assert session.scalars(select(Source)).all() == []


# The meetings CSV

HEADER = "code,title,start,end,city,venue,url,tags,description\n"


def import_file(runner: FlaskCliRunner, path: Path, body: str = "cbd") -> Any:
    return runner.invoke(args=["import", str(path), "--body", body])


def test_a_csv_with_over_long_fields_is_refused_whole_with_every_line_named(
        runner: FlaskCliRunner, session: Session, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "\n".join([
        "X1,Fine,2027-01-01,2027-01-02,Rome,,,,",
        f"X2,{'T' * 9000},2027-01-01,2027-01-02,Rome,{'V' * 301},,,",
        "X3,Bad date,2027-02-30,2027-03-01,Rome,,,,",
        f"X4,Tags,2027-01-01,2027-01-02,Rome,,,\"{'t' * 65}\",{'d' * 20_001}",
        f"X5,Code,2027-01-01,2027-01-02,{'C' * 121},,https://example.org/{'u' * 1000},,",
    ]) + "\n", encoding="utf-8")
    before = count(session)
    result = import_file(runner, path)
    assert result.exit_code == 1
    # One problem a line, naming each of its fields.
    for problem in ["line 3: title is 9,000 characters, the limit is 500; "
                    "venue is 301 characters, the limit is 300",
                    "line 4: column 'start': '2027-02-30' is not a date",
                    "line 5: description is 20,001 characters, the limit is 20,000; tag 'tttt",
                    "is 65 characters, the limit is 64",
                    "line 6: city is 121 characters, the limit is 120; "
                    "url is 1,020 characters, the limit is 1,000"]:
        assert problem in result.output
    assert count(session) == before


@pytest.mark.parametrize("column", ["url", "source_url"])
@pytest.mark.parametrize("url", BAD_URLS)
def test_a_csv_address_that_is_not_http_is_an_error_on_its_line(
        runner: FlaskCliRunner, session: Session, tmp_path: Path, column: str, url: str) -> None:
    path = tmp_path / "links.csv"
    path.write_text(f"code,title,start,end,{column}\nX1,Fine,2027-01-01,2027-01-02,https://x.org\n"
                    f"X2,Link,2027-01-01,2027-01-02,\"{url}\"\n", encoding="utf-8")
    before = count(session)
    result = import_file(runner, path)
    assert result.exit_code == 1
    assert f"line 3: {column} {url!r} is not a web address" in result.output
    assert count(session) == before


def test_a_csv_loses_its_control_characters(runner: FlaskCliRunner, session: Session,
                                            tmp_path: Path) -> None:
    path = tmp_path / "controls.csv"
    path.write_text(HEADER + f'X1,"COP {CONTROLS}",2027-01-01,2027-01-02,"Rome{CONTROLS}",'
                    f'"Hall\x00 A",,"oceans{CONTROLS}","one\r\ntwo{CONTROLS}"\n', encoding="utf-8")
    assert import_file(runner, path).exit_code == 0
    row = by_code(session, "X1")
    assert not [text for text in (row.title, row.city, row.venue, *row.tags)
                if has_control(text)]
    assert row.description is not None and row.description.startswith("one\ntwo")
    assert not has_control(row.description.replace("\n", ""))


# iCalendar, InforMEA and the CBD's Solr JSON

def ics(summary: str, url: str = "https://example.org/m", extra: str = "") -> str:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\n"
            "UID:m1@example.org\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270301\r\n"
            f"DTEND;VALUE=DATE:20270303\r\nSUMMARY:{summary}\r\nURL:{url}\r\n{extra}"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")


def informea(title: str, url: str = "https://example.org/m", **fields: str) -> str:
    return json.dumps([{"id": "m1", "titles": [{"language": "en", "value": title}],
                        "start": "2027-03-01", "end": "2027-03-02", "treaty": "cbd", "url": url,
                        **fields}])


def solr(title: str, url: str = "https://example.org/m", **fields: str) -> str:
    return json.dumps({"response": {"numFound": 1, "start": 0, "docs": [{
        "id": "d1", "symbol_s": "SBI-05", "title_EN_t": title, "startDate_dt": "2027-03-01T00:00:00Z",
        "endDate_dt": "2027-03-02T00:00:00Z", "eventCity_EN_t": "Rome", "eventCountry_s": "it",
        "url_ss": [url], **fields}]}})


FEEDS = {"ics": ("feed.ics", ics, "line 4 (UID 'm1@example.org')"),
         "informea": ("meetings.json", informea, "item 1 (id 'm1')"),
         "cbd": ("cbd.json", solr, "item 1 (id 'd1')")}


@pytest.mark.parametrize("kind", FEEDS)
def test_a_feed_item_with_an_over_long_title_fails_the_file_naming_the_item(
        runner: FlaskCliRunner, session: Session, tmp_path: Path, kind: str) -> None:
    name, make, where = FEEDS[kind]
    path = tmp_path / name
    path.write_text(make("T" * 9000), encoding="utf-8")
    before = count(session)
    result = import_file(runner, path)
    assert result.exit_code == 1
    assert f"{where}: title is 9,000 characters, the limit is 500" in result.output
    assert count(session) == before


@pytest.mark.parametrize("kind", FEEDS)
@pytest.mark.parametrize("url", BAD_URLS[:5])
def test_a_feed_address_that_is_not_http_is_left_out_with_a_warning(
        runner: FlaskCliRunner, session: Session, tmp_path: Path, kind: str, url: str) -> None:
    name, make, where = FEEDS[kind]
    path = tmp_path / name
    path.write_text(make("Meeting on links", url=url), encoding="utf-8")
    result = import_file(runner, path)
    assert result.exit_code == 0, result.output
    row = session.scalars(select(Event).where(Event.title == "Meeting on links")).one()
    assert (row.url, row.source_url) == (None, None)
    assert f"{where}: url {url!r} is not a web address" in result.output
    assert "left out" in result.output


@pytest.mark.parametrize("kind", FEEDS)
def test_a_feed_loses_its_control_characters(runner: FlaskCliRunner, session: Session,
                                             tmp_path: Path, kind: str) -> None:
    name, make, _ = FEEDS[kind]
    # iCalendar refuses raw C0 bytes itself (binary data); DEL aside, C1 and the rest pass it.
    title = "COP\x85 \x9b31m9" if kind == "ics" else f"COP {CONTROLS}9"
    path = tmp_path / name
    path.write_text(make(title), encoding="utf-8")
    assert import_file(runner, path).exit_code == 0
    session.expire_all()
    row = session.scalars(select(Event).where(Event.title.like("COP%9"))).one()
    assert not has_control(row.title)


# What is already stored: the SVG, the event page and the terminal

def store(session: Session, which: str, **values: str) -> Event:
    """Write *values* into the event coded *which* directly, past every input check."""
    row = by_code(session, which)
    session.execute(update(Event).where(Event.id == row.id).values(**values))
    session.commit()
    return row


def test_the_timeline_svg_is_well_formed_xml_with_control_characters_stored(
        client: FlaskClient, session: Session) -> None:
    store(session, "CITES CoP20", title=f"CoP{STORABLE}20", city=f"Samarkand{STORABLE}")
    response = client.get("/timeline.svg?year=2025")
    assert response.status_code == 200
    svg = ET.fromstring(response.get_data())
    texts = [t for element in svg.iter() for t in (element.text or "",)]
    assert any("Samarkand" in text for text in texts)
    assert not [text for text in texts if has_control(text)]
    page = client.get("/timeline?year=2025").get_data(as_text=True)
    assert "\x1b" not in page and "\x0b" not in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x"])
def test_a_stored_address_that_is_not_http_is_shown_but_never_linked(
        client: FlaskClient, session: Session, url: str) -> None:
    row = store(session, "CITES CoP20", url=url, source_url=url)
    page = client.get(f"/events/{row.id}").get_data(as_text=True)
    assert url.split(",")[0] in page
    assert f'href="{url}' not in page


@pytest.mark.parametrize("args", [["clashes"], ["clashes", "--json"], ["opportunities"]])
def test_the_terminal_never_receives_stored_control_characters(
        runner: FlaskCliRunner, session: Session, args: list[str]) -> None:
    session.execute(update(Event).values(title=Event.title + STORABLE, city=Event.city + STORABLE))
    session.execute(update(Event).where(Event.code.is_not(None)).values(code=Event.code + STORABLE))
    session.commit()
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "\\u001b" in result.output  # shown, not obeyed
    assert not has_control(result.output.replace("\n", "").replace("\t", ""))
    if "--json" in args:
        codes = [explanation for clash in json.loads(result.output)["clashes"]
                 if STORABLE in (explanation := clash["explanation"])]
        assert codes  # the JSON still means the stored text exactly
