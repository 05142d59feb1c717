"""Markup in every text field, from every way in, is shown as text on every page.

Events carrying payloads in each text field enter through the event form, a
CSV import, an iCalendar import and an InforMEA (JSON) import. Every GET route
of the app is then requested signed out and as an admin, and each HTML answer
is parsed: no element, attribute, script or ``javascript:`` link may come from
a payload, and no template expression may have been evaluated. SVG answers
must be well-formed XML with no element or handler from a payload.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blgcal.services.harvest.imports import import_file

from ..conftest import AuthActions
from .test_query_fuzz import get_routes

pytestmark = pytest.mark.usefixtures("seeded")
NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)
MARK = "blgxss"
PAYLOADS = (
    f"<script>{MARK}(1)</script>",
    f'"><img src=x onerror={MARK}(2)>',
    f"'><svg onload={MARK}(3)>",
    f"</textarea></title><{MARK}>",
    f"{{{{7*7}}}}{MARK}-tpl",
    f"<a href=\"javascript:{MARK}(4)\">x</a>",
)
#: A URL that is a valid https address yet tries to break out of an attribute.
URL = f'https://example.org/x?a="><{MARK}>'


def text(index: int, field: str) -> str:
    return f"{field} {PAYLOADS[index % len(PAYLOADS)]}"


class Finder(HTMLParser):
    """Collects what in a page came from a payload rather than from a template."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if MARK in tag:
            self.found.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if MARK in name or (name.startswith("on") and MARK in value):
                self.found.append(f"attribute {name}={value!r} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                    ("javascript:", "data:text/html", "vbscript:")):
                self.found.append(f"{name}={value!r} on <{tag}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and MARK in data:
            self.found.append(f"script {data!r}")
        if "49" + MARK in data:
            self.found.append("a template expression was evaluated")


def injected(body: str, content_type: str) -> list[str]:
    if content_type.startswith("image/svg"):
        root = ET.fromstring(body)  # noqa: S314 - our own output; it must be well-formed
        return [f"SVG {element.tag} {name}" for element in root.iter()
                for name in (element.tag, *element.attrib)
                if MARK in name or (name.startswith("on") and MARK in element.attrib.get(name, ""))]
    finder = Finder()
    finder.feed(body)
    return finder.found


def form_event(admin: AuthActions) -> None:
    response = admin.post("/events/new", {
        "bodies": ["cbd"], "kind": "working_group", "status": "confirmed", "visibility": "public",
        "parent_id": "", "code": text(0, "code")[:80], "title": text(1, "form title"),
        "timing": "all_day", "start_date": "2026-12-07", "end_date": "2026-12-08",
        "timezone": "Europe/Zurich", "venue": text(2, "venue"), "city": text(3, "city"),
        "country": "CH", "url": URL, "tags": text(4, "tag"), "audience": text(5, "audience"),
        "description": " ".join(text(i, "description") for i in range(len(PAYLOADS)))})
    assert response.status_code == 302, response.get_data(as_text=True).split("<main id=\"main\">")[-1][:3000]


def csv_file(folder: Path) -> Path:
    rows = [{"body": "cites", "code": text(2, "csv code")[:60], "title": text(3, "csv title"),
             "start": "2026-12-09", "end": "2026-12-10", "city": text(4, "csv city"),
             "country": "FR", "venue": text(5, "csv venue"), "timezone": "Europe/Paris",
             "kind": "working_group", "status": "confirmed", "url": URL,
             "description": text(0, "csv description"), "tags": text(1, "csv tag")}]
    path = folder / "payloads.csv"
    header = list(rows[0])
    lines = [",".join(header)] + [",".join('"' + row[key].replace('"', '""') + '"' for key in header)
                                  for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ics_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_file(folder: Path) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//attack//EN", "BEGIN:VEVENT",
             "UID:xss-ics@attack.example", "DTSTAMP:20261120T000000Z",
             "DTSTART;VALUE=DATE:20261211", "DTEND;VALUE=DATE:20261213",
             f"SUMMARY:{ics_escape(text(4, 'ics title'))}", f"LOCATION:{ics_escape(text(5, 'ics place'))}",
             f"DESCRIPTION:{ics_escape(text(0, 'ics description'))}",
             f"CATEGORIES:{ics_escape(text(1, 'ics tag'))}", f"URL:{URL}", "END:VEVENT", "END:VCALENDAR"]
    path = folder / "payloads.ics"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def informea_file(folder: Path) -> Path:
    item = {"id": "xss-informea", "treaty": "cms", "url": URL, "start": "2026-12-14T00:00:00",
            "end": "2026-12-15T00:00:00", "repetition": None, "kind": "official", "type": "cop",
            "access": "public", "status": "confirmed", "location": text(1, "informea venue"),
            "city": text(2, "informea city"), "country": "BR", "latitude": None, "longitude": None,
            "virtual": False, "updated": "2026-11-01T00:00:00Z",
            "titles": [{"language": "en", "value": text(3, "informea title")}],
            "descriptions": [{"language": "en", "value": text(4, "informea description")}]}
    path = folder / "payloads.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    return path


@pytest.fixture
def payload_events(app: Flask, create_user, tmp_path: Path) -> AuthActions:  # type: ignore[no-untyped-def]
    create_user("root@blg.int", role="admin")
    admin = AuthActions(app.test_client())
    admin.login("root@blg.int")
    form_event(admin)
    with app.app_context(), app.extensions["blgcal.sessionmaker"]() as session:
        for path, body in ((csv_file(tmp_path), "cites"), (ics_file(tmp_path), "cbd"),
                           (informea_file(tmp_path), "cms")):
            report = import_file(session, path, body=body, now=NOW)
            assert report.run.new == 1, (path.name, str(report), report.warnings)
            session.commit()
    return admin


def crawl(client: FlaskClient, paths: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    seen = 0
    for path in paths:
        with client.get(path) as response:
            kind = response.headers.get("Content-Type", "")
            if not kind.startswith(("text/html", "image/svg")):
                continue
            body = response.get_data(as_text=True)
        seen += MARK in body
        if problems := injected(body, kind):
            found[path] = problems
    assert seen >= 10, f"only {seen} pages showed a payload: the crawl proves nothing"
    return found


def test_no_payload_becomes_markup_on_any_page(app: Flask, client: FlaskClient,
                                              payload_events: AuthActions) -> None:
    paths = [*get_routes(app), "/?q=blgxss", "/month/2026/12", "/timeline?year=2026",
             "/timeline.svg?year=2026", "/clashes?from=2026-12-01", "/opportunities?from=2026-12-01",
             *(f"/events/{n}" for n in range(1, 80))]
    for who, visitor in (("signed out", client), ("admin", payload_events.client)):
        found = crawl(visitor, paths)
        assert not found, f"{who}: {dict(list(found.items())[:5])}"


def test_the_finder_sees_what_escaping_would_have_prevented() -> None:
    for payload in PAYLOADS[:4] + PAYLOADS[5:]:
        assert injected(f"<p>{payload}</p>", "text/html"), payload
    assert injected("<p>{{7*7}}</p>".replace("{{7*7}}", "49" + MARK), "text/html")
    assert not injected("<p>&lt;script&gt;blgxss(1)&lt;/script&gt;</p>", "text/html")
    with pytest.raises(ET.ParseError):
        injected("<svg><text>\x1b</text></svg>", "image/svg+xml")
