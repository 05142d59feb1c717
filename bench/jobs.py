"""``blgcal worker`` in a subprocess, and harvest jobs queued for it, for the load and fault benches.

The bench queues a job as "Harvest now" does (a ``job`` row, then its id on
the queue) and reads the row back to follow it: the queue is a SQLite file of
the run's own, or a Redis database given by URL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bench import wrk
from blgcal import create_app
from blgcal.jobs import queue
from blgcal.models import HarvestRun, Job, Provenance, Source
from blgcal.services import jobs


def queue_settings(folder: Path, redis_url: str | None = None) -> dict[str, str]:
    """The queue's configuration keys: a Redis database when given, else a SQLite file in *folder*."""
    return {"REDIS_URL": redis_url} if redis_url else {"QUEUE_FILE": str(folder / "queue.sqlite3")}


@dataclass(frozen=True)
class Seen:
    """A job's row as the bench last read it."""

    state: str
    stage: str
    message: str
    result: Mapping[str, object]

    @property
    def finished(self) -> bool:
        return self.state in {"succeeded", "failed", "lost"}


class Worker:
    """``blgcal worker`` with *env* (``BLGCAL_*`` settings), its output appended to *log*."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "blgcal", "worker"], cwd=wrk.ROOT,
                env={**os.environ, "PYTHONPATH": str(wrk.ROOT), **env},
                stdout=out, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no handler runs, the job at hand is left as it was."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGINT (the job at hand finishes), SIGKILL after 30 s."""
        if self.alive():
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class HarvestJobs:
    """Queue harvest jobs on *url*'s database and the queue of *settings*, and follow them."""

    def __init__(self, url: str, settings: Mapping[str, str]) -> None:
        self.app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": url,
                               "BASE_URL": "http://127.0.0.1", **settings})

    def queue(self, source_id: int) -> int:
        """Queue a harvest of *source_id*, as "Harvest now" does; the job's id."""
        with self.app.app_context(), self.app.extensions["blgcal.sessionmaker"]() as session:
            job = jobs.queue_job(session, "harvest", {"source_id": source_id},
                                 now=datetime.now(UTC))
            session.commit()
            queue.enqueue(job.id)
            return job.id

    def seen(self, job_id: int) -> Seen:
        with self.app.extensions["blgcal.sessionmaker"]() as session:
            job = session.get(Job, job_id)
            assert job is not None, job_id
            return Seen(job.state, job.stage, job.message or "", dict(job.result or {}))

    def wait(self, job_id: int, until: Callable[[Seen], bool], *, timeout_s: float = 180,
             every_s: float = 0.05) -> Seen:
        """Read the job every *every_s* until *until* holds (or *timeout_s* passed: raise)."""
        deadline = time.monotonic() + timeout_s
        while not until(found := self.seen(job_id)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {found.state} ({found.stage}) "
                                   f"after {timeout_s:g} s")
            time.sleep(every_s)
        return found

    @property
    def engine(self) -> Engine:
        return self.app.extensions["blgcal.engine"]

    def run(self, run_id: object) -> str:
        """The harvest run *run_id* in a few words: its status, then its counts or message."""
        with self.app.extensions["blgcal.sessionmaker"]() as session:
            run = session.get(HarvestRun, run_id) if isinstance(run_id, int) else None
            if run is None:
                return "none"
            said = run.message or f"{run.new} new, {run.updated} updated, {run.unchanged} unchanged"
            return f"{run.status}: {said}"

    def source_id(self, name: str) -> int:
        with self.app.extensions["blgcal.sessionmaker"]() as session:
            return session.scalars(select(Source.id).where(Source.name == name)).one()

    def events_from(self, source_id: int) -> int:
        """How many events the source's harvests wrote."""
        with self.app.extensions["blgcal.sessionmaker"]() as session:
            return session.scalar(select(func.count(Provenance.id))
                                  .where(Provenance.source_id == source_id)) or 0

    def close(self) -> None:
        self.engine.dispose()


class Workers:
    """``blgcal worker`` processes started one after another, as systemd restarts a dead one."""

    def __init__(self, env: Mapping[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.started: list[Worker] = []

    @property
    def current(self) -> Worker:
        return self.started[-1]

    def start(self) -> Worker:
        self.started.append(Worker(self.env, self.folder / f"worker-{len(self.started)}.log"))
        return self.current

    def __enter__(self) -> Workers:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.started:
            worker.stop()
