"""End to end: "Harvest now" answers at once, a real ``blgcal worker`` does the harvest
against a loopback feed server, and a worker killed mid-job loses its job, not the lock.

The web side is the app in this process; the worker is a subprocess on the same
database (SQLite, or PostgreSQL with ``BLGCAL_TEST_DATABASE_URL``) and the same
SQLite queue file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from blgcal.models import HarvestLock, HarvestRun, Job, Source, User
from blgcal.services.harvest import sources
from blgcal.services.harvest.lock import harvest_lock

from .conftest import TODAY, AuthActions
from .support.feed_server import FeedServer, feed_server  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
#: Ctrl-C as a terminal sends it: a test run started in the background (``nohup ... &``) ignores
#: SIGINT, its children inherit that, and Python installs no KeyboardInterrupt handler then.
CTRL_C = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
HEARTBEAT_SECONDS = 0.2  # a worker on this machine that has ended is gone after three of these
STALE_MINUTES = 10  # so only that rule, not the other machines' stale limit, can find a lost job


@pytest.fixture
def queue_file(tmp_path: Path) -> Path:
    return tmp_path / "queue.sqlite3"


@pytest.fixture
def web(make_app: Callable[..., Flask], feed_server: FeedServer,  # noqa: F811
        queue_file: Path) -> Flask:
    app = make_app(QUEUE_IMMEDIATE=False, QUEUE_FILE=str(queue_file),
                   HARVEST_ALLOW_HOSTS=[feed_server.host], JOB_STALE_MINUTES=STALE_MINUTES,
                   JOB_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS)
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    return app


@pytest.fixture
def admin(web: Flask, create_user: Callable[..., User]) -> AuthActions:
    create_user("admin@blg.int", role="admin")
    auth = AuthActions(web.test_client())
    auth.login("admin@blg.int")
    return auth


class Worker:
    """``blgcal worker`` in a subprocess, its output in a file."""

    def __init__(self, database_url: str, queue_file: Path, host: str, log: Path) -> None:
        env = {**os.environ, "BLGCAL_DATABASE_URL": database_url, "BLGCAL_SECRET_KEY": "k" * 40,
               "BLGCAL_BASE_URL": "http://127.0.0.1:5000", "BLGCAL_QUEUE_FILE": str(queue_file),
               "BLGCAL_HARVEST_ALLOW_HOSTS": json.dumps([host]), "BLGCAL_TODAY": TODAY.isoformat(),
               "BLGCAL_JOB_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
               "BLGCAL_JOB_STALE_MINUTES": str(STALE_MINUTES),
               "BLGCAL_HARVEST_READ_TIMEOUT": "60"}
        env.pop("BLGCAL_TEST_DATABASE_URL", None)
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "blgcal", "worker"], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # graceful: finish the job, then exit
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(database_url: str, queue_file: Path, feed_server: FeedServer,  # noqa: F811
                 tmp_path: Path) -> Iterator[Callable[[], Worker]]:
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(database_url, queue_file, feed_server.host,
                        tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def add_source(app: Flask, server: FeedServer, name: str, path: str) -> int:  # noqa: F811
    with app.extensions["blgcal.sessionmaker"]() as session:
        source = sources.create_source(session, now=datetime.now(UTC), name=name, body_slug="cbd",
                                       kind="ics", url=server.url(path), window_back_days=1000)
        session.commit()
        return source.id


def harvest_now(auth: AuthActions, source_id: int) -> tuple[int, float]:
    """POST "Harvest now"; the job's id and how long the answer took."""
    started = time.monotonic()
    response = auth.post(f"/admin/sources/{source_id}/harvest")
    took = time.monotonic() - started
    assert response.status_code == 303, response.get_data(as_text=True)
    match = re.fullmatch(r"/admin/jobs/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1)), took


def job(app: Flask, job_id: int) -> Job:
    with app.extensions["blgcal.sessionmaker"]() as session:
        found = session.get(Job, job_id)
        assert found is not None
        return found


def wait_for(app: Flask, job_id: int, done: Callable[[Job], bool], worker: Worker,
             timeout: float = 90) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = job(app, job_id)
        if done(found):
            return found
        assert worker.process.poll() is None, worker.output()
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} is {found.state}/{found.stage}:\n{worker.output()}")


def test_harvest_now_answers_at_once_and_the_worker_does_the_harvest(
        web: Flask, admin: AuthActions, feed_server: FeedServer,  # noqa: F811
        start_worker: Callable[[], Worker]) -> None:
    worker = start_worker()
    source_id = add_source(web, feed_server, "cbd-google", "/feeds/google.ics")
    job_id, _ = harvest_now(admin, source_id)
    assert job(web, job_id).state in {"queued", "running"}  # the request did not harvest
    page = admin.client.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page
    done = wait_for(web, job_id, lambda j: j.finished, worker)
    assert done.state == "succeeded", (done.message, worker.output())
    assert done.worker and done.worker.endswith(f":{worker.process.pid}")
    # Jobs run below the web's priority (WORKER_NICE), so requests win the CPU.
    assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == min(
        os.getpriority(os.PRIO_PROCESS, 0) + 10, 19)
    assert "/feeds/google.ics" in feed_server.hits
    page = admin.client.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    run_link = re.search(rf'href="/admin/sources/{source_id}/runs/(\d+)"', page)
    assert run_link and 'http-equiv="refresh"' not in page
    with web.extensions["blgcal.sessionmaker"]() as session:
        run = session.get(HarvestRun, int(run_link.group(1)))
        assert run is not None and run.status == "ok" and run.new > 0


def test_a_worker_killed_mid_job_loses_the_job_and_frees_the_lock(
        web: Flask, admin: AuthActions, feed_server: FeedServer,  # noqa: F811
        start_worker: Callable[[], Worker]) -> None:
    engine = web.extensions["blgcal.engine"]
    worker = start_worker()
    slow = add_source(web, feed_server, "slow", "/slow?seconds=40")
    job_id, took = harvest_now(admin, slow)
    assert took < 5  # generous: the request only queues (the feed takes 40 s)
    running = wait_for(web, job_id, lambda j: j.stage == "fetching", worker)
    assert running.state == "running" and running.heartbeat_dt is not None
    with pytest.raises(Exception, match="another harvest is running"):
        with harvest_lock(engine, now=datetime.now(UTC), holder="test"):
            pass

    worker.process.send_signal(signal.SIGKILL)
    worker.process.wait()
    killed = time.monotonic()
    replacement = start_worker()  # as systemd restarts it: its reaper finds the lost job
    lost = wait_for(web, job_id, lambda j: j.finished, replacement)  # no page, no harvest asked
    assert time.monotonic() - killed < 30  # seconds (its startup, then a few beats), not minutes
    assert lost.state == "lost" and "no heartbeat since" in (lost.message or "")
    health = admin.client.get("/admin/sources").get_data(as_text=True)
    assert f"Job {job_id}</a> (harvest) was lost" in health
    with web.extensions["blgcal.sessionmaker"]() as session:
        assert session.scalars(select(HarvestLock)).all() == []
        failed = session.scalars(select(HarvestRun).where(HarvestRun.source_id == slow)).one()
        assert failed.status == "failed" and f"job {job_id} lost" in (failed.message or "")
        assert session.get(Source, slow) is not None

    good = add_source(web, feed_server, "cbd-google", "/feeds/google.ics")
    next_id, _ = harvest_now(admin, good)
    done = wait_for(web, next_id, lambda j: j.finished, replacement)
    assert done.state == "succeeded", (done.message, replacement.output())


def test_the_cron_harvest_runs_after_a_killed_worker_without_waiting_for_the_lock(
        web: Flask, admin: AuthActions, feed_server: FeedServer,  # noqa: F811
        start_worker: Callable[[], Worker]) -> None:
    worker = start_worker()
    job_id, _ = harvest_now(admin, add_source(web, feed_server, "slow", "/slow?seconds=40"))
    wait_for(web, job_id, lambda j: j.stage == "fetching", worker)
    worker.process.send_signal(signal.SIGKILL)
    worker.process.wait()
    time.sleep(4 * HEARTBEAT_SECONDS)
    add_source(web, feed_server, "cbd-google", "/feeds/google.ics")
    result = web.test_cli_runner().invoke(args=["harvest", "cbd-google"])
    assert result.exit_code == 0, result.output
    assert job(web, job_id).state == "lost"


def test_a_worker_stopped_with_sigterm_marks_its_job_lost_at_once(
        web: Flask, admin: AuthActions, feed_server: FeedServer,  # noqa: F811
        start_worker: Callable[[], Worker]) -> None:
    worker = start_worker()
    job_id, _ = harvest_now(admin, add_source(web, feed_server, "slow", "/slow?seconds=40"))
    wait_for(web, job_id, lambda j: j.stage == "fetching", worker)
    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=30) is not None
    lost = job(web, job_id)
    assert lost.state == "lost", worker.output()
    with web.extensions["blgcal.sessionmaker"]() as session:
        assert session.scalars(select(HarvestLock)).all() == []


def test_blgcal_run_runs_the_jobs_too(web: Flask, feed_server: FeedServer,  # noqa: F811
                                      database_url: str, queue_file: Path, tmp_path: Path) -> None:
    """The README's two commands: ``blgcal run`` serves and runs the queue beside it."""
    import socket

    from blgcal.jobs import queue
    from blgcal.services import jobs

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "BLGCAL_DATABASE_URL": database_url, "BLGCAL_SECRET_KEY": "k" * 40,
           "BLGCAL_BASE_URL": "http://127.0.0.1:5000", "BLGCAL_QUEUE_FILE": str(queue_file),
           "BLGCAL_HARVEST_ALLOW_HOSTS": json.dumps([feed_server.host]),
           "BLGCAL_TODAY": TODAY.isoformat()}
    log = tmp_path / "run.log"
    with log.open("ab") as out:
        server = subprocess.Popen([sys.executable, "-c", CTRL_C + "from blgcal.cli import main; main()",
                                   "run", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        source_id = add_source(web, feed_server, "cbd-google", "/feeds/google.ics")
        with web.extensions["blgcal.sessionmaker"]() as session:
            queued = jobs.queue_job(session, "harvest", {"source_id": source_id},
                                    now=datetime.now(UTC))
            session.commit()
        with web.app_context():
            queue.enqueue(queued.id)
        deadline = time.monotonic() + 90
        while not job(web, queued.id).finished and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        assert job(web, queued.id).state == "succeeded", log.read_text()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise
