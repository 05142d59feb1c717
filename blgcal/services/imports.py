"""One-off imports of a file, with the same parsers and rules as harvests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.harvest.records import ParseResult
from blgcal.domain.ids import stable_uid
from blgcal.models import Event
from blgcal.services.events import save_event
from blgcal.services.history import Actor
from blgcal.services.queries import body_slugs
from blgcal.services.seed import SeedReport


class ImportRefused(ValueError):
    """The import cannot start (unknown body, unsupported file type)."""


def parse_path(path: Path, *, body: str, known: frozenset[str]) -> ParseResult:
    """Parse *path* by its extension; raise ParseError naming line or item."""
    if path.suffix.lower() != ".csv":
        raise ImportRefused(f"{path.name}: unsupported file type {path.suffix!r} (use .csv)")
    text = path.read_bytes().decode("utf-8-sig")
    return parse_meetings_csv(text, source=path.name, default_body=body, known_bodies=known)


def import_file(session: Session, path: Path, *, body: str, now: datetime) -> SeedReport:
    """Import every item of *path* or none; items are keyed by body and UID or code."""
    known = body_slugs(session)
    if body not in known:
        raise ImportRefused(f"unknown body {body!r}; known: {', '.join(sorted(known))}")
    result = parse_path(path, body=body, known=known)
    report = SeedReport()
    actor = Actor(f"blgcal import {path.name}", "cli")
    for item in result.items:
        uid = stable_uid("meeting", item.external_uid)
        row = session.scalar(select(Event).where(Event.uid == uid))
        event = replace(item.event, uid=uid, source_url=item.source_url)
        _, changed = save_event(session, event, now=now, actor=actor, row=row, origin="import")
        if row is None:
            report.added += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    return report
