"""How fast feeds are served: 10,000 events, ratios to floors measured in the same run.

Run: ``.venv/bin/python bench/bench_feeds.py [--events 10000] [--database-url URL]``

The app runs under gunicorn (one sync worker, as in production) on loopback;
every figure is the median of HTTP requests each on a fresh connection:

(a) ``/feeds/all.ics`` with a matching ``If-None-Match`` (a 304), against ``/healthz``;
(b) the full feed, nothing changed (served from the feed cache);
(c) the full feed right after one event changed (rebuilt from stored pieces);
(d) the same bytes from a trivial static route of the app (``send_file``), the floor.

Memory: tracemalloc's peak while building the 10,000-event feed once, in process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from bench.harness import gunicorn, median_ms, request  # noqa: E402
from blgcal import create_app, migrate  # noqa: E402
from blgcal.domain.filters import EventFilter  # noqa: E402
from blgcal.domain.ical.window import FeedSettings  # noqa: E402
from blgcal.models import Event  # noqa: E402
from blgcal.services import queries, seed
from blgcal.services.event_rows import to_domain  # noqa: E402
from blgcal.services.events import save_event  # noqa: E402
from blgcal.services.feeds import specs as feed_specs
from blgcal.services.feeds.build import build_feed  # noqa: E402
from blgcal.services.feeds.pieces import rebuild_pieces  # noqa: E402
from blgcal.services.history import Actor  # noqa: E402
from tests.support.ical_reference import reference_component  # noqa: E402

TODAY = date(2026, 11, 27)
KEEP_ALL = 100_000
FLOOR_PATH = "/bench-floor.ics"
ANCHORS = (("naive icalendar per request (ICAL.md)", 3000.0), ("Radicale GET, 10k", 1000.0),
           ("ical-generator (Node), 10k", 400.0))


def make_wsgi():  # type: ignore[no-untyped-def]
    """gunicorn's factory: the app plus a static route serving the feed's bytes (the floor)."""
    from flask import send_file

    app = create_app()
    floor = os.environ["BENCH_FLOOR_FILE"]
    app.add_url_rule(FLOOR_PATH, "bench_floor", lambda: send_file(
        floor, mimetype="text/calendar", conditional=True))
    return app


def build(url: str, count: int):  # type: ignore[no-untyped-def]
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": url,
                      "TODAY": TODAY})
    migrate.upgrade(app.extensions["blgcal.engine"])
    with app.extensions["blgcal.sessionmaker"]() as session:
        seed.load_seed(session, now=datetime(2026, 1, 1, tzinfo=UTC))
        session.commit()
        synthetic.load(session, count, first=TODAY, seed=count)
        started = time.perf_counter()
        rebuild_pieces(session)
        session.commit()
        print(f"built the pieces of {count:,} events in {time.perf_counter() - started:.1f} s "
              "(once, on write; 'blgcal feeds rebuild' after a bulk load)")
    return app


def serve(url: str, floor: Path) -> tuple[subprocess.Popen[bytes], int]:
    return gunicorn("bench.bench_feeds:make_wsgi()", {
        "BLGCAL_DATABASE_URL": url, "BLGCAL_SECRET_KEY": "b" * 40, "BLGCAL_BASE_URL": "http://127.0.0.1",
        "BLGCAL_TODAY": TODAY.isoformat(), "BENCH_FLOOR_FILE": str(floor),
        # Keep the synthetic cancellations (all dated 2026-01-01): every event is in the feed.
        "BLGCAL_FEED_KEEP_CANCELLED_DAYS": str(KEEP_ALL),
        # Read the calendar's version on every request, so (c) sees each change at once
        # (with the default 1 s, most (c) requests would be served the unchanged feed).
        "BLGCAL_VERSION_CHECK_MS": "0"})


class Editor:
    """Changes one event through the service before each (c) request."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.turn = 0

    def __call__(self) -> None:
        self.turn += 1
        with self.app.extensions["blgcal.sessionmaker"]() as session:
            row = session.get(Event, 1_000_000 + self.turn % 100)
            save_event(session, replace(to_domain(row), title=f"Changed {self.turn}"),
                       now=datetime.now(UTC), actor=Actor("bench", "cli"), row=row)
            session.commit()


def memory_and_naive(app) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Peak MB to build the feed from pieces; ms to build it; ms to build it naively."""
    spec = feed_specs.all_spec("BLG calendar", EventFilter())
    with app.app_context(), app.extensions["blgcal.sessionmaker"]() as session:
        tracemalloc.start()
        started = time.perf_counter()
        build_feed(session, spec, today=TODAY, now=datetime.now(UTC),
                          settings=FeedSettings(warn_bytes=2**40, keep_cancelled_days=KEEP_ALL))
        built_ms = (time.perf_counter() - started) * 1000
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        events = queries.in_window(session, EventFilter(date_from=TODAY))
        started = time.perf_counter()
        for event in events:
            reference_component(event)
        naive_ms = (time.perf_counter() - started) * 1000
    return peak / 2**20, built_ms, naive_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/feeds.sqlite3"
        app = build(url, args.events)
        peak_mb, built_ms, naive_ms = memory_and_naive(app)
        floor = Path(folder) / "floor.ics"
        server, port = serve(url, floor)
        try:
            _, feed, headers = request(port, "/feeds/all.ics")
            floor.write_bytes(feed)
            report(app, port, args, feed, headers, (peak_mb, built_ms, naive_ms))
        finally:
            server.terminate()
            server.wait()
            app.extensions["blgcal.engine"].dispose()


def report(app, port: int, args: argparse.Namespace, feed: bytes,  # type: ignore[no-untyped-def]
           headers: dict[str, str], memory: tuple[float, float, float]) -> None:
    repeat = args.repeat
    etag = {"If-None-Match": headers["ETag"]}
    trivial = median_ms(port, "/healthz", repeat * 3)
    floor = median_ms(port, FLOOR_PATH, repeat)
    a = median_ms(port, "/feeds/all.ics", repeat * 3, headers=etag, status=304)
    b = median_ms(port, "/feeds/all.ics", repeat)
    c = median_ms(port, "/feeds/all.ics", max(10, repeat // 3), before=Editor(app))
    peak_mb, built_ms, naive_ms = memory
    events = feed.count(b"BEGIN:VEVENT")
    print(f"\n{events:,} events in the feed, {len(feed) / 2**20:.1f} MB; gunicorn, 1 sync worker, "
          f"loopback, fresh connection per request; medians")
    rows = [
        ("(a) matching ETag -> 304", a, f"{a / trivial:.2f}x /healthz ({trivial:.2f} ms)", "<= 2x"),
        ("(b) full feed, unchanged", b, f"{b / floor:.2f}x (d)", "<= 3x"),
        ("(c) full feed after a change", c, f"{c / floor:.1f}x (d)", "<= 100 ms"),
        ("(d) same bytes, static route", floor, "floor", ""),
    ]
    print(f"{'request':32} {'ms':>9}  {'ratio':32} target")
    for name, ms, ratio, target in rows:
        print(f"{name:32} {ms:9.2f}  {ratio:32} {target}")
    print(f"\nin process, under tracemalloc: building the feed from stored pieces {built_ms:.0f} ms, "
          f"peak {peak_mb:.1f} MB above baseline (target <= 100 MB); "
          f"serializing every VEVENT per request instead {naive_ms:.0f} ms")
    print("anchors (ICAL.md, this kind of machine): " + "; ".join(
        f"{name} ~{ms / 1000:.1f} s = {ms / c:.0f}x (c)" for name, ms in ANCHORS))
    print(f"targets: (a) {'met' if a <= 2 * trivial else 'MISSED'}, "
          f"(b) {'met' if b <= 3 * floor else 'MISSED'}, (c) {'met' if c <= 100 else 'MISSED'}, "
          f"memory {'met' if peak_mb <= 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
