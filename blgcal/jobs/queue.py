"""The job queue: Huey, on a SQLite file in ``instance/`` by default, on Redis when ``REDIS_URL`` is set.

The queue carries only a job's id; the job itself, its progress and its
outcome live in the ``job`` table (:mod:`blgcal.services.jobs`), so pages
never depend on the backend. ``blgcal worker`` consumes the queue;
``blgcal run`` consumes it in threads of its own (:func:`start_embedded`), so
a laptop needs no second command. With ``QUEUE_IMMEDIATE`` (the tests) a job
runs inside the request that queues it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from huey.consumer import Consumer
from huey.signals import SIGNAL_INTERRUPTED

from blgcal.harvesting import reap
from blgcal.jobs import runner as job_runner

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Queue:
    huey: Huey
    run_job: TaskWrapper


def queue(app: Flask | None = None) -> Queue:
    """The app's queue, made on first use (so commands that queue nothing open nothing).

    Its tasks: run a job, and reap lost jobs every minute.
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

    def reap_jobs() -> None:
        with app.app_context():
            for job in reap():
                log.warning("job %s marked lost: %s", job.id, job.message)

    def interrupted(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
        # The worker was stopped before the job finished: say so now, not at the reaper's turn.
        with app.app_context():
            for job in reap(only=task.args):
                log.warning("job %s marked lost: %s", job.id, job.message)

    huey.periodic_task(crontab(minute="*"), name="reap_jobs", expires=120)(reap_jobs)
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


def consumer(app: Flask, *, threads: int = 1) -> Consumer:
    """A Huey consumer of the app's queue, in threads."""
    return queue(app).huey.create_consumer(workers=threads, worker_type="thread", periodic=True,
                                           max_delay=1.0)


class EmbeddedConsumer(Consumer):
    """A consumer that lives beside the development server and leaves its signals alone."""

    def _set_signal_handlers(self) -> None:
        pass  # Ctrl-C stays the server's; the consumer's threads are daemons and end with it


def start_embedded(app: Flask) -> EmbeddedConsumer:
    """Consume the queue in threads of this process (``blgcal run``)."""
    found = EmbeddedConsumer(queue(app).huey, workers=1, worker_type="thread", periodic=True,
                             max_delay=1.0)
    found.start()
    return found
