"""Load the shipped bodies, meetings and observances, idempotently.

Rows are keyed by slug (bodies, observances) or by a UID derived from the
meeting's body and code, so a second run finds everything in place and writes
nothing. An event that already exists is never overwritten: once staff or a
harvest have touched it, their version wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.harvest.seed_csv import parse_bodies, parse_observances
from blgcal.domain.ids import stable_uid
from blgcal.models import Body, Event, Observance
from blgcal.services.events import save_event
from blgcal.services.history import SEED

SEED_FILES = ("bodies.csv", "meetings.csv", "meetings_undated.csv", "observances.csv")


@dataclass
class SeedReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


def read_seed(name: str) -> str:
    """The text of a shipped seed file."""
    return (files("blgcal") / "seed" / name).read_text(encoding="utf-8")


def folder_reader(folder: str | None) -> Callable[[str], str]:
    """Read seed files from *folder* instead of the package (``SEED_DIR``)."""
    if not folder:
        return read_seed
    return lambda name: (Path(folder) / name).read_text(encoding="utf-8")


def load_seed(session: Session, *, now: datetime,
              reader: Callable[[str], str] = read_seed) -> SeedReport:
    """Parse every seed file first, then write: a bad file writes nothing."""
    bodies = parse_bodies(reader("bodies.csv"), source="bodies.csv")
    slugs = frozenset(body.slug for body in bodies)
    observances = parse_observances(reader("observances.csv"), source="observances.csv",
                                    known_bodies=slugs)
    meetings = [item for name in ("meetings.csv", "meetings_undated.csv")
                for item in parse_meetings_csv(reader(name), source=name,
                                               known_bodies=slugs).items]
    report = SeedReport()
    for body in bodies:
        _upsert(session, Body, body.slug, asdict(body), report)
    session.flush()
    for observance in observances:
        _upsert(session, Observance, observance.slug, asdict(observance), report)
    existing = set(session.scalars(select(Event.uid)))
    for item in meetings:
        uid = stable_uid("meeting", item.external_uid)
        if uid in existing:
            report.unchanged += 1
            continue
        save_event(session, replace(item.event, uid=uid, source_url=item.source_url), now=now,
                   actor=SEED, origin="seed")
        report.added += 1
    session.flush()
    return report


def _upsert(session: Session, model: type[Body] | type[Observance], key: str,
            values: dict[str, object], report: SeedReport) -> None:
    row = session.get(model, key)
    if row is None:
        session.add(model(**values))
        report.added += 1
    elif any(getattr(row, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(row, name, value)
        report.updated += 1
    else:
        report.unchanged += 1
