"""The one harvest use case, for ``blgcal harvest`` (cron) and harvest jobs (the web's "Harvest now").

Sources are harvested one by one under the harvest lock, each its own unit of
work: it commits when it is done, so one source's failure never undoes
another's. A harvest may wait for the lock while another holds it (a job does,
up to ``JOB_LOCK_WAIT_MINUTES``). Before each try, jobs whose worker died are
reaped (:func:`blgcal.services.jobs.reap_stale`), which frees the lock a killed
worker held instead of leaving it to expire.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable

from flask import current_app
from sqlalchemy.orm import Session

from blgcal.clock import now, today
from blgcal.db import get_engine, get_session
from blgcal.models import HarvestRun, Job, Source
from blgcal.services import jobs
from blgcal.services.harvest.lock import HarvestLock, LockHeld, acquire
from blgcal.services.harvest.run import HarvestSettings, Reporter, crash_run, harvest_source

#: Seconds between tries while a harvest waits for the lock.
LOCK_POLL_SECONDS = 1.0


def harvest(sources: Iterable[Source], *, holder: str, accept_drop: bool = False,
            report: Reporter | None = None, wait: float = 0,
            waiting: Callable[[LockHeld], None] | None = None) -> list[HarvestRun]:
    """Harvest *sources* under the lock, waiting up to *wait* seconds for it (then LockHeld)."""
    session = get_session()
    lock = take_lock(holder, wait=wait, waiting=waiting)
    try:
        runs = []
        for source in sources:
            runs.append(harvest_one(session, source, accept_drop=accept_drop, report=report))
            lock.renew(now())
    finally:
        lock.release()
    return runs


def take_lock(holder: str, *, wait: float = 0,
              waiting: Callable[[LockHeld], None] | None = None) -> HarvestLock:
    """The harvest lock, tried again for up to *wait* seconds while another harvest holds it.

    Lost jobs are reaped before every try, so a killed worker's lock makes no one
    wait. *waiting* hears who holds the lock before each pause (it may raise to
    stop waiting); past *wait* the last LockHeld, naming the holder, is raised.
    """
    deadline = time.monotonic() + wait
    while True:
        reap()
        try:
            return acquire(get_engine(), now=now(), holder=holder,
                           minutes=float(current_app.config["HARVEST_LOCK_MINUTES"]))
        except LockHeld as held:
            left = deadline - time.monotonic()
            if left <= 0:
                raise
            if waiting is not None:
                waiting(held)
            time.sleep(min(LOCK_POLL_SECONDS, left))


def harvest_one(session: Session, source: Source, *, accept_drop: bool = False,
                report: Reporter | None = None) -> HarvestRun:
    """Harvest and commit one source; an unexpected error is recorded as a failed run."""
    started = now()
    settings = HarvestSettings.from_config(current_app.config)
    try:
        run = harvest_source(session, source, now=started, settings=settings, today=today(),
                             accept_drop=accept_drop, report=report)
    except Exception as exc:  # noqa: BLE001 (isolate the source; the error is recorded)
        session.rollback()
        run = crash_run(session, source, started=started, finished=now(), error=exc)
    session.commit()
    return run


def reap(only: Collection[int] | None = None) -> list[Job]:
    """Mark jobs lost whose worker stopped answering, freeing their lock; commit.

    *only*: these jobs, whose worker has just stopped, whatever their heartbeat says.
    """
    session = get_session()
    lost = jobs.reap_stale(session, now=now(), staleness=jobs.Staleness.from_config(current_app.config),
                           only=only)
    session.commit()
    return lost
