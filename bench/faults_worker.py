"""The fault of ``bench/faults.py`` called worker-killed: ``blgcal worker`` SIGKILLed mid-harvest.

The worker takes a queued harvest job and is killed twice: while it waits on a
feed that answers in ten minutes, and once its 10,000-event harvest has begun
writing (its transaction holds an xid in pg_stat_activity).
A new worker is started at once each time, as systemd's ``Restart=always``
does. Measured: the seconds until a harvest could take the lock, and until the
job is marked lost; the lost job's failed harvest run; that no event of the
killed harvest exists and the content hash of every table but ``job`` and
``harvest_run`` is unchanged. Then a harvest job must succeed.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench import jobs as bench_jobs
from bench import load_data
from blgcal.services.harvest.lock import LockHeld, harvest_lock

KILLED_EVENTS = 10_000  # in the feed, so the harvest's write lasts long enough to be cut
#: When the worker is killed, and the feed (query) its job harvests: waiting on a feed that
#: answers in ten minutes, then once the harvest's transaction has written.
KILL_AT = (("fetching", "?wait=600"), ("writing", ""))
#: What a killed job writes: its row, and the failed harvest run the reaper records.
KILL_WRITES = frozenset({"job", "harvest_run"})


def worker_killed(url: str, folder: Path, *, env: dict[str, str], redis_url: str | None) -> bool:
    """SIGKILL ``blgcal worker`` mid-harvest twice; the next worker frees all; a harvest runs."""
    settings = bench_jobs.queue_settings(folder, redis_url)
    with load_data.feed_server(KILLED_EVENTS) as feed_url:
        env = {**env, **{f"BLGCAL_{key}": value for key, value in settings.items()},
               "BLGCAL_HARVEST_ALLOW_HOSTS": json.dumps([feed_url.split("/")[2]]),
               "BLGCAL_HARVEST_READ_TIMEOUT": "900"}
        print(f"worker killed ({'Redis' if redis_url else 'SQLite'} queue, the default heartbeat and "
              "stale limit):")
        queued = bench_jobs.HarvestJobs(url, settings)
        try:
            with bench_jobs.Workers(env, folder) as workers:
                ok = [kill_mid_job(url, queued, workers, moment=moment, source_id=load_data.point_source(
                    url, feed_url + query, f"killed-{moment}")) for moment, query in KILL_AT]
                ok.append(harvest_after(queued, load_data.point_source(url, feed_url, "after")))
        finally:
            queued.close()
    return all(ok)


def kill_mid_job(url: str, queued: bench_jobs.HarvestJobs, workers: bench_jobs.Workers, *,
                 moment: str, source_id: int) -> bool:
    """SIGKILL the worker at *moment* of its job, start the next, time what it frees."""
    before = load_data.content_digest(url, KILL_WRITES)
    job_id = queued.queue(source_id)
    now = {"fetching": lambda job: job.stage == "fetching",
           "writing": lambda job: job.stage == "applying" and harvest_writes(queued.engine) > 0}[moment]
    seen = queued.wait(job_id, lambda job: now(job) or job.finished, every_s=0.01)
    if seen.finished:
        print(f"  {moment}: job {job_id} {seen.state} before it could be killed: {seen.message}")
        return False
    writing = harvest_writes(queued.engine)
    workers.current.kill()
    killed = time.monotonic()
    workers.start()
    free_s = lock_free_after(queued.engine, killed)
    lost = queued.wait(job_id, lambda job: job.finished, timeout_s=300, every_s=0.2)
    lost_s = time.monotonic() - killed
    run = queued.run(lost.result.get("run_id"))
    same = load_data.content_digest(url, KILL_WRITES) == before
    written = queued.events_from(source_id)
    print(f"  {moment} ({seen.stage}; {writing} harvest transaction(s) holding writes at the SIGKILL): "
          f"the harvest lock was free {free_s:.2f} s after it, the job {lost.state} after "
          f"{lost_s:.1f} s; its harvest run: {run}")
    print(f"    events from the killed harvest: {written}; content hash of every table but "
          f"{', '.join(sorted(KILL_WRITES))}: {'unchanged' if same else 'CHANGED'}")
    return lost.state == "lost" and run.startswith("failed") and same and not written


def harvest_writes(engine: Engine) -> int:
    """Open transactions on the database that have written (hold an xid), but job heartbeats."""
    with engine.connect() as connection:
        return int(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND query NOT LIKE 'UPDATE job %'")).scalar_one())


def lock_free_after(engine: Engine, since: float, timeout_s: float = 60) -> float:
    """Seconds from *since* until a harvest could take the lock (taken and given back at once)."""
    while True:
        try:
            with harvest_lock(engine, now=datetime.now(UTC), holder="bench"):
                return time.monotonic() - since
        except LockHeld:
            if time.monotonic() - since > timeout_s:
                return float("inf")
            time.sleep(0.02)


def harvest_after(queued: bench_jobs.HarvestJobs, source_id: int) -> bool:
    """A harvest job after the kills: it must succeed and write its events."""
    started = time.monotonic()
    job_id = queued.queue(source_id)
    done = queued.wait(job_id, lambda job: job.finished, timeout_s=600, every_s=0.2)
    run = queued.run(done.result.get("run_id"))
    written = queued.events_from(source_id)
    print(f"  then a harvest job {done.state} in {time.monotonic() - started:.1f} s: {run}; "
          f"{written} events from it")
    return done.state == "succeeded" and run.startswith("ok") and written > 0
