"""Events for the feed tests, written through the service, and what a feed must say of them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from blgcal.domain.ical.content import description_text, event_uid, location_text, summary_text
from blgcal.domain.ical.event import ICAL_STATUS
from blgcal.domain.types import Event as EventData
from blgcal.domain.types import Kind, Status, Visibility
from blgcal.models import Body, Event
from blgcal.services.event_rows import to_domain
from blgcal.services.events import save_event
from blgcal.services.history import Actor
from tests.support.ical_parsers import ParsedEvent, parse_all

ACTOR = Actor("feed tests", "cli")
NOW = datetime(2026, 11, 20, 9, 0, 7, tzinfo=UTC)  # a week before the tests' TODAY
_numbers = itertools.count()


def add_bodies(session: Session, slugs: tuple[str, ...] = ("cbd", "cites")) -> None:
    """Bodies for events to name, when the test does not load the whole seed."""
    for slug in slugs:
        if session.get(Body, slug) is None:
            session.add(Body(slug=slug, short_name=slug.upper(), name=f"The {slug.upper()}"))
    session.commit()


def add(session: Session, *, now: datetime = NOW, **fields: Any) -> Event:
    """Save a confirmed, public, all-day CBD meeting in 2027, changed by *fields*."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "uid": f"feed-test-{number}@tests", "title": f"Meeting {number}", "bodies": ("cbd",),
        "kind": Kind.WORKING_GROUP, "start_date": date(2027, 3, 1), "end_date": date(2027, 3, 3),
        "city": "Montreal", "country": "CA", "timezone": "America/Toronto",
    }
    values.update(fields)
    if fields.get("start_dt"):
        values.update(start_date=None, end_date=None)
    row, _ = save_event(session, EventData(**values), now=now, actor=ACTOR)
    session.commit()
    return row


def timed(session: Session, start: datetime, hours: float, zone: str | None,
          **fields: Any) -> Event:
    return add(session, start_dt=start, end_dt=start + timedelta(hours=hours), timezone=zone,
               **fields)


@dataclass(frozen=True)
class Expected:
    uid: str
    summary: str
    description: str | None
    location: str | None
    status: str
    sequence: int
    start: date | datetime
    end: date | datetime

    @classmethod
    def of(cls, row: Event, *, cancelled: bool = False) -> Expected:
        data = to_domain(row)
        if cancelled or row.deleted_dt is not None:
            data = replace(data, status=Status.CANCELLED)
        if data.start_date is not None and data.end_date is not None:
            start: date | datetime = data.start_date
            end: date | datetime = data.end_date + timedelta(days=1)
        else:
            assert data.start_dt is not None and data.end_dt is not None
            start = data.start_dt.astimezone(UTC).replace(microsecond=0)
            end = data.end_dt.astimezone(UTC).replace(microsecond=0)
        return cls(event_uid(data), summary_text(data), description_text(data),
                   location_text(data), ICAL_STATUS[data.status], data.sequence, start, end)


def seen(parsed: ParsedEvent) -> Expected:
    return Expected(parsed.uid, parsed.summary or "", parsed.description, parsed.location,
                    parsed.status or "", parsed.sequence or 0, parsed.start,
                    parsed.end if parsed.end is not None else parsed.start)


def read_feed(data: bytes) -> dict[str, dict[str, Expected]]:
    """What each of the three parsers reads in *data*, by parser then by UID."""
    found = {}
    for parser, events in parse_all(data).items():
        assert all(not e.unexpected for e in events), (parser, [e.unexpected for e in events])
        by_uid = {e.uid: seen(e) for e in events if e.rrule is None}
        assert len(by_uid) == len([e for e in events if e.rrule is None]), "a UID twice"
        found[parser] = by_uid
    return found


def assert_feed_holds(data: bytes, rows: list[Event], *, session: Session,
                      observances: int = 0) -> None:
    """Every parser reads exactly *rows* (as stored now), times and text included."""
    for row in rows:
        session.refresh(row)
    expected = {e.uid: e for e in (Expected.of(row) for row in rows)}
    for parser, found in read_feed(data).items():
        assert found == expected, parser
    for parser, events in parse_all(data).items():
        assert len([e for e in events if e.rrule]) == observances, parser


PUBLIC, STAFF = Visibility.PUBLIC, Visibility.STAFF
