"""What a harvest refuses, and what it never overwrites."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event, EventBody, EventTag, Provenance, Revision, Source, User
from blgcal.services.event_rows import to_domain
from blgcal.services.events import save_event
from blgcal.services.history import Actor

from ..conftest import AuthActions
from ..support.feed_server import FEEDS, FeedServer
from .conftest import NOW, Harvester

STAFF = Actor("ana@cbd.int", "form")
BROKEN = [
    ("html.ics", "ics", "line 1: this is HTML, not iCalendar"),
    ("truncated.ics", "ics", "is never closed (is the file truncated?)"),
    ("binary.ics", "ics", "line 1: invalid UTF-8 (byte 0x89)"),
    ("invalid_utf8.ics", "ics", "line 9: invalid UTF-8 (byte 0xe8)"),
    ("nested.ics", "ics", "line 11: components nested deeper than 8"),
    ("bad_property.ics", "ics", "line 7: property DTSTART"),
    ("bad_line.ics", "ics", "line 4: cannot read iCalendar"),
    ("meetings_errors.csv", "csv", "line 3: column 'start': '2025-13-01' is not a date"),
    ("missing_columns.csv", "csv", "line 1: missing column 'title'"),
    ("extra_columns.csv", "csv", "line 1: unknown column 'organiser'"),
    ("informea_errors.json", "informea", "item 2 (id 'bad-start'): field 'start'"),
]
#: Not a benchmark: a guard against a hang. A runaway parse would also hit the child's CPU
#: limit and fail the run, which the status assertions catch.
HANG_GUARD = 60


@pytest.fixture
def served(harvester: Harvester, tmp_path: Path) -> FeedServer:
    with FeedServer(tmp_path) as server:
        harvester.app.config["HARVEST_ALLOW_HOSTS"] = [server.host]
        yield server


def test_each_broken_file_is_refused_with_its_line_and_earlier_data_stays(
        harvester: Harvester, db: Session, served: FeedServer, tmp_path: Path) -> None:
    for kind, good in (("ics", "google.ics"), ("csv", None), ("informea", "informea.json")):
        name = f"feed-{kind}"
        if good:
            shutil.copy(FEEDS / good, tmp_path / name)
        else:
            (tmp_path / name).write_text("body,code,title,start,end\ncbd,X-1,Workshop,2026-12-01,"
                                         "2026-12-02\n", encoding="utf-8")
        source = harvester.add(served.url(f"/feeds/{name}"), kind=kind, name=name)
        assert harvester.run(source).status == "ok"
    for broken, kind, message in BROKEN:
        shutil.copy(FEEDS / broken, tmp_path / f"feed-{kind}")
        source = db.scalars(select(Source).where(Source.name == f"feed-{kind}")).one()
        before = rows_digest(harvester.app)
        started = time.monotonic()
        run = harvester.run(source, now=NOW + timedelta(hours=1))
        assert time.monotonic() - started < HANG_GUARD, broken
        assert run.status == "failed" and message in (run.message or ""), (broken, run.message)
        assert run.errors and run.rejected >= 1
        assert rows_digest(harvester.app) == before, broken


def rows_digest(app: Flask) -> str:
    """The calendar's content: events, organisers, tags, revisions, provenance."""
    engine = app.extensions["blgcal.engine"]
    with engine.connect() as connection:
        return repr([connection.execute(select(model.__table__).order_by(
            *model.__table__.primary_key.columns)).all()
            for model in (Event, EventBody, EventTag, Revision, Provenance)])


def test_a_fetch_that_fails_writes_nothing_and_says_why(harvester: Harvester, db: Session,
                                                        feed_server: FeedServer) -> None:
    harvester.app.config.update(HARVEST_MAX_BYTES=1000, HARVEST_READ_TIMEOUT=1)
    cases = {"/big?bytes=5000": "over the limit of 1000", "/status/500": "HTTP 500",
             "/drip?seconds=3": "timed out", "/loop": "redirects"}
    before = rows_digest(harvester.app)
    for path, message in cases.items():
        run = harvester.run(harvester.add(feed_server.url(path), name=path))
        assert run.status == "failed" and message in (run.message or ""), (path, run.message)
    assert rows_digest(harvester.app) == before


def test_a_runaway_rule_is_skipped_with_a_warning_in_seconds(harvester: Harvester) -> None:
    started = time.monotonic()
    run = harvester.run(harvester.add("huge_count.ics"))
    assert time.monotonic() - started < HANG_GUARD
    assert run.status == "ok"
    assert any("FREQ=SECONDLY" in w["message"] for w in run.warnings)


def test_a_source_that_suddenly_drops_most_items_changes_nothing(
        harvester: Harvester, db: Session, served: FeedServer, tmp_path: Path) -> None:
    records = json.loads((FEEDS / "informea.json").read_text(encoding="utf-8"))
    (tmp_path / "unep.json").write_text(json.dumps(records), encoding="utf-8")
    source = harvester.add(served.url("/feeds/unep.json"), kind="informea", name="unep")
    harvester.run(source)
    (tmp_path / "unep.json").write_text(json.dumps(records[:2]), encoding="utf-8")
    before = rows_digest(harvester.app)
    run = harvester.run(source, now=NOW + timedelta(hours=1))
    assert run.status == "failed" and "no longer lists 4 of the 6 items" in (run.message or "")
    assert rows_digest(harvester.app) == before
    forced = harvester.run(source, now=NOW + timedelta(hours=2), accept_drop=True)
    assert (forced.status, forced.cancelled) == ("ok", 4)


def test_staff_edits_win_and_the_source_value_is_kept_beside_them(
        harvester: Harvester, db: Session, served: FeedServer, tmp_path: Path,
        create_user: Callable[..., User], auth: AuthActions) -> None:
    records = json.loads((FEEDS / "informea.json").read_text(encoding="utf-8"))
    (tmp_path / "unep.json").write_text(json.dumps(records), encoding="utf-8")
    source = harvester.add(served.url("/feeds/unep.json"), kind="informea", name="unep")
    harvester.run(source)
    prov = db.scalars(select(Provenance).where(Provenance.external_uid == "cms-cop15")).one()
    row = db.get(Event, prov.event_id)
    assert row is not None
    save_event(db, replace(to_domain(row), title="CMS COP15 (Campo Grande)"), now=NOW,
               actor=STAFF, row=row)
    db.commit()
    records[0]["titles"] = [{"language": "en", "value": "Renamed by the source"}]
    records[0]["city"] = "Brasília"
    (tmp_path / "unep.json").write_text(json.dumps(records), encoding="utf-8")
    run = harvester.run(source, now=NOW + timedelta(hours=1))
    db.expire_all()
    assert (run.status, run.updated) == ("ok", 1), run.message
    assert (row.title, row.city) == ("CMS COP15 (Campo Grande)", "Brasília")
    # The record matched the shipped CMS COP15, so the shipped values stay too; the
    # source's differing values (its own title among them) are kept beside them.
    assert db.get(Provenance, prov.id).source_values["title"] == "Renamed by the source"
    again = harvester.run(source, now=NOW + timedelta(hours=2))
    assert again.status == "not_modified" and row.title == "CMS COP15 (Campo Grande)"
    create_user("ana@cbd.int", role="editor", bodies=["cms"])
    auth.login("ana@cbd.int")
    page = auth.client.get(f"/events/{row.id}").get_data(as_text=True)
    assert "The source now says" in page and "Renamed by the source" in page
