"""How soon a worker hears that another process changed a private feed (PostgreSQL).

Run: ``.venv/bin/python bench/bench_token_notify.py [--database-url URL] [--repeat 200]``

A worker keeps the feed each token opened (:mod:`blgcal.web.feeds.tokens`)
until a trigger's notification tells it the feed changed. This creates a
database (default ``blgcal_notify`` on the local PostgreSQL, dropped at the
end), caches one feed, then *repeat* times renames it from another
connection and times the commit's return to the moment the cache has
dropped the feed: in an idle process, and in one whose other thread keeps
the interpreter busy (a worker rendering a page). Beside it, in the same
run: a ``SELECT 1`` round trip, what every poll cost before.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text, update  # noqa: E402

from bench import load_data  # noqa: E402
from blgcal import migrate  # noqa: E402
from blgcal.domain.permissions import Role  # noqa: E402
from blgcal.models.feeds import PrivateFeed  # noqa: E402
from blgcal.services import accounts  # noqa: E402
from blgcal.services.feeds import private as feed_private  # noqa: E402
from blgcal.web.feeds import tokens  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/blgcal_notify"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    load_data.create_database(args.database_url)
    try:
        run(args.database_url, args.repeat)
    finally:
        logging.getLogger("blgcal.listener").setLevel(logging.ERROR)  # the drop ends its session
        load_data.drop_database(args.database_url)


def run(url: str, repeat: int) -> None:
    app = load_data.app_for(url)
    migrate.upgrade(app.extensions["blgcal.engine"])
    with app.extensions["blgcal.sessionmaker"]() as session:
        user = accounts.create_user(session, "notify@blg.int", role=Role.VIEWER, bodies=(),
                                    password="n" * 16, now=datetime.now(UTC),
                                    hash_method="pbkdf2:sha256:1000")
        _, token = feed_private.create(session, user, name="Timed", filters={}, now=datetime.now(UTC))
        session.commit()
    hashed = feed_private.token_hash(token)
    elsewhere = create_engine(url)
    with app.app_context():
        kept = tokens.cache()
        assert kept is not None
        while not kept.listening:
            time.sleep(0.01)
        round_trips = [_round_trip(elsewhere) for _ in range(repeat)]
        idle = [_heard_after(kept, token, hashed, elsewhere, n) for n in range(repeat)]
        stop = threading.Event()
        busy = threading.Thread(target=_spin, args=(stop,), daemon=True)
        busy.start()
        loaded = [_heard_after(kept, token, hashed, elsewhere, n) for n in range(repeat)]
        stop.set()
        busy.join()
    elsewhere.dispose()
    base = statistics.median(round_trips)
    print(f"{repeat} renames from another connection; ms from the commit's return to the "
          f"cache dropping the feed")
    print(f"{'':24} {'median':>7} {'p95':>7} {'max':>7}  {'median / round trip':>20}")
    for name, times in (("SELECT 1 round trip", round_trips), ("heard, idle process", idle),
                        ("heard, busy process", loaded)):
        cut = sorted(times)
        print(f"{name:24} {statistics.median(cut):7.2f} {cut[int(len(cut) * 0.95) - 1]:7.2f} "
              f"{cut[-1]:7.2f}  {statistics.median(cut) / base:19.1f}x")


def _round_trip(engine) -> float:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        started = time.perf_counter()
        connection.execute(text("SELECT 1"))
        return (time.perf_counter() - started) * 1000


def _heard_after(kept, token: str, hashed: str, engine, n: int) -> float:  # type: ignore[no-untyped-def]
    """Cache the feed, rename it elsewhere, and time until the cache has let it go."""
    while kept.get(hashed) is None:
        tokens.find(token)
    with engine.begin() as connection:
        connection.execute(update(PrivateFeed).values(name=f"Timed {n}"))
    committed = time.perf_counter()
    while kept.get(hashed) is not None:
        time.sleep(0)  # let the listener thread run, as a worker's next request would
    return (time.perf_counter() - committed) * 1000


def _spin(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(range(10_000))


if __name__ == "__main__":
    main()
