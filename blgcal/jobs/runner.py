"""What the worker does with a job id: claim it, keep it alive, run it, record the outcome.

While the work runs, a heartbeat thread writes the job's progress and
heartbeat every ``JOB_HEARTBEAT_SECONDS`` and renews the harvest lock it holds
(its own short transactions: on SQLite the work's write transaction may make a
beat wait, never the other way round). The work only hands its progress to the
thread, and stops at its next stage once ``JOB_TIMEOUT_MINUTES`` have passed.
Whatever happens to the work, the lock is released: by the harvest itself on
an error or a timeout, by the connection closing (PostgreSQL) or by
the reaper (:func:`blgcal.services.jobs.reap_stale`) if the worker is killed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from blgcal.clock import now
from blgcal.db import get_engine, get_session
from blgcal.domain.harvest.sources import RunStatus
from blgcal.domain.jobs import JobState
from blgcal.harvesting import harvest
from blgcal.models import Job, Source
from blgcal.services import jobs
from blgcal.services.harvest.lock import HarvestLock, LockHeld
from blgcal.services.harvest.run import Stopped, series_note

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    state: JobState  # succeeded or failed
    message: str
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Heartbeat:
    """The thread that tells the job table a job is alive, and how far it got."""

    engine: Engine
    job_id: int
    every: float
    deadline: float
    lock: HarvestLock | None = None
    latest: jobs.Progress = jobs.Progress("starting")
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def report(self, stage: str, done: int, total: int | None) -> None:
        """The work's progress; raises Stopped once the job is past its time."""
        self.latest = jobs.Progress(stage, done, total)
        if time.monotonic() > self.deadline:
            raise Stopped(f"stopped while {stage}: the job ran past JOB_TIMEOUT_MINUTES "
                          f"({current_app.config['JOB_TIMEOUT_MINUTES']}); nothing was written")

    def __enter__(self) -> Heartbeat:
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{self.job_id}",
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                jobs.beat(self.engine, self.job_id, self.latest, now=now())
                if self.lock is not None:
                    self.lock.renew(now())
            except SQLAlchemyError as exc:  # busy (SQLite: the work is writing) or restarting
                log.warning("job %s: heartbeat not written: %s", self.job_id,
                            str(getattr(exc, "orig", exc)).splitlines()[0])


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(job_id: int) -> None:
    """Run the queued job *job_id* to its end (inside an app context)."""
    engine, config = get_engine(), current_app.config
    if not jobs.claim(engine, job_id, worker=worker_name(), now=now()):
        log.info("job %s is not queued any more; skipped", job_id)
        return
    job = get_session().get(Job, job_id)
    assert job is not None
    lock = HarvestLock(engine, jobs.lock_holder(job_id), float(config["HARVEST_LOCK_MINUTES"]))
    deadline = time.monotonic() + 60 * float(config["JOB_TIMEOUT_MINUTES"])
    with Heartbeat(engine, job_id, float(config["JOB_HEARTBEAT_SECONDS"]), deadline,
                   lock) as heartbeat:
        try:
            outcome = KINDS[job.kind](job, heartbeat.report)
        except Exception as exc:  # noqa: BLE001 (recorded on the job, shown to the admin)
            log.exception("job %s failed", job_id)
            get_session().rollback()
            outcome = Outcome(JobState.FAILED, f"internal error: {exc!r}")
    jobs.finish(engine, job_id, state=outcome.state, message=outcome.message,
                result=outcome.result, now=now())


def harvest_job(job: Job, report: Callable[[str, int, int | None], None]) -> Outcome:
    """Harvest the job's source, as ``blgcal harvest NAME`` would.

    While another harvest holds the lock the job waits, its stage naming the
    holder, for up to ``JOB_LOCK_WAIT_MINUTES``; past that it fails naming it.
    """
    source = get_session().get(Source, int(job.args.get("source_id", 0)))
    if source is None:
        return Outcome(JobState.FAILED, "the source no longer exists")
    minutes = float(current_app.config["JOB_LOCK_WAIT_MINUTES"])

    def waiting(held: LockHeld) -> None:
        report(f"waiting for another harvest ({held.holder})" if held.holder
               else "waiting for another harvest", 0, None)

    try:
        [run] = harvest([source], holder=jobs.lock_holder(job.id), report=report,
                        accept_drop=bool(job.args.get("accept_drop")), wait=60 * minutes,
                        waiting=waiting)
    except LockHeld as exc:
        return Outcome(JobState.FAILED, f"not harvested after waiting {minutes:g} minutes "
                       f"(JOB_LOCK_WAIT_MINUTES) for the harvest lock: {exc}", {"source_id": source.id})
    except Stopped as exc:  # out of time while waiting for the lock
        return Outcome(JobState.FAILED, f"not harvested: {exc}", {"source_id": source.id})
    said = run.message or series_note(run)
    message = f"{source.name}: {run.status}" + (f": {said}" if said else "")
    return Outcome(JobState.FAILED if run.status == RunStatus.FAILED else JobState.SUCCEEDED, message,
                   {"source_id": source.id, "run_id": run.id})


#: What each kind of job runs.
KINDS: dict[str, Callable[[Job, Callable[[str, int, int | None], None]], Outcome]] = {
    "harvest": harvest_job,
}
