"""The job queue: Huey, on a SQLite file in ``instance/`` by default, on Redis when ``REDIS_URL`` is set.

The queue carries only a job's id; the job itself, its progress and its
outcome live in the ``job`` table (:mod:`blgcal.services.jobs`), so pages
never depend on the backend. ``blgcal worker`` consumes the queue;
``blgcal run`` consumes it in threads of its own (:func:`start_embedded`), so
a laptop needs no second command. With ``QUEUE_IMMEDIATE`` (the tests) a job
runs inside the request that queues it. Every consumer also runs a
:class:`Reaper`, which marks lost jobs every ``JOB_HEARTBEAT_SECONDS``, so a
killed worker's job is found in seconds by any worker still running.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from huey.consumer import Consumer
from huey.signals import SIGNAL_INTERRUPTED
from sqlalchemy.exc import SQLAlchemyError

from blgcal.harvesting import reap
from blgcal.jobs import runner as job_runner

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Queue:
    huey: Huey
    run_job: TaskWrapper


def queue(app: Flask | None = None) -> Queue:
    """The app's queue, made on first use (so commands that queue nothing open nothing).

    Its task: run a job (and, when a worker stops mid-job, mark the job lost).
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found: Queue | None = app.extensions.get("blgcal.jobs.queue")
    if found is None:
        found = app.extensions["blgcal.jobs.queue"] = _make_queue(app)
    return found


def _make_queue(app: Flask) -> Queue:
    huey = make_huey(app.config, app.instance_path)

    def run_job(job_id: int) -> None:
        with app.app_context():
            job_runner.run_job(job_id)

    def interrupted(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
        # The worker was stopped before the job finished: say so now, not at the reaper's turn.
        with app.app_context():
            for job in reap(only=task.args):
                log.warning("job %s marked lost: %s", job.id, job.message)

    huey.signal(SIGNAL_INTERRUPTED)(interrupted)
    return Queue(huey, huey.task(name="run_job")(run_job))


def make_huey(config: Any, instance_path: str) -> Huey:
    """Memory (immediate), Redis when ``REDIS_URL`` is set, else a SQLite file."""
    if config.get("QUEUE_IMMEDIATE"):
        return MemoryHuey("blgcal", immediate=True, results=False)
    if config.get("REDIS_URL"):
        return RedisHuey("blgcal", url=str(config["REDIS_URL"]), results=False)
    path = Path(config.get("QUEUE_FILE") or Path(instance_path) / "queue.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("blgcal", filename=str(path), results=False)


def enqueue(job_id: int) -> None:
    """Put job *job_id* on the queue (raises if the queue cannot be reached)."""
    queue().run_job(job_id)


class Reaper:
    """A daemon thread that marks lost jobs every *every* seconds (the heartbeat's cadence)."""

    def __init__(self, app: Flask, every: float) -> None:
        self.app, self.every = app, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reaper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with self.app.app_context():
                    for job in reap():
                        log.warning("job %s marked lost: %s", job.id, job.message)
            except SQLAlchemyError as exc:  # busy (SQLite: a harvest is writing) or restarting
                log.warning("lost jobs not reaped: %s", str(getattr(exc, "orig", exc)).splitlines()[0])


class ReapingConsumer(Consumer):
    """A Huey consumer of the app's queue, in threads, with a :class:`Reaper` beside them."""

    def __init__(self, app: Flask, *, threads: int = 1) -> None:
        super().__init__(queue(app).huey, workers=threads, worker_type="thread", periodic=False,
                         max_delay=1.0)
        self.reaper = Reaper(app, float(app.config["JOB_HEARTBEAT_SECONDS"]))

    def start(self) -> None:
        super().start()
        self.reaper.start()

    def stop(self, graceful: bool = False) -> None:
        self.reaper.stop()
        super().stop(graceful)


def consumer(app: Flask, *, threads: int = 1) -> ReapingConsumer:
    """A consumer of the app's queue, in threads, that reaps lost jobs too (``blgcal worker``)."""
    return ReapingConsumer(app, threads=threads)


class EmbeddedConsumer(ReapingConsumer):
    """A consumer that lives beside the development server and leaves its signals alone."""

    def _set_signal_handlers(self) -> None:
        pass  # Ctrl-C stays the server's; the consumer's threads are daemons and end with it


def start_embedded(app: Flask) -> EmbeddedConsumer:
    """Consume the queue in threads of this process (``blgcal run``)."""
    found = EmbeddedConsumer(app)
    found.start()
    return found
