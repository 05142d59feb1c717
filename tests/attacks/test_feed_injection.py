"""CR, LF and iCalendar syntax in any stored text cannot add a property or a component to any feed.

Events with crafted text in every field (through the service, as a form, an
import or a harvest would store it), and a comms plan item with crafted title
and notes, are published; every feed route is fetched (whole, per body,
filtered, private, the comms plan, one event) and read back by three
independent parsers (``icalendar``, ``ical`` and Mozilla's ``ical.js``): each
event must come back alone, with only the properties blgcal writes, and the
raw bytes must hold no line break that is not a CRLF line end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind
from blgcal.models import User
from blgcal.services.events import save_event
from blgcal.services.history import Actor

from ..conftest import AuthActions
from ..support.ical_parsers import parse_all
from ..web.test_comms_feed import comms_feed_path

pytestmark = pytest.mark.usefixtures("seeded")
NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)
INJECTIONS = (
    "a\r\nATTENDEE:mailto:evil@example.org",
    "b\nBEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT1M\nEND:VALARM",
    "c\rEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected@evil\r\nSUMMARY:Injected",
    "d\r\n END:VCALENDAR",
    "e\\nX-INJECTED:1;x=y,z",
    "f\x85ORGANIZER:mailto:evil@example.org\u2028CLASS:PRIVATE",
)
FIELDS = ("title", "code", "venue", "city", "description", "url", "audience")
BARE_BREAK = re.compile(rb"\r(?!\n)|(?<!\r)\n")


@pytest.fixture
def crafted(session: Session) -> list[int]:
    ids = []
    for number, text in enumerate(INJECTIONS):
        values = {field: f"{field} {text}" for field in FIELDS}
        values["url"] = f"https://example.org/{number}?{text}"
        event, _ = save_event(session, EventData(
            uid=f"crafted-{number}@test", bodies=("ramsar",), kind=Kind.WORKING_GROUP,
            start_date=date(2026, 12, 1 + number), end_date=date(2026, 12, 1 + number),
            country="CH", tags=(text[:64],), **values), now=NOW, actor=Actor("test", "cli"))
        ids.append(event.id)
    session.commit()
    return ids


def read_back(client: FlaskClient, path: str) -> dict[str, list[object]]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers["Content-Type"].startswith("text/calendar"), path
    data = response.get_data()
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and not any(BARE_BREAK.search(line) for line in lines), path
    assert not any(line.startswith((b"ATTENDEE", b"ORGANIZER", b"X-INJECTED", b"BEGIN:VALARM"))
                   for line in lines), path
    assert sum(line == b"BEGIN:VCALENDAR" for line in lines) == 1, path
    parsed = parse_all(data)
    for name, events in parsed.items():
        assert all(not event.unexpected for event in events), (path, name)
        assert not any(event.uid.startswith("injected") for event in events), (path, name)
    return parsed


def test_no_feed_gains_a_property_or_component_from_stored_text(
        client: FlaskClient, crafted: list[int]) -> None:
    paths = ["/feeds/all.ics", "/feeds/ramsar.ics", "/feeds/custom.ics?body=ramsar&from=2026-12-01",
             "/feeds/custom.ics?q=ATTENDEE", *(f"/events/{event_id}.ics" for event_id in crafted)]
    for path in paths:
        parsed = read_back(client, path)
        crafted_uids = {event.uid for event in parsed["icalendar"] if "crafted-" in event.uid}
        assert crafted_uids, f"{path} shows none of the crafted events: the test proves nothing"
        for name, events in parsed.items():
            mine = [event for event in events if "crafted-" in event.uid]
            assert {event.uid for event in mine} == crafted_uids, (path, name)
            assert all(event.summary.startswith(("title ", "code ")) or ": title " in event.summary
                       for event in mine), (path, name, [event.summary for event in mine])


def test_private_and_comms_plan_feeds_resist_the_same_text(
        auth: AuthActions, create_user: Callable[..., User], crafted: list[int]) -> None:
    create_user("comms@blg.int", role="comms")
    auth.login("comms@blg.int")
    for number, text in enumerate(INJECTIONS):
        saved = auth.post("/comms/new", {"title": f"item {text}", "owner_bodies": ["ramsar"],
                                         "channel": "social_media", "deadline": f"2027-01-{10 + number}",
                                         "status": "idea", "notes": f"notes {text}"})
        assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    events_feed = comms_feed_path(auth, name="Everything", content="events")
    plan_feed = comms_feed_path(auth, name="Plan", content="comms")
    assert sum("crafted-" in event.uid for event in read_back(auth.client, events_feed)["ical.js"]) == 6
    plan = read_back(auth.client, plan_feed)
    for name, items in plan.items():
        assert len(items) == len(INJECTIONS), name
