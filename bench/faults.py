"""blgcal under faults: PostgreSQL restarted under load, a full disk during a backup,
a clock jump, the worker killed mid-job.

Run: ``.venv/bin/python bench/faults.py [--database-url URL] [--skip-restart] [--only NAME]``

The database (default ``blgcal_faults`` on the local PostgreSQL, never ``test``)
is created, filled (2,000 events, 10,000 private feeds) and dropped at the end.
``--only`` runs one scenario alone: ``restart``, ``disk-full``, ``clock-jump``
or ``worker-killed``.

- **restart**: gunicorn (4 workers) under wrk (conditional feeds, pages, API)
  while a thread edits one event a second; the PostgreSQL cluster is restarted
  (``pg_ctlcluster``) five seconds in. A probe asks for an uncached API page
  every 50 ms and reads every body: the time from the restart to its first
  good answer is the recovery time, its slowest answer must stay under
  gunicorn's timeout, and no body may show a traceback. Restarting PostgreSQL
  stops every other client of this server for a few seconds; ``--skip-restart``
  leaves it out. The cluster is always started again, and ``pg_isready`` checked.
- **disk-full**: ``blgcal backup`` onto a 256 KB tmpfs (or, where mounting is not
  allowed, under an RLIMIT_FSIZE of 256 KB): it must fail saying why and leave
  no file behind.
- **clock-jump**: "today" jumps four years ahead and back under running workers
  (``bench/clock_app.py``); each answer must be the feed built afresh for that
  day, and the old ETag must be valid again after the jump back.
- **worker-killed** (``bench/faults_worker.py``): ``blgcal worker`` SIGKILLed
  while its harvest job waits on a slow feed, and again once the harvest's
  transaction has written; a new worker is started at once each time. Measured:
  seconds until the harvest lock is free and until the job is marked lost; no
  event of a killed harvest may exist; then a harvest job must succeed. Its
  queue is a SQLite file of the run's own, or ``--redis-url``.

Nothing committed is lost and nothing half-written remains: every edit the
thread saw committed is in the database afterwards, none it saw fail is, and
the content hash of every table the run does not write is unchanged.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench import faults_worker, load_data, wrk  # noqa: E402
from bench.wrk import Request, RequestClass, Scenario  # noqa: E402
from blgcal.domain.filters import EventFilter  # noqa: E402
from blgcal.services.feeds.build import build_feed  # noqa: E402
from blgcal.services.feeds.specs import all_spec, settings_from  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/blgcal_faults"
#: Tables a run writes (edits, their history, feed use, harvests, jobs); the rest must not move.
WRITTEN = frozenset({"event", "event_body", "event_tag", "revision", "provenance", "private_feed",
                     "harvest_run", "harvest_lock", "source", "possible_duplicate", "job"})
TINY_DISK_KB = 256


def env_for(url: str) -> dict[str, str]:
    return {"BLGCAL_DATABASE_URL": url, "BLGCAL_SECRET_KEY": "f" * 40,
            "BLGCAL_BASE_URL": "http://127.0.0.1", "BLGCAL_TODAY": load_data.TODAY.isoformat()}


# -- PostgreSQL restarted under load ---------------------------------------------------------

def cluster() -> tuple[str, str]:
    """The local Debian cluster (version, name), from /etc/postgresql."""
    for version in sorted(os.listdir("/etc/postgresql"), reverse=True):
        names = sorted(os.listdir(f"/etc/postgresql/{version}"))
        if names:
            return version, names[0]
    raise SystemExit("no PostgreSQL cluster in /etc/postgresql")


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


@contextlib.contextmanager
def postgres_kept_running() -> Iterator[None]:
    """Whatever happens inside, leave the cluster started and answering."""
    try:
        yield
    finally:
        version, name = cluster()
        if not pg_ready():
            subprocess.run(["pg_ctlcluster", version, name, "start"], check=False)
        for _ in range(120):
            if pg_ready():
                break
            time.sleep(0.5)
        print(f"pg_isready after the restart scenario: {'ok' if pg_ready() else 'NOT READY'}")


class Probe:
    """An uncached API page every 50 ms: status, time, and whether the body leaks a traceback."""

    LEAKS = (b"Traceback", b"psycopg", b"sqlalchemy", b'File "')

    def __init__(self, port: int) -> None:
        self.port, self.answers = port, []  # (moment, status or None, seconds)
        self.leaks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        page = 0
        while not self._stop.wait(0.05):
            page += 1
            started = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                connection.request("GET", f"/api/v1/events?page={page % 40 + 1}&q=e{page}")
                response = connection.getresponse()
                body, status = response.read(), response.status
            except OSError:
                body, status = b"", None
            finally:
                connection.close()
            self.leaks += any(marker in body for marker in self.LEAKS)
            self.answers.append((started, status, time.monotonic() - started))

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def recovery_s(self, since: float) -> float | None:
        """Seconds from *since* to the first good answer after the last failed one."""
        failed = [moment for moment, status, _ in self.answers if status != 200 and moment >= since]
        after = max(failed, default=since)
        good = [moment + took for moment, status, took in self.answers
                if status == 200 and moment >= after]
        return (min(good) - since) if good else None


def restart_under_load(url: str, tokens: list[load_data.Token], folder: Path) -> bool:
    version, name = cluster()
    with wrk.gunicorn("wsgi:app", env_for(url), log=folder / "restart.log") as (server, port):
        feeds = [f"/feeds/private/{t.token}.ics" for t in tokens[:200]]
        etags = [_etag(port, path) for path in feeds]
        scenario = Scenario("restart", [
            RequestClass(0.7, [Request(p, {"If-None-Match": e}) for p, e in zip(feeds, etags)],
                         frozenset({200, 304, 500, 503})),
            RequestClass(0.3, [Request(f"/api/v1/events?page={n}") for n in range(1, 20)],
                         frozenset({200, 500, 503}))])
        editor = load_data.Editor(url)
        result: list[wrk.Result] = []
        with editor.every_second(), Probe(port) as probe:
            driver = threading.Thread(target=lambda: result.append(wrk.run(
                scenario, port, folder, seconds=25, connections=8, server_pid=server.pid,
                timeout_s=wrk.GUNICORN_TIMEOUT + 5)))
            driver.start()
            time.sleep(5)
            with postgres_kept_running():
                started = time.monotonic()
                subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
                restarted = time.monotonic() - started
            driver.join()
        missing, failed = editor.missing(), editor.failed_titles()
        editor.close()
    tracebacks = (folder / "restart.log").read_text(errors="replace").count("Traceback")
    got = result[0]
    recovery = probe.recovery_s(started)
    slowest = max(took for _, _, took in probe.answers)
    print(f"restart: pg_ctlcluster {version} {name} restart took {restarted:.1f} s; the API answered "
          f"again {recovery:.2f} s after it began" if recovery is not None else
          "restart: the API never answered again")
    print(f"  probe: {len(probe.answers)} requests, {sum(s != 200 for _, s, _ in probe.answers)} "
          f"failed, slowest {slowest:.2f} s (gunicorn timeout {wrk.GUNICORN_TIMEOUT} s), "
          f"{probe.leaks} bodies showing a traceback; gunicorn logged {tracebacks} tracebacks")
    print(f"  wrk: {got.requests} requests, {got.requests_per_s:.0f}/s, p99 {got.p99_ms:.0f} ms, "
          f"socket errors {got.socket_errors}, statuses {dict(got.statuses)}")
    print(f"  edits: {len(editor.committed)} committed, {len(missing)} of them lost; "
          f"{editor.failures} failed, {len(failed)} of those found written anyway; "
          f"{editor.unchanged} changed nothing")
    return (recovery is not None and slowest < wrk.GUNICORN_TIMEOUT and not probe.leaks
            and not missing and not failed)


def _etag(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("ETag") or ""


# -- the disk full during a backup -------------------------------------------------------------

@contextlib.contextmanager
def tiny_disk(folder: Path) -> Iterator[tuple[Path, str]]:
    """A directory on a 256 KB filesystem, or one whose writers get RLIMIT_FSIZE."""
    target = folder / "tiny"
    target.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TINY_DISK_KB}k", "tmpfs",
                              str(target)], capture_output=True, check=False).returncode == 0
    try:
        yield target, "tmpfs" if mounted else "rlimit"
    finally:
        if mounted:
            subprocess.run(["umount", str(target)], check=False)


def disk_full_backup(url: str, folder: Path) -> bool:
    with tiny_disk(folder) as (disk, how):
        limit = (lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (TINY_DISK_KB * 1024,) * 2)
                 ) if how == "rlimit" else None
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "blgcal", "backup",
                               str(disk / "blgcal.dump")], cwd=wrk.ROOT, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(wrk.ROOT),
                                              **env_for(url)}, preexec_fn=limit, check=False)
        left = sorted(p.name for p in disk.iterdir())
    message = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(nothing)"]
    print(f"disk full ({how}, {TINY_DISK_KB} KB): backup exited {done.returncode}, said "
          f"{message[0]!r}; files left: {left or 'none'}")
    return done.returncode != 0 and not left and "Traceback" not in done.stderr


# -- a clock jump --------------------------------------------------------------------------------

def clock_jump(url: str, folder: Path) -> bool:
    today_file = folder / "today"
    today_file.write_text(load_data.TODAY.isoformat())
    ahead = load_data.TODAY + timedelta(days=4 * 365)
    env = {**env_for(url), "BENCH_TODAY_FILE": str(today_file)}
    ok = True
    with wrk.gunicorn("bench.clock_app:make_wsgi()", env, log=folder / "clock.log") as (_, port):
        before = _etag(port, "/feeds/all.ics")
        for _ in range(8):  # every worker replays the 304 from now on
            _status(port, "/feeds/all.ics", before)
        for day, expect in ((ahead, None), (load_data.TODAY, before)):
            today_file.write_text(day.isoformat())
            fresh = _fresh_etag(url, day)
            seen = {_status(port, "/feeds/all.ics", before) for _ in range(12)}
            now_etag = _etag(port, "/feeds/all.ics")
            right = now_etag == fresh and (expect is None or now_etag == expect)
            wanted = {304} if expect else {200}
            print(f"clock at {day}: ETag {'matches' if right else 'DIFFERS from'} a fresh build; "
                  f"requests with the old ETag got {sorted(seen)} (expected {sorted(wanted)})")
            ok = ok and right and seen == wanted
    return ok


def _status(port: int, path: str, etag: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"If-None-Match": etag})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def _fresh_etag(url: str, day) -> str:  # type: ignore[no-untyped-def]
    app = load_data.app_for(url)
    with app.app_context(), app.extensions["blgcal.sessionmaker"]() as session:
        body = build_feed(session, all_spec(app.config["SITE_NAME"], EventFilter()), today=day,
                          now=datetime.now(UTC), settings=settings_from(app.config))
    app.extensions["blgcal.engine"].dispose()
    return f'"{body.etag}"'


SCENARIOS = ("restart", "disk-full", "clock-jump", "worker-killed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--only", choices=SCENARIOS, help="run this scenario alone")
    parser.add_argument("--skip-restart", action="store_true",
                        help="do not restart PostgreSQL (it interrupts every client of the server)")
    parser.add_argument("--redis-url", help="the worker's queue on this Redis database "
                                            "(e.g. redis://127.0.0.1:6379/7; default a SQLite file)")
    args = parser.parse_args()
    names = [args.only] if args.only else [n for n in SCENARIOS if n != "restart" or not args.skip_restart]
    if "restart" in names:
        wrk.check_wrk()
    url = args.database_url
    load_data.create_database(url)
    outcomes: dict[str, bool] = {}
    try:
        tokens = load_data.fill(url, events=2_000)
        before = load_data.content_digest(url, WRITTEN)
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            run = {"restart": lambda: restart_under_load(url, tokens, folder),
                   "disk-full": lambda: disk_full_backup(url, folder),
                   "clock-jump": lambda: clock_jump(url, folder),
                   "worker-killed": lambda: faults_worker.worker_killed(
                       url, folder, env=env_for(url), redis_url=args.redis_url)}
            for scenario in names:
                outcomes[scenario] = run[scenario]()
        after = load_data.content_digest(url, WRITTEN)
        outcomes["content hash"] = before == after
        print(f"content hash of the tables the run does not write: {before[:16]} before, "
              f"{after[:16]} after ({'same' if before == after else 'CHANGED'})")
    finally:
        load_data.drop_database(url)
    print("; ".join(f"{k}: {'ok' if v else 'FAILED'}" for k, v in outcomes.items()))


if __name__ == "__main__":
    main()
