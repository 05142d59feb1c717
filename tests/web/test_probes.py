"""``/readyz``: 200 when ready, 503 naming the check that failed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from blgcal import migrate
from blgcal.db import make_engine
from blgcal.models import HarvestRun
from blgcal.services import jobs
from blgcal.services.harvest import sources


def ready(app: Flask) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = app.test_client().get("/readyz")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, response.get_json()


def test_a_migrated_database_with_nothing_waiting_is_ready(app: Flask) -> None:
    status, body = ready(app)
    assert (status, body["status"], body["failed"]) == (200, "ready", [])
    assert body["checks"]["migrations"]["database"] == body["checks"]["migrations"]["code"]
    assert body["checks"]["queue"] == {"ok": True, "queued": 0, "oldest_age_seconds": None,
                                       "max_minutes": 10.0}
    assert body["checks"]["harvest"]["enabled_sources"] == 0


def test_an_unreachable_database_fails_and_the_rest_is_skipped(
        make_app: Callable[..., Flask], tmp_path: Path) -> None:
    status, body = ready(make_app(DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/x.db"))
    assert (status, body["failed"]) == (503, ["database"])
    assert "unable to open database file" in body["checks"]["database"]["error"]
    assert body["checks"]["queue"] == {"ok": None, "skipped": "the database did not answer"}


def test_a_database_behind_the_code_s_migrations_is_not_ready(
        make_app: Callable[..., Flask], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    engine = make_engine(url)
    migrate.upgrade(engine, "0007")
    engine.dispose()
    status, body = ready(make_app(DATABASE_URL=url))
    assert status == 503 and "migrations" in body["failed"]
    assert body["checks"]["migrations"]["database"] == ["0007"]
    assert body["checks"]["migrations"]["code"] == sorted(migrate.head_revisions())


def test_a_job_no_worker_took_makes_the_queue_check_fail(app: Flask, session: Session) -> None:
    jobs.queue_job(session, "harvest", {"source_id": 1}, now=datetime.now(UTC) - timedelta(minutes=30))
    session.commit()
    status, body = ready(app)
    assert (status, body["failed"]) == (503, ["queue"])
    assert body["checks"]["queue"]["queued"] == 1
    assert 1790 < body["checks"]["queue"]["oldest_age_seconds"] < 1900


def test_enabled_sources_unharvested_for_a_day_fail_the_harvest_check(
        app: Flask, session: Session, seeded: None) -> None:
    now = datetime.now(UTC)
    source = sources.create_source(session, now=now, name="cbd", body_slug="cbd", kind="ics",
                                   url="https://www.cbd.int/meetings.ics")
    session.commit()
    status, body = ready(app)
    assert (status, body["failed"]) == (503, ["harvest"])  # enabled, never harvested
    session.add(HarvestRun(source_id=source.id, started_dt=now - timedelta(hours=30),
                           finished_dt=now - timedelta(hours=30), status="ok"))
    session.commit()
    status, body = ready(app)
    assert status == 503 and 29.9 < body["checks"]["harvest"]["age_hours"] < 30.1
    session.add(HarvestRun(source_id=source.id, started_dt=now - timedelta(hours=2),
                           finished_dt=now - timedelta(hours=2), status="failed"))
    session.commit()
    assert ready(app)[0] == 200
