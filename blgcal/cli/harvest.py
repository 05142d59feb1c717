"""``blgcal harvest`` and ``blgcal source add|list``.

The harvest itself is :func:`blgcal.harvesting.harvest`, the use case harvest
jobs run too: each source its own unit of work, under the harvest lock.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from blgcal.cli.output import CommandError, echo
from blgcal.clock import now, today
from blgcal.db import get_session
from blgcal.domain.harvest.presets import PRESETS
from blgcal.domain.harvest.records import ParseError
from blgcal.domain.harvest.sources import OnVanish, RunStatus, SourceKind
from blgcal.domain.types import Kind
from blgcal.harvesting import harvest
from blgcal.models import HarvestRun, Source
from blgcal.services.harvest import imports
from blgcal.services.harvest import sources as source_service
from blgcal.services.harvest.lock import LockHeld
from blgcal.services.harvest.run import series_note

COLUMNS = ("source", "status", "new", "upd", "same", "canc", "merged", "rej", "last success")


def init_app(app: Flask) -> None:
    app.cli.add_command(import_command)
    app.cli.add_command(harvest_command)
    app.cli.add_command(source_group)


@click.command("harvest")
@click.argument("names", nargs=-1)
@click.option("--accept-drop", is_flag=True,
              help="Accept a result that drops more than HARVEST_MAX_DROP of the items.")
@click.option("--wait", "wait_s", type=click.FloatRange(0), default=0, metavar="SECONDS",
              help="While another harvest runs, wait up to this long for it instead of failing.")
@with_appcontext
def harvest_command(names: tuple[str, ...], accept_drop: bool, wait_s: float) -> None:
    """Harvest every enabled source, or the sources NAMES; exit 1 if any failed."""
    session = get_session()
    try:
        chosen = source_service.by_names(session, names)
    except source_service.SourceError as exc:
        raise CommandError(str(exc)) from None
    told = False

    def waiting(held: LockHeld) -> None:
        nonlocal told
        if not told:
            echo(f"{held}; waiting up to {wait_s:g} s", err=True)
            told = True

    try:
        runs = harvest(progress(chosen), holder=holder(), accept_drop=accept_drop, wait=wait_s,
                       waiting=waiting)
    except LockHeld as exc:
        raise CommandError(f"{exc}; nothing was harvested") from None
    print_summary(session, runs)
    if any(run.status == RunStatus.FAILED for run in runs):
        sys.exit(1)


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def progress(chosen: list[Source]) -> Iterator[Source]:
    """A progress bar on a terminal; plain iteration in cron and pipes."""
    if not sys.stderr.isatty():
        yield from chosen
        return
    with click.progressbar(chosen, label="Harvesting", file=sys.stderr,
                           item_show_func=lambda s: s.name if s else "") as bar:
        yield from bar


def print_summary(session: Session, runs: Iterable[HarvestRun]) -> None:
    """A table of counts per source (with STALE flags), then why each failure failed."""
    stale_days = int(current_app.config["HARVEST_STALE_DAYS"])
    rows: list[tuple[str, ...]] = [COLUMNS]
    failures: list[str] = []
    for run in runs:
        source = session.get(Source, run.source_id)
        assert source is not None
        stale = source_service.is_stale(source, now=now(), stale_days=stale_days)
        success = f"{source.last_success_dt:%Y-%m-%d %H:%M}" if source.last_success_dt else "never"
        rows.append((source.name, run.status, *map(str, (
            run.new, run.updated, run.unchanged, run.cancelled, run.merged, run.rejected)),
            success + (" STALE" if stale else "")))
        if run.status == RunStatus.FAILED:
            failures.append(f"{source.name}: {run.message}")
    echo(table(rows))
    for run in runs:
        for line in what_it_did(run):
            echo(line)
        if note := series_note(run):
            echo(f"{run.source.name}: {note}")
    for line in failures:
        echo(f"FAILED {line}", err=True)


def what_it_did(run: HarvestRun) -> list[str]:
    """The events a run added, changed, cancelled or left out, with links, then its warnings."""
    base = str(current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    name = run.source.name
    lines = []
    for action, _, entries in source_service.changes_by_action(run):
        for entry in entries:
            link = f"  {base}/events/{entry['event_id']}" if entry.get("event_id") else ""
            lines.append(f"{name}: {action}: {entry['title']}{link}")
    for warning in run.warnings or []:
        where = f"{warning['where']}: " if warning.get("where") else ""
        lines.append(f"{name}: warning: {where}{warning['message']}")
    return lines


def table(rows: list[tuple[str, ...]]) -> str:
    """Rows as left-aligned columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in rows)


@click.group("source")
def source_group() -> None:
    """Manage harvest sources."""


@source_group.command("presets")
def source_presets() -> None:
    """List the shipped source definitions, and whether each format is verified."""
    for found in PRESETS:
        state = "verified" if found.verified else "documented only"
        echo(f"{found.name}\t{found.kind}\t{found.body}\t{state}\t{found.title}")
        echo(f"\t{found.url}\n\t{found.evidence}")
        if found.terms:
            echo(f"\tterms: {found.terms}")


@source_group.command("add")
@click.option("--preset", "preset_name", default=None,
              help="Add a shipped definition (see 'blgcal source presets'), disabled.")
@click.option("--category", default=None, help="The category id a preset needs (indico-un).")
@click.option("--body", "body", default=None, help="The body that owns the source (slug).")
@click.option("--kind", type=click.Choice([k.value for k in SourceKind]), default=None)
@click.option("--url", default=None, help="http:// or https:// address of the feed or file.")
@click.option("--name", default=None, help="A short unique name (default: the URL).")
@click.option("--on-vanish", type=click.Choice([v.value for v in OnVanish]), default=OnVanish.CANCEL.value,
              help="What happens to events the source stops listing.")
@click.option("--trust-host", is_flag=True, help="Allow this host even on a private address.")
@click.option("--days-back", type=click.IntRange(0), default=180, show_default=True,
              help="Keep events that ended up to this many days ago.")
@click.option("--days-ahead", type=click.IntRange(0), default=1095, show_default=True,
              help="Keep events starting up to this many days ahead.")
@click.option("--default-kind", type=click.Choice([k.value for k in Kind]), default=None,
              help="Kind of items the kinds rule cannot place (default: governing_body).")
@with_appcontext
def source_add(preset_name: str | None, category: str | None, body: str | None,
               kind: str | None, url: str | None, name: str | None, on_vanish: str,
               trust_host: bool, days_back: int, days_ahead: int,
               default_kind: str | None) -> None:
    """Register a source to harvest: --preset NAME, or --body, --kind and --url."""
    session = get_session()
    if preset_name:
        try:
            source = source_service.add_preset(session, preset_name, now=now(), category=category,
                                               source_name=name)
        except source_service.SourceError as exc:
            raise CommandError(str(exc)) from None
        session.commit()
        echo(f"Added source {source.name!r} from preset {preset_name!r}, disabled: clear the"
                   f" publisher's terms, then enable it at /admin/sources/{source.id}/edit.")
        return
    if not (body and kind and url):
        raise click.UsageError("give --preset NAME, or --body, --kind and --url")
    try:
        source = source_service.create_source(
            session, now=now(), name=name or url, body_slug=body, kind=kind, url=url,
            on_vanish=on_vanish, trust_host=trust_host, window_back_days=days_back,
            window_ahead_days=days_ahead, default_kind=default_kind)
    except source_service.SourceError as exc:
        raise CommandError(str(exc)) from None
    session.commit()
    echo(f"Added source {source.name!r} ({kind}, {body}); harvest it with "
               f"'blgcal harvest {source.name!r}'.")


@source_group.command("list")
@with_appcontext
def source_list() -> None:
    """List the sources with their state."""
    stale_days = int(current_app.config["HARVEST_STALE_DAYS"])
    for found in source_service.health(get_session(), now=now(), stale_days=stale_days):
        source, run = found.source, found.last_run
        state = "enabled" if source.enabled else "disabled"
        last = f"{run.status} {run.started_dt:%Y-%m-%d %H:%M}" if run else "never harvested"
        flag = " STALE" if found.stale else ""
        echo(f"{source.name}\t{source.kind}\t{source.body_slug}\t{state}\t{found.items} items"
                   f"\t{last}{flag}\t{source.location}")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--body", "body", required=True, help="Body that owns the import (slug).")
@click.option("--days-back", type=click.IntRange(0, imports.WINDOW_DAYS), default=imports.WINDOW_DAYS,
              show_default=True, help="Keep events that ended up to this many days before today.")
@click.option("--days-ahead", type=click.IntRange(0, imports.WINDOW_DAYS),
              default=imports.WINDOW_DAYS, show_default=True,
              help="Keep events starting up to this many days after today.")
@with_appcontext
def import_command(path: Path, body: str, days_back: int, days_ahead: int) -> None:
    """Import FILE (iCalendar, meetings CSV, InforMEA or CBD JSON, told apart by content), all or nothing."""
    session = get_session()
    try:
        report = imports.import_file(session, path, body=body, now=now(), today=today(),
                                     days_back=days_back, days_ahead=days_ahead)
    except (ParseError, imports.ImportRefused) as exc:
        session.rollback()
        raise CommandError(f"nothing imported: {exc}") from None
    session.commit()
    echo(f"{path.name}: {report}.")
    for line in what_it_did(report.run):
        if ": warning: " not in line:
            echo(line)
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)
