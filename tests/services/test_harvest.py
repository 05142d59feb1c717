"""Harvesting each kind of source over real HTTP, and what a second harvest changes."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.harvest.sources import OnVanish, RunStatus, SourceKind
from blgcal.domain.types import Status
from blgcal.models import Event, HarvestRun, Provenance, Revision, Source

from ..support.feed_server import FEEDS, FeedServer
from .conftest import NOW, Harvester, counts


def events_of(session: Session, source_id: int) -> list[Event]:
    query = select(Event).join(Provenance, Provenance.event_id == Event.id).where(
        Provenance.source_id == source_id).order_by(Event.id)
    return list(session.scalars(query))


def test_a_source_and_its_runs_read_back_as_their_enums(harvester: Harvester, db: Session) -> None:
    source = harvester.add("google.ics", kind="ics", on_vanish="keep")
    run = harvester.run(source)
    db.expire_all()
    stored, ran = db.get(Source, source.id), db.get(HarvestRun, run.id)
    assert stored is not None and ran is not None
    assert (stored.kind, stored.on_vanish, ran.status) == ("ics", "keep", "ok")
    assert (stored.kind, stored.on_vanish, ran.status) == (SourceKind.ICS, OnVanish.KEEP, RunStatus.OK)
    assert all(type(value) is not str for value in (stored.kind, stored.on_vanish, ran.status))


@pytest.mark.parametrize(("name", "kind", "found"), [
    ("google.ics", "ics", 7), ("outlook.ics", "ics", 3), ("indico.ics", "ics", 4),
    ("recurring.ics", "ics", 9), ("allday_same_end.ics", "ics", 2),
    ("unknown_zone.ics", "ics", 2), ("informea.json", "informea", 6),
    ("informea_odata.json", "informea", 2),
])
def test_each_kind_of_feed_is_harvested_with_its_provenance(
        harvester: Harvester, db: Session, name: str, kind: str, found: int) -> None:
    source = harvester.add(name, kind=kind)
    run = harvester.run(source)
    assert run.status == "ok", run.message
    assert run.new + run.merged >= 1
    rows = db.scalars(select(Provenance).where(Provenance.source_id == source.id)).all()
    assert len(rows) == run.new + run.merged
    assert len(rows) == found
    assert source.last_success_dt == NOW and source.etag
    created = [row for row in events_of(db, source.id) if row.origin == "harvest"]
    assert all(row.ical for row in created if row.first_date), "new events need their feed piece"


def test_a_second_harvest_of_the_same_feed_is_not_modified_and_changes_nothing(
        harvester: Harvester, db: Session) -> None:
    source = harvester.add("google.ics")
    harvester.run(source)
    before = counts(db)
    again = harvester.run(source, now=NOW + timedelta(hours=4))
    assert again.status == "not_modified"
    assert counts(db) == before


def test_regenerated_dtstamps_change_nothing_and_are_not_parsed(
        harvester: Harvester, db: Session, tmp_path: Path) -> None:
    """Indico stamps every fetch: bytes differ, content does not (no SEQUENCE, no revision)."""
    shutil.copy(FEEDS / "indico.ics", tmp_path / "indico.ics")
    with FeedServer(tmp_path) as server:
        harvester.app.config["HARVEST_ALLOW_HOSTS"] = [server.host]
        source = harvester.add(server.url("/feeds/indico.ics"), name="indico")
        assert harvester.run(source).status == "ok"
        before, etag = counts(db), source.etag
        text = (tmp_path / "indico.ics").read_bytes().replace(b"DTSTAMP:2025", b"DTSTAMP:2026")
        (tmp_path / "indico.ics").write_bytes(text)
        run = harvester.run(source, now=NOW + timedelta(hours=1))
        assert run.status == "not_modified" and counts(db) == before
        assert source.etag != etag, "the new bytes' validator is the one to send next"
        (tmp_path / "indico.ics").write_bytes(text.replace(b"\r\nSUMMARY:", b"\r\nSUMMARY:New ", 1))
        changed = harvester.run(source, now=NOW + timedelta(hours=2))
    assert changed.status == "ok" and changed.updated == 1


def test_a_changed_item_raises_sequence_once(harvester: Harvester, db: Session,
                                             tmp_path: Path) -> None:
    shutil.copy(FEEDS / "indico.ics", tmp_path / "indico.ics")
    with FeedServer(tmp_path) as server:
        harvester.app.config["HARVEST_ALLOW_HOSTS"] = [server.host]
        source = harvester.add(server.url("/feeds/indico.ics"), name="indico")
        harvester.run(source)
        data = (tmp_path / "indico.ics").read_bytes()
        first = data.split(b"SUMMARY:", 1)[1].split(b"\r\n", 1)[0]
        (tmp_path / "indico.ics").write_bytes(data.replace(b"SUMMARY:" + first, b"SUMMARY:Renamed", 1))
        run = harvester.run(source, now=NOW + timedelta(hours=1))
        again = harvester.run(source, now=NOW + timedelta(hours=2))
    assert run.status == "ok", run.message
    assert (run.updated, again.status) == (1, "not_modified")
    row = db.scalars(select(Event).where(Event.title == "Renamed")).one()
    assert row.sequence == 1
    actions = db.scalars(select(Revision.actor_label).where(Revision.event_id == row.id)).all()
    assert actions == ["harvest: indico", "harvest: indico"]


def test_items_that_vanish_are_cancelled_not_deleted(harvester: Harvester, db: Session,
                                                     tmp_path: Path) -> None:
    shutil.copy(FEEDS / "informea.json", tmp_path / "feed.json")
    with FeedServer(tmp_path) as server:
        harvester.app.config["HARVEST_ALLOW_HOSTS"] = [server.host]
        source = harvester.add(server.url("/feeds/feed.json"), kind="informea", name="unep")
        harvester.run(source)
        records = json.loads((tmp_path / "feed.json").read_text(encoding="utf-8"))
        kept = [r for r in records if r["id"] != "cms-cop15"]
        (tmp_path / "feed.json").write_text(json.dumps(kept), encoding="utf-8")
        run = harvester.run(source, now=NOW + timedelta(hours=1))
    assert run.status == "ok" and run.cancelled == 1, run.message
    prov = db.scalars(select(Provenance).where(Provenance.external_uid == "cms-cop15")).one()
    event = db.get(Event, prov.event_id)
    assert event is not None and event.status is Status.CANCELLED and event.deleted_dt is None
    assert prov.vanished_dt is not None and event.sequence >= 1


def test_on_vanish_keep_leaves_the_event_alone(harvester: Harvester, db: Session,
                                               tmp_path: Path) -> None:
    records = json.loads((FEEDS / "informea.json").read_text(encoding="utf-8"))
    (tmp_path / "feed.json").write_text(json.dumps(records), encoding="utf-8")
    with FeedServer(tmp_path) as server:
        harvester.app.config["HARVEST_ALLOW_HOSTS"] = [server.host]
        source = harvester.add(server.url("/feeds/feed.json"), kind="informea", name="keep",
                               on_vanish="keep")
        harvester.run(source)
        (tmp_path / "feed.json").write_text(json.dumps(records[1:]), encoding="utf-8")
        before = counts(db)
        run = harvester.run(source, now=NOW + timedelta(hours=1))
    assert run.status == "ok" and run.cancelled == 0, run.message
    assert counts(db) == before


def test_new_events_get_their_ids_whatever_ids_rows_loaded_earlier_hold(
        harvester: Harvester, db: Session) -> None:
    """A row inserted with an id of its own leaves PostgreSQL's sequence behind it:
    the bulk insert must still find the ids its events were given."""
    db.execute(Event.__table__.insert().values(
        id=1_000_000, uid="loaded-elsewhere@example.org", title="Loaded by another tool",
        kind="working_group", status="confirmed", visibility="public", origin="manual",
        sequence=0, version=1, created_dt=NOW, updated_dt=NOW, online=False))
    db.commit()
    run = harvester.run(harvester.add("google.ics"))
    assert run.status == "ok" and run.new > 0, (run.status, run.message)
    added = db.scalars(select(Event).where(Event.origin == "harvest")).all()
    assert len(added) == run.new and all(row.title for row in added)
