"""blgcal under load: gunicorn, 4 workers, PostgreSQL, wrk, beside a trivial Flask route.

Run: ``.venv/bin/python bench/load.py [--database-url URL] [--seconds 10] [--repeat 3]``

The database (default ``blgcal_load`` on the local PostgreSQL, never ``test``)
is created, filled with 10,000 events and 10,000 private feed tokens in bulk,
and dropped at the end. blgcal and ``bench/trivial_app.py`` run under the same
gunicorn settings (4 sync workers, loopback); each scenario is measured right
after the trivial route, so every figure is printed beside its baseline:

- ``304``: ``/feeds/all.ics`` with a matching ``If-None-Match``;
- ``warm-feed``: body feeds, unchanged (from the feed cache);
- ``cold-feed``: custom feeds with varied filters, each built on its first request;
- ``pages``: agenda, past, month, body and event pages;
- ``api``: ``/api/v1/events`` pages;
- ``mix``: 85% conditional requests of private feeds across the 10,000 tokens,
  1% unknown tokens (a 404 is their right answer), 5% conditional body feeds,
  5% pages, 4% API, while a thread edits one event a second through the service
  and harvest jobs of a loopback feed run one after another in ``blgcal worker``
  (queued as "Harvest now" queues them, on a SQLite queue file of the run's own).
  Before it is measured the source's first harvest imports its events (the
  mix's harvests repeat it), then the mix runs without writes for ``--warmup`` seconds
  (240 by default), until each worker has polled nearly every feed, as workers
  that have served subscribed calendars for hours have (the run prints the
  share; after 60 s it was about half, and each first poll in a worker costs a
  freshness query that later polls do not).

Errors are wrk's socket errors (connect, read, write, timeout) plus statuses no
request of the scenario expects, counted by the generated Lua script. Memory is
the peak summed RSS of gunicorn's master and workers, sampled every 100 ms.
Targets: the mix at least 1,000 requests/s with p99 under 100 ms and no errors;
the 304 at least 60% of the trivial route's requests/s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import jobs as bench_jobs  # noqa: E402
from bench import load_data, wrk  # noqa: E402
from bench.wrk import Request, RequestClass, Result, Scenario  # noqa: E402

FOLLOWED = load_data.FOLLOWED
PRIVATE_SHARE = 0.85  # of the mix's requests: conditional polls of private feeds


def app_env(url: str, feed_url: str) -> dict[str, str]:
    host = feed_url.split("/")[2]
    return {"BLGCAL_DATABASE_URL": url, "BLGCAL_SECRET_KEY": "l" * 40,
            "BLGCAL_BASE_URL": "http://127.0.0.1", "BLGCAL_TODAY": load_data.TODAY.isoformat(),
            "BLGCAL_HARVEST_ALLOW_HOSTS": json.dumps([host])}


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def etag_of(port: int, path: str) -> str:
    status, headers = fetch(port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return headers["ETag"]


def learn_etags(port: int, paths: list[str]) -> list[str]:
    """Each feed's ETag, as a subscribed calendar holds it (this warms the caches too)."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda path: etag_of(port, path), paths))


def scenarios(port: int, tokens: list[load_data.Token]) -> dict[str, Scenario]:
    rng = random.Random(5)
    private = [f"/feeds/private/{t.token}.ics" for t in tokens]
    private_tags = learn_etags(port, private)
    bodies = [f"/feeds/{slug}.ics" for slug in FOLLOWED]
    body_tags = learn_etags(port, bodies)
    conditional_bodies = [Request(p, {"If-None-Match": e}) for p, e in zip(bodies, body_tags)]
    first = load_data.TODAY
    cold = [Request(f"/feeds/custom.ics?body={rng.choice(FOLLOWED)}"
                    f"&from={first + timedelta(days=rng.randrange(3650)):%Y-%m-%d}")
            for _ in range(5000)]
    # Event pages are left out: after any write each worker analyses the whole calendar's
    # clashes again before it can show one (seconds at 10,000 events; see the README).
    pages = [Request(p) for p in ("/", *(f"/month/2027/{m}" for m in range(1, 13)))]
    slow_pages = [Request(p) for p in ("/past", *(f"/bodies/{slug}" for slug in FOLLOWED))]
    api = [Request(f"/api/v1/events?body={slug}&page={page}")
           for slug in FOLLOWED for page in range(1, 6)]
    bad = [Request(f"/feeds/private/{os.urandom(24).hex()[:32]}.ics") for _ in range(200)]
    conditional_private = [Request(p, {"If-None-Match": e}) for p, e in zip(private, private_tags)]
    return {
        "304": not_modified(port),
        "warm-feed": Scenario("warm-feed", [RequestClass(1, [Request(p) for p in bodies])]),
        "cold-feed": Scenario("cold-feed", [RequestClass(1, cold)]),
        "pages": Scenario("pages", [RequestClass(0.8, pages), RequestClass(0.2, slow_pages)]),
        "api": Scenario("api", [RequestClass(1, api)]),
        "mix": Scenario("mix", [
            RequestClass(PRIVATE_SHARE, conditional_private, frozenset({200, 304})),
            RequestClass(0.01, bad, frozenset(), meant_to_miss=True),
            RequestClass(0.05, conditional_bodies, frozenset({200, 304})),
            RequestClass(0.05, pages),
            RequestClass(0.04, api)]),
    }


def not_modified(port: int) -> Scenario:
    """``/feeds/all.ics`` with the ETag it has now (a harvest in an earlier mix may have changed it)."""
    return Scenario("304", [RequestClass(1, [Request("/feeds/all.ics", {
        "If-None-Match": etag_of(port, "/feeds/all.ics")})], frozenset({304}))])


TRIVIAL = Scenario("trivial", [RequestClass(1, [Request("/")])])


class Harvests:
    """Harvest jobs of the loopback source run by ``blgcal worker``, one after another until stopped.

    The load starts once the first job runs; the job running when it ends is waited for.
    """

    def __init__(self, url: str, env: dict[str, str], folder: Path) -> None:
        self.settings = bench_jobs.queue_settings(folder)
        self.url, self.folder = url, folder
        self.env = {**env, **{f"BLGCAL_{key}": value for key, value in self.settings.items()}}
        self.outcomes: list[tuple[str, float]] = []  # each job's state and seconds, queued to done
        self.last_failure = ""

    @contextmanager
    def running(self) -> Iterator[Harvests]:
        stop, first = threading.Event(), threading.Event()
        queued = bench_jobs.HarvestJobs(self.url, self.settings)
        source_id = queued.source_id(load_data.SOURCE)

        def loop() -> None:
            while not stop.is_set():
                started = time.monotonic()
                job_id = queued.queue(source_id)
                queued.wait(job_id, lambda job: job.state != "queued", every_s=0.1)
                first.set()
                done = queued.wait(job_id, lambda job: job.finished, timeout_s=600, every_s=0.2)
                self.outcomes.append((done.state, time.monotonic() - started))
                if done.state != "succeeded":
                    self.last_failure = done.message

        thread = threading.Thread(target=loop, daemon=True)
        try:
            with bench_jobs.Workers(self.env, self.folder):
                thread.start()
                first.wait(timeout=120)
                try:
                    yield self
                finally:
                    stop.set()
                    thread.join()
        finally:
            queued.close()

    def note(self) -> str:
        states = Counter(state for state, _ in self.outcomes)
        seconds = [took for _, took in self.outcomes]
        took = f" ({min(seconds):.1f}-{max(seconds):.1f} s each)" if seconds else ""
        return (f"harvest jobs in blgcal worker: {({str(s): n for s, n in states.items()}) or 'none'}{took}"
                + (f"; last failure: {self.last_failure}" if self.last_failure else ""))


def measure(name: str, scenario: Scenario, servers: dict[str, tuple[int, int]],
            folder: Path, args: argparse.Namespace, *, url: str, env: dict[str, str]
            ) -> tuple[Result, Result, str]:
    """The trivial route, then *scenario* (with its edits and harvests for the mix)."""
    def drive(which: str, what: Scenario) -> Result:
        pid, port = servers[which]
        return wrk.run(what, port, folder, seconds=args.seconds, connections=args.connections,
                       server_pid=pid)

    base = drive("trivial", TRIVIAL)
    if name != "mix":
        return base, drive("blgcal", scenario), ""
    editor = load_data.Editor(url)
    harvests = Harvests(url, env, folder)
    try:
        with editor.every_second(), harvests.running():
            got = drive("blgcal", scenario)
        lost = len(editor.missing())
    finally:
        editor.close()
    note = (f"{len(editor.committed)} events edited ({editor.failures} failed, {lost} lost, "
            f"{editor.unchanged} unchanged); "
            f"{harvests.note()}")
    return base, got, note


def row(name: str, base: Result, got: Result) -> str:
    return (f"{name:10} {got.requests_per_s:8.0f} {got.requests_per_s / base.requests_per_s:6.2f}x "
            f"{base.requests_per_s:8.0f}  {got.p50_ms:6.1f} {got.p99_ms:7.1f} ({base.p99_ms:5.1f})"
            f"  {got.errors:5d} ({base.errors})  {got.peak_rss_mb:5.0f} ({base.peak_rss_mb:3.0f})"
            f"  {dict(got.statuses)}")


HEADER = (f"{'scenario':10} {'req/s':>8} {'ratio':>7} {'trivial':>8}  {'p50':>6} {'p99 ms':>7} "
          f"(trivial)  errors (trivial)  peak MB (trivial)  statuses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=load_data.DEFAULT_URL,
                        help="a PostgreSQL database to create, fill and drop (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=240,
                        help="seconds of the mix before measuring (default %(default)s: each "
                             "worker has then polled about 95%% of the 10,000 feeds at 700 req/s)")
    parser.add_argument("--tokens", type=int, default=10_000, help="private feeds the mix polls")
    parser.add_argument("--scenario", action="append", help="run only these (repeatable)")
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument("--log", default=str(Path(tempfile.gettempdir()) / "blgcal-load-gunicorn.log"),
                        help="gunicorn's output (default %(default)s)")
    parser.add_argument("--reuse-database", action="store_true",
                        help="use the database a --keep-database run left (skip filling it)")
    args = parser.parse_args()
    wrk.check_wrk()
    results: dict[str, list[tuple[Result, Result]]] = {}
    with load_data.feed_server() as feed_url, tempfile.TemporaryDirectory() as folder:
        url = args.database_url
        if not args.reuse_database:
            load_data.create_database(url)
        try:
            started = time.perf_counter()
            tokens = (load_data.bench_tokens() if args.reuse_database
                      else load_data.fill(url))
            load_data.point_source(url, feed_url)
            print(f"database ready in {time.perf_counter() - started:.0f} s")
            env = app_env(url, feed_url)
            run_all(args, Path(folder), url, env, tokens, results)
        finally:
            if not args.keep_database:
                load_data.drop_database(url)
    summary(results)


def run_all(args: argparse.Namespace, folder: Path, url: str, env: dict[str, str],
            tokens: list[load_data.Token], results: dict[str, list[tuple[Result, Result]]]) -> None:
    log = Path(args.log)
    log.write_text("")
    with wrk.gunicorn("bench.trivial_app:app", {}) as (trivial, trivial_port), \
            wrk.gunicorn("wsgi:app", env, log=log) as (server, port):
        servers = {"trivial": (trivial.pid, trivial_port), "blgcal": (server.pid, port)}
        started = time.perf_counter()
        polled = tokens[:args.tokens]
        chosen = scenarios(port, polled)
        print(f"ETags of {len(polled):,} private feeds learnt in {time.perf_counter() - started:.0f} s")
        names = args.scenario or list(chosen)
        if "mix" in names:
            # The source's first harvest imports its events; the mix measures the ones after it.
            first = Harvests(url, env, folder)
            with first.running():
                pass
            print(f"before the warm-up, the source's first {first.note()}")
        if "mix" in names and args.warmup:
            # Subscribed calendars poll again and again: each worker has seen each one before.
            warm = wrk.run(chosen["mix"], port, folder, seconds=args.warmup,
                           connections=args.connections, server_pid=server.pid)
            print(f"warm-up: the mix without writes for {args.warmup:g} s, "
                  f"{warm.requests_per_s:.0f} req/s; each worker has polled "
                  f"{seen_share(warm, len(polled)):.0%} of the private feeds")
        print(f"gunicorn {wrk.GUNICORN_WORKERS} sync workers each, wrk 2 threads, "
              f"{args.connections} connections, {args.seconds:g} s per run; load average "
              f"{os.getloadavg()[0]:.1f}")
        for turn in range(args.repeat):
            print(f"\nrun {turn + 1} of {args.repeat}\n{HEADER}")
            for name in names:
                if name == "304":
                    chosen[name] = not_modified(port)
                base, got, note = measure(name, chosen[name], servers, folder, args, url=url, env=env)
                results.setdefault(name, []).append((base, got))
                print(row(name, base, got) + (f"\n{'':10} {note}" if note else ""), flush=True)
    tracebacks = log.read_text(errors="replace").count("Traceback")
    print(f"\ntracebacks in gunicorn's log: {tracebacks}")


def seen_share(warm: Result, feeds: int) -> float:
    """The expected share of the private feeds each worker has polled by the end of *warm*.

    Each feed was polled once while its ETag was learnt, and again in the warm-up's
    share of private polls; a poll lands on any of the workers, so a worker has seen a
    feed with probability 1 - e^(-polls / (feeds x workers)).
    """
    polls = feeds + PRIVATE_SHARE * warm.requests
    return 1 - math.exp(-polls / (feeds * wrk.GUNICORN_WORKERS))


def summary(results: dict[str, list[tuple[Result, Result]]]) -> None:
    if not results:
        return
    print("\nover all runs (min-max):")
    for name, pairs in results.items():
        ratios = [got.requests_per_s / base.requests_per_s for base, got in pairs]
        rates = [got.requests_per_s for _, got in pairs]
        p99 = [got.p99_ms for _, got in pairs]
        errors = sum(got.errors for _, got in pairs)
        print(f"{name:10} {min(rates):6.0f}-{max(rates):<6.0f} req/s = {min(ratios):.2f}-"
              f"{max(ratios):.2f}x trivial (median {statistics.median(ratios):.2f}x); "
              f"p99 {min(p99):.1f}-{max(p99):.1f} ms; errors {errors}")
    if "304" in results:
        worst = min(got.requests_per_s / base.requests_per_s for base, got in results["304"])
        print(f"target 304 >= 0.60x trivial: {'met' if worst >= 0.6 else 'MISSED'} ({worst:.2f}x)")
    if "mix" in results:
        ok = all(got.requests_per_s >= 1000 and got.p99_ms < 100 and not got.errors
                 for _, got in results["mix"])
        print(f"target mix >= 1,000 req/s, p99 < 100 ms, no errors: {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
