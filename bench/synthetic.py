"""Synthetic calendars for the benchmarks: realistic, reproducible, fast to load."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from blgcal.domain.types import Kind, Status, Visibility
from blgcal.models import Event, EventBody, EventTag

BODIES = ("cbd", "cites", "cms", "ramsar", "whc", "ippc", "itpgrfa", "iwc", "unep", "ipbes",
          "unfccc", "gef", "iucn", "un", "blg")
CITIES = (("Rome", "IT", "Europe/Rome"), ("Geneva", "CH", "Europe/Zurich"),
          ("Nairobi", "KE", "Africa/Nairobi"), ("Bonn", "DE", "Europe/Berlin"),
          ("Montreal", "CA", "America/Toronto"), ("Samarkand", "UZ", "Asia/Samarkand"),
          ("Panama City", "PA", "America/Panama"), ("Busan", "KR", "Asia/Seoul"))
TAGS = ("oceans", "wetlands", "trade", "finance", "climate", "plants", "species", "heritage")
MEETING_KINDS = [kind for kind in Kind if kind.is_meeting]


def rows(count: int, *, first: date, years: int = 10, seed: int = 7) -> list[dict[str, object]]:
    """*count* event rows spread over *years* from *first*, a fifth of them timed."""
    rng = random.Random(seed)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for number in range(count):
        start = first + timedelta(days=rng.randrange(365 * years))
        city, country, zone = rng.choice(CITIES)
        row: dict[str, object] = {
            "id": 1_000_000 + number, "uid": f"synthetic-{number}@bench", "code": f"SYN-{number}",
            "title": f"Synthetic meeting {number} on {rng.choice(TAGS)}",
            "kind": rng.choice(MEETING_KINDS), "status": rng.choice(list(Status)),
            "visibility": Visibility.PUBLIC, "city": city, "country": country,
            "timezone": zone, "online": False, "audience": [], "origin": "bench",
            "sequence": 0, "created_dt": stamp, "updated_dt": stamp,
            "description": "A synthetic meeting for the benchmarks. " * 3,
            "start_date": None, "end_date": None, "start_dt": None, "end_dt": None,
        }
        if number % 5 == 0:
            begin = datetime.combine(start, datetime.min.time(), UTC) + timedelta(hours=9)
            row.update(start_dt=begin, end_dt=begin + timedelta(hours=3))
        else:
            row.update(start_date=start, end_date=start + timedelta(days=rng.randrange(6)))
        row["first_date"] = start
        row["last_date"] = row["end_date"] or start
        made.append(row)
    return made


def load(session: Session, count: int, *, first: date, seed: int = 7) -> None:
    """Insert *count* synthetic events with organisers and tags in bulk."""
    made = rows(count, first=first, seed=seed)
    rng = random.Random(seed)
    session.execute(insert(Event), made)
    session.execute(insert(EventBody), [
        {"event_id": row["id"], "body_slug": rng.choice(BODIES), "position": 0} for row in made])
    session.execute(insert(EventTag), [
        {"event_id": row["id"], "tag": rng.choice(TAGS)} for row in made])
    session.commit()
