"""Job records: queued by the web, claimed and kept alive by the worker, reaped when lost.

A job's row is the truth the pages show; the queue only carries its id. The
worker writes through short transactions of its own (:func:`claim`,
:func:`beat`, :func:`finish`), beside the session the job's work uses. A
running job that went silent and whose worker is gone (:class:`Staleness`:
killed, or its machine died) is stuck: :func:`reap_stale` marks it lost, frees the
harvest lock it held and records the harvest as failed, so the next harvest
runs at once instead of waiting for the lock to expire.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from blgcal.domain.harvest.sources import RunStatus
from blgcal.domain.jobs import JobState
from blgcal.models import HarvestLock, HarvestRun, Job, Source


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a running job is: its stage, and items done out of total when known."""

    stage: str
    done: int = 0
    total: int | None = None


#: Heartbeats a running job may miss before it counts as silent.
MISSED_BEATS = 3


@dataclass(frozen=True, slots=True)
class Staleness:
    """When a running job is silent, and when a silent job's worker counts as gone.

    A job is silent once it missed ``MISSED_BEATS`` heartbeats. Its worker is
    gone when it ran on this machine and its process has ended (a live process
    is only busy: on SQLite its heartbeat waits while its harvest writes); a
    worker on another machine cannot be asked, so it is gone once its job has
    been silent for ``stale_minutes``.
    """

    heartbeat_seconds: float
    stale_minutes: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Staleness:
        return cls(heartbeat_seconds=float(config["JOB_HEARTBEAT_SECONDS"]),
                   stale_minutes=float(config["JOB_STALE_MINUTES"]))

    @property
    def silent_after(self) -> timedelta:
        return timedelta(seconds=MISSED_BEATS * self.heartbeat_seconds)

    def gone(self, job: Job, *, now: datetime) -> bool:
        """Whether the silent *job*'s worker is gone (see the class)."""
        if local_pid(job.worker) is not None:
            return not runs_here(job.worker)
        return job.heartbeat_dt is None or job.heartbeat_dt <= now - timedelta(minutes=self.stale_minutes)


@dataclass(frozen=True, slots=True)
class Depth:
    """How many jobs wait, and since when the oldest has."""

    queued: int
    oldest_dt: datetime | None


def lock_holder(job_id: int) -> str:
    """The harvest lock's holder name for a job, so a reaper can free it."""
    return f"job:{job_id}"


def queue_job(session: Session, kind: str, args: dict[str, Any], *, now: datetime,
              requested_by: int | None = None) -> Job:
    """Add a queued job (flushed, so it has an id)."""
    job = Job(kind=kind, args=args, state=JobState.QUEUED, stage=JobState.QUEUED, done=0, result={},
              requested_by=requested_by, created_dt=now)
    session.add(job)
    session.flush()
    return job


def claim(engine: Engine, job_id: int, *, worker: str, now: datetime) -> bool:
    """Mark a queued job running for *worker*; False if it is not queued (any more)."""
    with engine.begin() as connection:
        taken = connection.execute(
            update(Job).where(Job.id == job_id, Job.state == JobState.QUEUED)
            .values(state=JobState.RUNNING, stage="starting", worker=worker, started_dt=now,
                    heartbeat_dt=now))
    return taken.rowcount == 1


def beat(engine: Engine, job_id: int, progress: Progress, *, now: datetime) -> None:
    """Record that a running job is alive, and how far it got."""
    with engine.begin() as connection:
        connection.execute(
            update(Job).where(Job.id == job_id, Job.state == JobState.RUNNING)
            .values(heartbeat_dt=now, stage=progress.stage[:64], done=progress.done,
                    total=progress.total))


def finish(engine: Engine, job_id: int, *, state: JobState, now: datetime, message: str | None = None,
           result: dict[str, Any] | None = None) -> None:
    """End a running job as ``succeeded`` or ``failed``."""
    values: dict[str, Any] = {"state": state, "stage": state, "finished_dt": now,
                              "heartbeat_dt": now, "message": (message or "")[:2000] or None}
    if result is not None:
        values["result"] = result
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id, Job.state == JobState.RUNNING)
                           .values(**values))


def fail_queued(engine: Engine, job_id: int, *, now: datetime, message: str) -> None:
    """A job the queue would not take: failed before it started."""
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id, Job.state == JobState.QUEUED).values(
            state=JobState.FAILED, stage=JobState.FAILED, finished_dt=now, message=message[:2000]))


def silent(session: Session, *, now: datetime, staleness: Staleness) -> list[Job]:
    """Running jobs that missed ``MISSED_BEATS`` heartbeats (busy, or their worker is gone)."""
    return list(session.scalars(select(Job).where(
        Job.state == JobState.RUNNING, Job.heartbeat_dt <= now - staleness.silent_after)
        .order_by(Job.id)))


def stuck(session: Session, *, now: datetime, staleness: Staleness,
          only: Collection[int] | None = None) -> list[Job]:
    """Silent running jobs whose worker is gone; *only*: these running jobs, whatever they say."""
    if only is not None:
        return list(session.scalars(select(Job).where(
            Job.state == JobState.RUNNING, Job.id.in_(list(only))).order_by(Job.id)))
    return [job for job in silent(session, now=now, staleness=staleness)
            if staleness.gone(job, now=now)]


def local_pid(worker: str | None) -> int | None:
    """The process id of *worker* (``host:pid``) if it ran on this machine."""
    host, _, pid = (worker or "").rpartition(":")
    return int(pid) if host == socket.gethostname() and pid.isdigit() else None


def runs_here(worker: str | None) -> bool:
    """Whether *worker* (``host:pid``) is a live process on this machine."""
    pid = local_pid(worker)
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def reap_stale(session: Session, *, now: datetime, staleness: Staleness,
               only: Collection[int] | None = None) -> list[Job]:
    """Mark stuck jobs lost, free the harvest lock each held, and fail its harvest (flushed)."""
    lost = stuck(session, now=now, staleness=staleness, only=only)
    for job in lost:
        silent = f"{job.heartbeat_dt:%Y-%m-%d %H:%M:%S} UTC" if job.heartbeat_dt else "it started"
        job.message = (f"the worker {job.worker or ''} stopped answering while {job.stage} "
                       f"(no heartbeat since {silent}); nothing it had not committed was kept")
        job.state, job.stage, job.finished_dt = JobState.LOST, JobState.LOST, now
        session.execute(delete(HarvestLock).where(HarvestLock.holder == lock_holder(job.id)))
        if job.kind == "harvest" and session.get(Source, job.args.get("source_id", 0)) is not None:
            run = lost_run(job, now=now)
            session.add(run)
            session.flush()
            job.result = {"source_id": run.source_id, "run_id": run.id}
    session.flush()
    return lost


def lost_run(job: Job, *, now: datetime) -> HarvestRun:
    """The failed harvest run of a job whose worker died mid-harvest."""
    message = f"the harvest stopped with its worker (job {job.id} lost); nothing was written"
    return HarvestRun(source_id=job.args["source_id"], started_dt=job.started_dt or now,
                      finished_dt=now, status=RunStatus.FAILED, message=message,
                      errors=[{"where": "", "message": message}], warnings=[], changes=[],
                      new=0, updated=0, unchanged=0, cancelled=0, rejected=1, merged=0, excluded=0)


def recently_lost(session: Session, *, now: datetime, days: int = 7) -> list[Job]:
    """Jobs marked lost in the last *days*, newest first."""
    return list(session.scalars(select(Job).where(
        Job.state == JobState.LOST, Job.finished_dt >= now - timedelta(days=days)).order_by(Job.id.desc())))


def recent(session: Session, *, limit: int = 100) -> list[Job]:
    """The latest jobs, newest first."""
    return list(session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)))


def depth(session: Session) -> Depth:
    """The queue's depth, read from the job table (whatever the queue's backend)."""
    count = session.scalar(select(func.count(Job.id)).where(Job.state == JobState.QUEUED)) or 0
    oldest = session.scalar(select(Job.created_dt).where(Job.state == JobState.QUEUED)
                            .order_by(Job.created_dt).limit(1))
    return Depth(queued=count, oldest_dt=oldest)
