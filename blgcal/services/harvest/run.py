"""Harvest one source: fetch (conditionally), parse, guard, then write all or nothing.

A fetch that fails, a file that does not parse, or a result that drops more
than ``max_drop`` of what the source listed last time writes nothing but the
failed run (with each problem's line or item). Otherwise the calendar is
brought in line (:mod:`blgcal.services.harvest.apply`) and the run recorded.

Conditional requests (ETag, Last-Modified) and the digest of the content last
parsed (:mod:`blgcal.domain.harvest.digest`: the bytes, iCalendar DTSTAMPs
aside) are only trusted for the same window: when the day moves the window,
the source is read again so recurring series fill the new days.

Paged sources (InforMEA, the CBD) are read page by page
(:mod:`blgcal.services.harvest.pages`); the source's zone and title
exclusions are applied to what was parsed (:mod:`.source_rules`), and the
run keeps the list of events it added, changed, cancelled and excluded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from blgcal.confine import confined
from blgcal.domain.harvest.detect import parse_file
from blgcal.domain.harvest.digest import content_digest
from blgcal.domain.harvest.limits import ParseLimits
from blgcal.domain.harvest.records import ParseError, ParseResult, Problem, series_summary
from blgcal.domain.harvest.source_rules import apply_rules, patterns
from blgcal.domain.harvest.sources import RunStatus
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.types import Kind
from blgcal.fetch import FetchError, FetchResult, fetch, url_origin
from blgcal.models import HarvestRun, Source
from blgcal.services.harvest.apply import Counts, DropRefused, apply_result
from blgcal.services.harvest.pages import Pages, read_pages
from blgcal.services.queries import body_slugs

Fetcher = Callable[..., FetchResult]
#: Told each stage of a harvest: ``report(stage, done, total)``; it may raise to stop the harvest.
Reporter = Callable[[str, int, "int | None"], None]
# A run lists at most this many events it added, changed, cancelled or excluded.
MAX_LISTED = 1000


@dataclass(frozen=True, slots=True)
class HarvestSettings:
    """The ``HARVEST_*`` configuration a harvest needs."""

    allow_hosts: frozenset[str] = frozenset()
    max_bytes: int = 10 * 2**20
    max_drop: float = 0.5
    connect_timeout: float = 5
    read_timeout: float = 30
    max_redirects: int = 5
    limits: ParseLimits = ParseLimits()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> HarvestSettings:
        hosts = config.get("HARVEST_ALLOW_HOSTS") or ()
        if isinstance(hosts, str):  # BLGCAL_HARVEST_ALLOW_HOSTS=a.example,b.example:8080
            hosts = [host.strip() for host in hosts.split(",") if host.strip()]
        return cls(allow_hosts=frozenset(str(host).lower() for host in hosts),
                   max_bytes=int(config["HARVEST_MAX_BYTES"]),
                   max_drop=float(config["HARVEST_MAX_DROP"]),
                   connect_timeout=float(config["HARVEST_CONNECT_TIMEOUT"]),
                   read_timeout=float(config["HARVEST_READ_TIMEOUT"]),
                   max_redirects=int(config["HARVEST_MAX_REDIRECTS"]))


class Stopped(Exception):
    """The harvest was stopped from outside (its job ran out of time); nothing was written."""


class NotModified(Exception):
    """The source has nothing new for this window."""


class WriteFailed(Exception):
    """The database refused the harvest's changes; none of them were kept."""


def window_for(source: Source, today: date) -> HarvestWindow:
    """The days the source is kept for, around *today*."""
    return HarvestWindow.around(today, back=source.window_back_days, ahead=source.window_ahead_days)


def harvest_source(session: Session, source: Source, *, now: datetime, fetch: Fetcher = fetch,
                   settings: HarvestSettings = HarvestSettings(), today: date | None = None,
                   accept_drop: bool = False, origin: str = "harvest",
                   report: Reporter | None = None) -> HarvestRun:
    """Harvest *source* once and return the run (added to the session, flushed).

    *report* hears each stage: fetching, parsing, then applying the parsed items.
    """
    report = report or (lambda stage, done, total: None)
    clock = time.monotonic()
    run = HarvestRun(source_id=source.id, started_dt=now, status=RunStatus.OK, errors=[], warnings=[],
                     new=0, updated=0, unchanged=0, cancelled=0, rejected=0, merged=0,
                     changes=[], excluded=0)
    day = today or now.date()
    window = window_for(source, day)
    try:
        report("fetching", 0, None)
        data, pages, tag = obtain(source, run, window, fetch=fetch, settings=settings)
        report("parsing", 0, None)
        parsed = parse(session, source, data, window, today=day, pages=pages, limits=settings.limits)
        result, left_out = apply_rules(parsed, zone=source.default_timezone,
                                       exclude=patterns(source.exclude_titles))
        report("applying", 0, len(result.items))
        run.excluded = len(left_out)
        run.changes = [change("excluded", None, item.event.title) for item in left_out[:MAX_LISTED]]
        counts = apply_safely(session, source, result, now=now, window=window,
                              max_drop=settings.max_drop, accept_drop=accept_drop, origin=origin)
        report("applied", len(result.items), len(result.items))
    except NotModified:
        run.status = RunStatus.NOT_MODIFIED
        source.last_success_dt = now
        # New validators for the same content (Indico's new DTSTAMPs): ask with them next time.
        source.etag = run.etag or source.etag
        source.last_modified = run.last_modified or source.last_modified
    except FetchError as exc:
        fail(run, exc.message, [Problem("", exc.message)])
    except ParseError as exc:
        fail(run, str(exc), exc.problems)
    except (DropRefused, WriteFailed) as exc:
        fail(run, str(exc), [Problem("", str(exc))])
    else:
        succeed(source, run, counts, result, tag=tag, now=now)
    run.finished_dt = now + timedelta(seconds=time.monotonic() - clock)
    session.add(run)
    session.flush()
    return run


def apply_safely(session: Session, source: Source, result: ParseResult, **options: Any) -> Counts:
    """Apply *result* inside a savepoint: a database error undoes it and says so in one line.

    On SQLite the savepoint's first statement is a write, which takes the write lock:
    a transaction that read first could not write once another connection (an editor's
    save, the job's heartbeat) had committed, and would fail with "database is locked".
    """
    try:
        with session.begin_nested():
            if session.get_bind().dialect.name == "sqlite":
                session.execute(update(Source).where(Source.id == source.id).values(id=source.id))
            return apply_result(session, source, result.items, **options)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
        raise WriteFailed(f"the database refused the changes, so none were kept: {reason}") from None


def obtain(source: Source, run: HarvestRun, window: HarvestWindow, *, fetch: Fetcher,
           settings: HarvestSettings) -> tuple[bytes, Pages, str]:
    """The source's bytes, its further pages and their key; NotModified when nothing changed."""
    same_window = (source.content_key or "").endswith(window.tag)
    pages = Pages()
    if source.url:
        answer = fetch(source.url, etag=source.etag if same_window else None,
                       last_modified=source.last_modified if same_window else None,
                       **fetch_options(source, settings))
        run.etag, run.last_modified = answer.etag, answer.last_modified
        if answer.body is None:
            raise NotModified
        data = answer.body

        def get(url: str) -> bytes:
            return fetch(url, **fetch_options(source, settings)).body or b""

        pages = read_pages(source.kind, source.url, data, get)
    else:
        data = source.file_content or b""
    tag = content_digest(data + pages.key_bytes(), source.kind) + window.tag
    if tag == source.content_key:
        raise NotModified
    return data, pages, tag


def fetch_options(source: Source, settings: HarvestSettings) -> dict[str, Any]:
    """The fetcher's limits and allow-list for this source."""
    return {"max_bytes": settings.max_bytes, "connect_timeout": settings.connect_timeout,
            "read_timeout": settings.read_timeout, "max_redirects": settings.max_redirects,
            "allow_hosts": allowed_hosts(source, settings)}


def allowed_hosts(source: Source, settings: HarvestSettings) -> frozenset[str]:
    """The configured allow-list, plus this source's own host and port if an admin trusts it."""
    if source.trust_host and source.url:
        return settings.allow_hosts | {url_origin(source.url)}
    return settings.allow_hosts


def parse(session: Session, source: Source, data: bytes, window: HarvestWindow, *,
          today: date | None = None, pages: Pages | None = None,
          limits: ParseLimits = ParseLimits()) -> ParseResult:
    """Parse what *source* gave, in a child process held to *limits* (:mod:`blgcal.confine`)."""
    pages = pages or Pages()
    name = source.url or source.file_name or source.name
    return confined(name, limits, parse_file, data, kind=source.kind, source=name,
                    default_body=source.body_slug, known_bodies=frozenset(body_slugs(session)),
                    window=window, today=today,
                    default_kind=Kind(source.default_kind or Kind.GOVERNING_BODY),
                    more=pages.more, deferred=pages.deferred, zone=source.default_timezone,
                    limits=limits)


def series_note(run: HarvestRun) -> str:
    """What the run's warnings say of recurring series refused or cut, or ""."""
    return series_summary(warning["message"] for warning in run.warnings or [])


def fail(run: HarvestRun, message: str, problems: list[Problem]) -> None:
    run.status, run.message = RunStatus.FAILED, message[:2000]
    run.changes, run.excluded = [], 0  # nothing was written, nothing left out
    run.errors = [{"where": p.where, "message": p.message} for p in problems[:200]]
    run.rejected = max(1, len(problems))


def change(action: str, event_id: int | None, title: str) -> dict[str, Any]:
    """One line of a run's list of what it did."""
    return {"action": action, "event_id": event_id, "title": title[:300]}


def succeed(source: Source, run: HarvestRun, counts: Counts, result: ParseResult, *, tag: str,
            now: datetime) -> None:
    for name in ("new", "updated", "unchanged", "cancelled", "merged"):
        setattr(run, name, getattr(counts, name))
    done = [change(*entry) for entry in counts.changes[:MAX_LISTED]]
    run.changes = done + list(run.changes or [])
    run.warnings = [{"where": p.where, "message": p.message} for p in result.warnings[:200]]
    source.etag, source.last_modified = run.etag, run.last_modified
    source.content_key, source.last_success_dt = tag, now


def crash_run(session: Session, source: Source, *, started: datetime, finished: datetime,
              error: BaseException) -> HarvestRun:
    """Record a harvest that stopped on an unexpected error (after the edge rolled back)."""
    message = str(error) if isinstance(error, Stopped) else f"internal error: {error!r}"
    run = HarvestRun(source_id=source.id, started_dt=started, finished_dt=finished,
                     status=RunStatus.FAILED, message=message[:2000],
                     errors=[{"where": "", "message": repr(error)[:500]}], warnings=[],
                     new=0, updated=0, unchanged=0, cancelled=0, rejected=1, merged=0)
    session.add(run)
    session.flush()
    return run
