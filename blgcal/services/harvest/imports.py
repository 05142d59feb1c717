"""One-off imports of a file, through the same parsers and rules as harvests.

An import is a harvest of a disabled source named ``import <body>/<file>``
that holds the file: items are keyed by (source, UID, recurrence id), matched
to the events they already are (same UID, or a sure duplicate), staff edits
win, SEQUENCE rises only on material change, and the whole file is written
or none of it. Unlike a scheduled source, items missing from a re-import are
kept, and the window is wide (:data:`WINDOW_DAYS` each way unless given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.harvest.detect import kind_for, sniff
from blgcal.domain.harvest.sources import OnVanish, RunStatus, SourceKind
from blgcal.models import HarvestRun, Source
from blgcal.services.harvest.run import HarvestSettings, harvest_source, series_note
from blgcal.services.harvest.sources import SourceError, create_source
from blgcal.services.queries import body_slugs

WINDOW_DAYS = 1825


class ImportRefused(ValueError):
    """The import cannot be done (unknown body or file type, or a bad file)."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    run: HarvestRun

    def __str__(self) -> str:
        run = self.run
        text = f"{run.new} added, {run.updated} updated, {run.unchanged} unchanged"
        text += f", {run.merged} matched to existing events" if run.merged else ""
        return text + (f"; {note}" if (note := series_note(run)) else "")

    @property
    def warnings(self) -> list[str]:
        """Each warning of the run, with its line or item."""
        return [f"{w['where']}: {w['message']}" if w.get("where") else w["message"]
                for w in self.run.warnings]


def import_file(session: Session, path: Path, *, body: str, now: datetime,
                settings: HarvestSettings = HarvestSettings(), today: date | None = None,
                days_back: int = WINDOW_DAYS, days_ahead: int = WINDOW_DAYS) -> ImportReport:
    """Import every item of *path* or none, its format recognised by its content.

    iCalendar, the meetings CSV, a saved InforMEA (OData, D8) or CBD Solr
    response import as they are, whatever the file is called.

    The window is *days_back* and *days_ahead* around *today* (default: *now*'s day).
    """
    known = body_slugs(session)
    if body not in known:
        raise ImportRefused(f"unknown body {body!r}; known: {', '.join(sorted(known))}")
    if path.stat().st_size == 0:
        raise ImportRefused(f"{path.name}: line 1: the file is empty")
    with path.open("rb") as handle:
        kind = sniff(handle.read(65536)) or (kind_for(path.name) if path.suffix else None)
    if kind is None:
        raise ImportRefused(f"{path.name}: not a format blgcal reads (iCalendar, the meetings"
                            " CSV, an InforMEA or CBD meetings JSON response)")
    try:
        source = import_source(session, path, body=body, kind=kind, now=now)
    except SourceError as exc:
        raise ImportRefused(f"{path.name}: {exc}") from None
    source.window_back_days, source.window_ahead_days = days_back, days_ahead
    run = harvest_source(session, source, now=now, settings=settings, accept_drop=True,
                         origin="import", today=today)
    if run.status == RunStatus.FAILED:
        raise ImportRefused(run.message or "the file could not be read")
    return ImportReport(run)


def import_source(session: Session, path: Path, *, body: str, kind: SourceKind,
                  now: datetime) -> Source:
    """The disabled source that holds this file's imports, with the file's bytes."""
    name = f"import {body}/{path.name}"
    data = path.read_bytes()
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        return create_source(session, now=now, name=name, body_slug=body, kind=kind,
                             file_name=path.name, file_content=data, enabled=False,
                             on_vanish=OnVanish.KEEP, window_back_days=WINDOW_DAYS,
                             window_ahead_days=WINDOW_DAYS)
    source.kind, source.file_content, source.content_key = kind, data, None
    return source
