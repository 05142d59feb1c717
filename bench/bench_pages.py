"""How the agenda and the events API scale: ratios to a trivial endpoint, and SQL counts.

Run: ``.venv/bin/python bench/bench_pages.py [--events 10000] [--database-url URL]``

The app is served by gunicorn (one sync worker, as in production) on
loopback; each figure is the median of many HTTP requests, each on a fresh
connection, divided by the median of ``/healthz`` measured in the same run,
so a noisy machine shifts both alike. Queries per request are counted in
process at two sizes to show they do not grow with the number of events.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from bench.harness import gunicorn, median_ms  # noqa: E402
from blgcal import create_app, migrate  # noqa: E402
from blgcal.services import seed  # noqa: E402

TODAY = date(2026, 11, 27)
PATHS = {"trivial /healthz": "/healthz", "agenda /": "/", "month view": "/month/2027/3",
         "api /api/v1/events (50)": "/api/v1/events?per_page=50&from=2026-11-27",
         "api filtered": "/api/v1/events?per_page=50&body=cbd&kind=governing_body&q=oceans"}


def build(url: str, count: int):  # type: ignore[no-untyped-def]
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": url,
                      "TODAY": TODAY})
    engine = app.extensions["blgcal.engine"]
    migrate.upgrade(engine)
    with app.extensions["blgcal.sessionmaker"]() as session:
        seed.load_seed(session, now=datetime(2026, 1, 1, tzinfo=UTC))
        session.commit()
        synthetic.load(session, count, first=TODAY, seed=count)
    if engine.dialect.name == "postgresql":
        # Fresh bulk loads have no planner statistics until autovacuum runs.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    return app


def serve(url: str, *, page_cache: bool) -> tuple[subprocess.Popen[bytes], int]:
    return gunicorn("wsgi:app", {
        "BLGCAL_DATABASE_URL": url, "BLGCAL_SECRET_KEY": "b" * 40, "BLGCAL_BASE_URL": "http://127.0.0.1",
        "BLGCAL_TODAY": TODAY.isoformat(), "BLGCAL_PAGE_CACHE_MB": "32" if page_cache else "0"})


def queries_per_request(url: str, path: str, *, page_cache: bool) -> int:
    """SQL statements one request runs (after a first request warmed caches)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": url,
                      "TODAY": TODAY, "PAGE_CACHE_MB": 32 if page_cache else 0})
    app.test_client().get(path)
    counter = {"n": 0}

    def count(*_args: object) -> None:
        counter["n"] += 1

    engine = app.extensions["blgcal.engine"]
    event.listen(engine, "before_cursor_execute", count)
    app.test_client().get(path)
    event.remove(engine, "before_cursor_execute", count)
    engine.dispose()
    return counter["n"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small = f"sqlite:///{folder}/small.sqlite3"
        build(small, 1_000)
        url = args.database_url or f"sqlite:///{folder}/big.sqlite3"
        dialect = build(url, args.events).extensions["blgcal.engine"].dialect.name
        for page_cache in (True, False):
            server, port = serve(url, page_cache=page_cache)
            try:
                report(small, url, port, args, page_cache=page_cache, dialect=dialect)
            finally:
                server.terminate()
                server.wait()


def report(small: str, big: str, port: int, args: argparse.Namespace, *, page_cache: bool,
           dialect: str) -> None:
    floor = median_ms(port, PATHS["trivial /healthz"], args.repeat)
    print(f"\n{args.events:,} events on {dialect}; "
          f"gunicorn, 1 sync worker; page cache {'on' if page_cache else 'OFF (every page rendered)'}; "
          f"median of {args.repeat} HTTP requests each")
    print(f"{'request':28} {'median ms':>10} {'x trivial':>10} {'SQL @1k':>8} "
          f"{'SQL @' + str(args.events // 1000) + 'k':>8}")
    for name, path in PATHS.items():
        ms = median_ms(port, path, args.repeat)
        print(f"{name:28} {ms:10.2f} {ms / floor:10.1f} "
              f"{queries_per_request(small, path, page_cache=page_cache):8} "
              f"{queries_per_request(big, path, page_cache=page_cache):8}")
    print("Target (issue 2): agenda and API at most 5x the trivial endpoint; "
          "SQL counts equal at both sizes.")


if __name__ == "__main__":
    main()
