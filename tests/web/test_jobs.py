"""Harvest now queues a job; the job pages; stuck, timed-out, crashed and refused jobs.

Here jobs run inside the request that queues them (``QUEUE_IMMEDIATE``);
``tests/test_worker.py`` runs them in a real ``blgcal worker``.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.domain.jobs import JobState
from blgcal.models import HarvestLock, HarvestRun, Job, Source, User
from blgcal.services import jobs
from blgcal.services.harvest.lock import LockHeld, harvest_lock

from ..conftest import AuthActions

SHEET = (b"body,code,title,start,end,city\r\n"
         b"cbd,RM-9,Resource mobilisation workshop,2027-02-10,2027-02-12,Rome\r\n")
FORM = {"name": "CBD sheet", "body_slug": "cbd", "kind": "csv", "url": "", "enabled": "y",
        "window_back_days": "180", "window_ahead_days": "1095", "on_vanish": "cancel"}


def admin_of(app: Flask, create_user: Callable[..., User]) -> AuthActions:
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    create_user("admin@blg.int", role="admin")
    auth = AuthActions(app.test_client())
    auth.login("admin@blg.int")
    return auth


@pytest.fixture
def admin(app: Flask, create_user: Callable[..., User]) -> AuthActions:
    return admin_of(app, create_user)


def uploaded(auth: AuthActions, data: bytes = SHEET) -> int:
    response = auth.post("/admin/sources/new", {**FORM, "upload": (io.BytesIO(data), "sheet.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def harvest_now(auth: AuthActions, source_id: int) -> int:
    response = auth.post(f"/admin/sources/{source_id}/harvest")
    assert response.status_code == 303
    match = re.fullmatch(r"/admin/jobs/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_harvest_now_answers_with_the_job_page_which_links_the_run(admin: AuthActions,
                                                                   session: Session) -> None:
    source_id = uploaded(admin)
    job_id = harvest_now(admin, source_id)
    job = session.get(Job, job_id)
    assert job is not None and (job.kind, job.args, job.state) == ("harvest", {"source_id": source_id},
                                                                     "succeeded")
    run = session.scalars(select(HarvestRun).where(HarvestRun.source_id == source_id)).one()
    assert job.result == {"source_id": source_id, "run_id": run.id}
    assert job.requested_by is not None and job.finished_dt is not None
    page = admin.client.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert f'href="/admin/sources/{source_id}/runs/{run.id}"' in page
    assert "CBD sheet: ok" in page and "by admin@blg.int" in page
    assert 'http-equiv="refresh"' not in page  # finished: nothing left to watch
    listing = admin.client.get("/admin/jobs").get_data(as_text=True)
    assert f'href="/admin/jobs/{job_id}"' in listing and "Harvest CBD sheet" in listing


def test_a_job_reads_back_as_its_state_enum(admin: AuthActions, session: Session) -> None:
    job_id = harvest_now(admin, uploaded(admin))
    session.expire_all()
    job = session.get(Job, job_id)
    assert job is not None and job.state is JobState.SUCCEEDED and job.finished
    assert session.scalar(select(Job.id).where(Job.state == JobState.SUCCEEDED)) == job_id


def test_a_waiting_job_refreshes_itself_and_shows_its_stage(admin: AuthActions,
                                                            session: Session) -> None:
    source_id = uploaded(admin)
    job = jobs.queue_job(session, "harvest", {"source_id": source_id}, now=datetime.now(UTC))
    session.commit()
    page = admin.client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<progress" in page and "blgcal worker" in page
    assert "1 waiting" in admin.client.get("/admin/jobs").get_data(as_text=True)


def test_a_failed_harvest_is_a_failed_job_with_its_reason(admin: AuthActions,
                                                          session: Session) -> None:
    bad = b"body,code,title,start,end\r\ncbd,RM-9,Workshop,2027-02-30,2027-03-01\r\n"
    job = session.get(Job, harvest_now(admin, uploaded(admin, bad)))
    assert job is not None and job.state == "failed" and "2027-02-30" in (job.message or "")


def test_a_job_past_its_time_stops_writes_nothing_and_frees_the_lock(
        make_app: Callable[..., Flask], create_user: Callable[..., User]) -> None:
    app = make_app(JOB_TIMEOUT_MINUTES=0)
    auth = admin_of(app, create_user)
    job_id = harvest_now(auth, uploaded(auth))
    with app.extensions["blgcal.sessionmaker"]() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.state == "failed"
        run = session.scalars(select(HarvestRun)).one()
        assert run.status == "failed" and "JOB_TIMEOUT_MINUTES" in (run.message or "")
        assert session.scalars(select(HarvestLock)).all() == []
    with harvest_lock(app.extensions["blgcal.engine"], now=datetime.now(UTC), holder="next"):
        pass


def test_a_job_whose_kind_crashes_fails_and_says_why(app: Flask, session: Session) -> None:
    job = jobs.queue_job(session, "no_such_kind", {}, now=datetime.now(UTC))
    session.commit()
    with app.app_context():
        from blgcal.jobs import queue
        queue.enqueue(job.id)
    session.refresh(job)
    assert job.state == "failed" and "KeyError" in (job.message or "")


def test_a_job_queued_while_another_harvest_holds_the_lock_waits_then_runs(
        make_app: Callable[..., Flask], create_user: Callable[..., User]) -> None:
    app = make_app(JOB_HEARTBEAT_SECONDS=0.05)
    auth = admin_of(app, create_user)
    source_id = uploaded(auth)
    watcher = AuthActions(app.test_client())
    watcher.login("admin@blg.int")
    engine, seen = app.extensions["blgcal.engine"], []
    held = threading.Event()

    def hold_then_release() -> None:
        with harvest_lock(engine, now=datetime.now(UTC), holder="cron-harvest"):
            held.set()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with app.extensions["blgcal.sessionmaker"]() as session:
                    waiting = session.scalars(select(Job).where(Job.stage.like("waiting%"))).first()
                if waiting is not None:
                    seen.append(watcher.client.get(f"/admin/jobs/{waiting.id}").get_data(as_text=True))
                    return
                time.sleep(0.05)

    holder = threading.Thread(target=hold_then_release)
    holder.start()
    assert held.wait(10)
    job_id = harvest_now(auth, source_id)  # the job runs in this request: it waits, then harvests
    holder.join()
    assert seen and "waiting for another harvest (cron-harvest)" in seen[0]
    assert 'http-equiv="refresh"' in seen[0]
    with app.extensions["blgcal.sessionmaker"]() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.state is JobState.SUCCEEDED, job.message
        assert session.scalars(select(HarvestRun)).one().status == "ok"


def test_a_job_that_waits_past_its_bound_fails_naming_the_holder(
        make_app: Callable[..., Flask], create_user: Callable[..., User]) -> None:
    app = make_app(JOB_LOCK_WAIT_MINUTES=0.01)
    auth = admin_of(app, create_user)
    source_id = uploaded(auth)
    started = time.monotonic()
    with harvest_lock(app.extensions["blgcal.engine"], now=datetime.now(UTC), holder="cron-harvest"):
        job_id = harvest_now(auth, source_id)
    assert time.monotonic() - started >= 0.6  # it waited its bound first
    with app.extensions["blgcal.sessionmaker"]() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.state is JobState.FAILED
        assert "held by cron-harvest" in (job.message or "")
        assert "waiting 0.01 minutes (JOB_LOCK_WAIT_MINUTES)" in (job.message or "")
        assert session.scalars(select(HarvestRun)).all() == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_queue_that_cannot_be_reached_fails_the_job_visibly(
        make_app: Callable[..., Flask], create_user: Callable[..., User]) -> None:
    app = make_app(QUEUE_IMMEDIATE=False, REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0",
                   RATELIMIT_STORAGE_URI="memory://")
    auth = admin_of(app, create_user)
    job_id = harvest_now(auth, uploaded(auth))
    page = auth.client.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert "failed" in page and "the queue refused the job" in page


def test_a_stuck_job_is_reported_then_marked_lost_with_its_lock_freed(
        app: Flask, admin: AuthActions, session: Session) -> None:
    """A worker on another machine cannot be asked: silent past JOB_STALE_MINUTES, it is gone."""
    source_id = uploaded(admin)
    now = datetime.now(UTC)
    job = jobs.queue_job(session, "harvest", {"source_id": source_id}, now=now - timedelta(hours=1))
    session.commit()
    engine = app.extensions["blgcal.engine"]
    assert jobs.claim(engine, job.id, worker="gone:1", now=now - timedelta(hours=1))
    jobs.beat(engine, job.id, jobs.Progress("fetching"), now=now - timedelta(minutes=1))
    if engine.dialect.name != "postgresql":  # the killed worker's lock row stays behind
        session.add(HarvestLock(id=1, holder=jobs.lock_holder(job.id),
                                expires_dt=now + timedelta(minutes=50)))
        session.commit()
        with pytest.raises(LockHeld):
            with harvest_lock(engine, now=now, holder="cron"):
                pass
    health = admin.client.get("/admin/sources").get_data(as_text=True)
    assert f"Job {job.id}</a> (harvest) is stuck" in health and "gone:1" in health
    assert "no heartbeat" in admin.client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    session.expire_all()
    assert session.get(Job, job.id).state is JobState.RUNNING  # type: ignore[union-attr]

    jobs.beat(engine, job.id, jobs.Progress("fetching"), now=now - timedelta(minutes=10))
    health = admin.client.get("/admin/sources").get_data(as_text=True)  # the page reaps it
    assert f"Job {job.id}</a> (harvest) was lost" in health
    session.expire_all()
    assert session.get(Job, job.id).state is JobState.LOST  # type: ignore[union-attr]
    assert session.scalars(select(HarvestLock)).all() == []
    run = session.scalars(select(HarvestRun).where(HarvestRun.source_id == source_id)).one()
    assert run.status == "failed" and f"job {job.id} lost" in (run.message or "")
    again = session.get(Job, harvest_now(admin, source_id))
    assert again is not None and again.state == "succeeded"
    assert session.get(Source, source_id) is not None


def dead_pid() -> int:
    """The id of a process of this machine that has ended."""
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize(("beats_ago", "lost"), [(2, False), (4, True)])
def test_a_job_whose_worker_here_has_ended_is_lost_once_it_misses_three_heartbeats(
        make_app: Callable[..., Flask], create_user: Callable[..., User], beats_ago: int,
        lost: bool) -> None:
    app = make_app(JOB_HEARTBEAT_SECONDS=2)
    auth = admin_of(app, create_user)
    now = datetime.now(UTC)
    engine = app.extensions["blgcal.engine"]
    with app.extensions["blgcal.sessionmaker"]() as session:
        job = jobs.queue_job(session, "harvest", {"source_id": uploaded(auth)}, now=now)
        session.commit()
    assert jobs.claim(engine, job.id, worker=f"{socket.gethostname()}:{dead_pid()}", now=now)
    jobs.beat(engine, job.id, jobs.Progress("fetching"), now=now - timedelta(seconds=2 * beats_ago))
    page = auth.client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)  # the page reaps
    with app.extensions["blgcal.sessionmaker"]() as session:
        found = session.get(Job, job.id)
        assert found is not None and found.state is (JobState.LOST if lost else JobState.RUNNING)
    assert ("stopped answering while fetching" in page) is lost


def many_events(count: int) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for n in range(count):
        lines += ["BEGIN:VEVENT", f"UID:beat-{n}@example.org", "DTSTAMP:20261127T000000Z",
                  f"DTSTART;VALUE=DATE:2027{n % 12 + 1:02d}{n % 28 + 1:02d}",
                  f"SUMMARY:Expert meeting {n}", "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def test_a_harvest_job_is_not_undone_by_its_own_heartbeat(
        make_app: Callable[..., Flask], create_user: Callable[..., User]) -> None:
    """On SQLite a beat committed while the harvest read would once fail its writes."""
    app = make_app(JOB_HEARTBEAT_SECONDS=0.002)
    auth = admin_of(app, create_user)
    response = auth.post("/admin/sources/new", {
        **FORM, "kind": "ics", "upload": (io.BytesIO(many_events(3000)), "many.ics")},
        content_type="multipart/form-data")
    source_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    job_id = harvest_now(auth, source_id)
    with app.extensions["blgcal.sessionmaker"]() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.state == "succeeded", job.message
        run = session.scalars(select(HarvestRun)).one()
        assert run.new + run.merged == 3000


def test_a_silent_job_whose_worker_still_runs_here_is_not_lost(app: Flask, session: Session) -> None:
    """A SQLite harvest's heartbeat waits while the harvest writes; its process is alive."""
    now = datetime.now(UTC)
    job = jobs.queue_job(session, "harvest", {"source_id": 0}, now=now)
    session.commit()
    engine = app.extensions["blgcal.engine"]
    assert jobs.claim(engine, job.id, worker=f"{socket.gethostname()}:{os.getpid()}",
                      now=now - timedelta(hours=1))
    staleness = jobs.Staleness(heartbeat_seconds=2, stale_minutes=3)
    assert [silent.id for silent in jobs.silent(session, now=now, staleness=staleness)] == [job.id]
    assert jobs.stuck(session, now=now, staleness=staleness) == []
    assert jobs.reap_stale(session, now=now, staleness=staleness) == []
    assert jobs.runs_here(f"{socket.gethostname()}:{os.getpid()}")
    assert not jobs.runs_here(f"elsewhere.example:{os.getpid()}")
