"""Register, change and list harvest sources; how healthy each one is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.domain.harvest.presets import preset
from blgcal.domain.harvest.sources import OnVanish, RunStatus, SourceKind, spoken
from blgcal.domain.places import is_zone
from blgcal.domain.types import Kind
from blgcal.domain.validation import is_web_url
from blgcal.models import HarvestRun, Provenance, Source
from blgcal.services.queries import body_slugs

MAX_WINDOW_DAYS = 3650


class SourceError(ValueError):
    """A source cannot be saved as given; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source with its latest run, last success and whether it is stale."""

    source: Source
    last_run: HarvestRun | None
    items: int
    stale: bool

    @property
    def failing(self) -> bool:
        return self.last_run is not None and self.last_run.status == RunStatus.FAILED


def check(session: Session, values: dict[str, Any], *, current: Source | None = None) -> None:
    """Refuse values that would make a source that cannot be harvested."""
    if values.get("kind") not in SourceKind._value2member_map_:
        raise SourceError(f"kind must be one of {', '.join(SourceKind)}")
    if values.get("body_slug") not in body_slugs(session):
        raise SourceError(f"unknown body {values.get('body_slug')!r}")
    url = values.get("url")
    if url and not is_web_url(str(url)):
        raise SourceError("the URL must start with http:// or https:// and name a host")
    if not url and not values.get("file_content") and not (current and current.file_content):
        raise SourceError("give a URL or upload a file")
    if values.get("default_kind") and values["default_kind"] not in Kind._value2member_map_:
        raise SourceError(f"default kind must be one of {', '.join(Kind)}")
    if values.get("default_timezone") and not is_zone(str(values["default_timezone"])):
        raise SourceError(f"{values['default_timezone']!r} is not an IANA time zone")
    if values.get("on_vanish", OnVanish.CANCEL) not in OnVanish._value2member_map_:
        raise SourceError(f"on_vanish must be {spoken(OnVanish)}")
    back, ahead = values.get("window_back_days", 180), values.get("window_ahead_days", 1095)
    if not (0 <= back and 0 <= ahead and back + ahead <= MAX_WINDOW_DAYS):
        raise SourceError(f"the window must be 0 or more days each way, {MAX_WINDOW_DAYS} in all")
    clash = session.scalar(select(Source.id).where(Source.name == values.get("name")))
    if clash is not None and (current is None or clash != current.id):
        raise SourceError(f"a source named {values.get('name')!r} already exists")


def create_source(session: Session, *, now: datetime, **values: Any) -> Source:
    """Add a source (name, body_slug, kind, url or file_content, ...)."""
    values.setdefault("name", values.get("url") or values.get("file_name") or "")
    check(session, values)
    source = Source(created_dt=now, **typed(values))
    session.add(source)
    session.flush()
    return source


def update_source(session: Session, source: Source, **values: Any) -> None:
    """Change a source; a new URL or file is read afresh at the next harvest."""
    check(session, {**_current(source), **values}, current=source)
    if values.get("url") != source.url or values.get("file_content"):
        source.etag = source.last_modified = source.content_key = None
    if not values.get("file_content"):
        values.pop("file_content", None)
        values.pop("file_name", None)
    for name, value in typed(values).items():
        setattr(source, name, value)
    session.flush()


def typed(values: dict[str, Any]) -> dict[str, Any]:
    """Checked *values* with the kind and on_vanish as their enums, as a loaded source has them."""
    enums = {"kind": SourceKind, "on_vanish": OnVanish}
    return {name: enums[name](value) if name in enums else value for name, value in values.items()}


def _current(source: Source) -> dict[str, Any]:
    names = ("name", "body_slug", "kind", "url", "on_vanish", "window_back_days",
             "window_ahead_days", "default_kind", "default_timezone")
    return {name: getattr(source, name) for name in names}


def sources(session: Session) -> Sequence[Source]:
    return session.scalars(select(Source).order_by(Source.name)).all()


def by_names(session: Session, names: Sequence[str]) -> list[Source]:
    """The sources named (all enabled ones when none are); unknown names raise."""
    if not names:
        return list(session.scalars(select(Source).where(Source.enabled).order_by(Source.name)))
    found = {s.name: s for s in session.scalars(select(Source).where(Source.name.in_(names)))}
    missing = [name for name in names if name not in found]
    if missing:
        raise SourceError(f"no source named {', '.join(map(repr, missing))}")
    return [found[name] for name in names]


def is_stale(source: Source, *, now: datetime, stale_days: int) -> bool:
    """Enabled, and no successful harvest for *stale_days* (counting from creation)."""
    since = source.last_success_dt or source.created_dt
    return source.enabled and since < now - timedelta(days=stale_days)


def health(session: Session, *, now: datetime, stale_days: int) -> list[SourceHealth]:
    """Every source with its latest run and live item count, in three queries."""
    latest = select(func.max(HarvestRun.id)).group_by(HarvestRun.source_id)
    runs = {run.source_id: run for run in session.scalars(
        select(HarvestRun).where(HarvestRun.id.in_(latest)))}
    counts = dict(session.execute(
        select(Provenance.source_id, func.count()).where(Provenance.vanished_dt.is_(None))
        .group_by(Provenance.source_id)).all())
    return [SourceHealth(source, runs.get(source.id), counts.get(source.id, 0),
                         is_stale(source, now=now, stale_days=stale_days))
            for source in sources(session)]


def runs(session: Session, source_id: int, *, limit: int = 50) -> Sequence[HarvestRun]:
    """The source's latest runs, newest first."""
    query = select(HarvestRun).where(HarvestRun.source_id == source_id)
    return session.scalars(query.order_by(HarvestRun.id.desc()).limit(limit)).all()


def notes(session: Session, event_id: int) -> list[tuple[str, dict[str, Any]]]:
    """(source name, what it now says) for each source that differs from the event."""
    query = (select(Source.name, Provenance.source_values)
             .join(Source, Source.id == Provenance.source_id)
             .where(Provenance.event_id == event_id).order_by(Source.name))
    return [(name, values) for name, values in session.execute(query) if values]


ACTIONS = (("added", "Added"), ("changed", "Changed"), ("cancelled", "Cancelled"),
           ("matched", "Matched to events already here"), ("excluded", "Left out by the title rule"))


def changes_by_action(run: HarvestRun) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(action, heading, entries) for each kind of change the run made, in a fixed order."""
    found = [(action, heading, [c for c in run.changes or [] if c.get("action") == action])
             for action, heading in ACTIONS]
    return [entry for entry in found if entry[2]]


def add_preset(session: Session, name: str, *, now: datetime, category: str | None = None,
               source_name: str | None = None) -> Source:
    """A disabled source from a shipped preset (an admin enables it once its terms are cleared)."""
    try:
        found = preset(name)
        url = found.url_for(category)
    except (KeyError, ValueError) as exc:
        raise SourceError(str(exc).strip("'\"")) from None
    default = f"{found.name}-{category}" if found.needs_category else found.name
    return create_source(session, now=now, name=source_name or default, body_slug=found.body,
                         kind=found.kind, url=url, enabled=False, preset=found.name,
                         default_kind=found.default_kind, exclude_titles=found.exclude_titles,
                         on_vanish=found.on_vanish)
