"""The database of the load and fault benchmarks: created, filled in bulk, dropped.

10,000 synthetic events (bench/synthetic.py) over the shipped calendar, 100
accounts with 100 private feeds each (10,000 tokens, each following one or
two bodies), and a harvest source on a loopback feed server. Edits and
harvests touch the IWC only, which no private feed follows: every write still
changes the calendar's version (so every cache is invalidated each second),
while a subscriber's ETag stays valid, as it does for most subscribers of a
real edit.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import psycopg
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from bench import synthetic
from bench.bench_harvest import calendar
from blgcal import create_app, migrate
from blgcal.domain.permissions import Role
from blgcal.models import Base, Event, EventBody, Source, User
from blgcal.models.feeds import PrivateFeed
from blgcal.services import seed
from blgcal.services.events import save_event, to_domain
from blgcal.services.feeds.pieces import rebuild_pieces
from blgcal.services.harvest import sources
from blgcal.services.history import Actor

TODAY = date(2026, 11, 27)
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/blgcal_load"
EDITED_BODY = "iwc"  # edits and harvests land here; no private feed follows it
FOLLOWED = tuple(b for b in synthetic.BODIES if b != EDITED_BODY)
SOURCE = "bench-loopback"
HARVEST_EVENTS = 2_000
USERS, FEEDS_PER_USER = 100, 100


@dataclass(frozen=True)
class Token:
    token: str
    filters: dict[str, list[str]]


def _server_url(url: str) -> tuple[str, str]:
    """libpq addresses of the maintenance database and the bench database's name."""
    parsed = make_url(url)
    if not parsed.database or parsed.database in {"test", "postgres"}:
        raise SystemExit(f"refusing to use the database {parsed.database!r}: name a dedicated one")
    admin = parsed.set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False), parsed.database


def create_database(url: str) -> None:
    admin, name = _server_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    admin, name = _server_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_for(url: str):  # type: ignore[no-untyped-def]
    return create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": url,
                       "TODAY": TODAY, "BASE_URL": "http://127.0.0.1"})


def content_digest(url: str, skip: frozenset[str]) -> str:
    """SHA-256 over every row, in key order, of every table but *skip* (those a run writes)."""
    app = app_for(url)
    engine, digest = app.extensions["blgcal.engine"], hashlib.sha256()
    with engine.connect() as connection:
        for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name):
            if table.name in skip:
                continue
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(table.name.encode() + json.dumps(list(row), default=str).encode())
    engine.dispose()
    return digest.hexdigest()


def fill(url: str, *, events: int = 10_000) -> list[Token]:
    """Migrate, seed, load *events* events and 10,000 private feeds; return their tokens."""
    app = app_for(url)
    engine = app.extensions["blgcal.engine"]
    migrate.upgrade(engine)
    with app.extensions["blgcal.sessionmaker"]() as session:
        seed.load_seed(session, now=datetime(2026, 1, 1, tzinfo=UTC))
        session.commit()
        synthetic.load(session, events, first=TODAY, seed=events)
        rebuild_pieces(session)
        made = _private_feeds(session)
        session.commit()
    analyse(url)
    engine.dispose()
    return made


def analyse(url: str) -> None:
    """``VACUUM ANALYZE`` the bulk-loaded tables, so no run pays for autovacuum's first pass."""
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(
            hide_password=False), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def point_source(url: str, feed_url: str, name: str = SOURCE) -> int:
    """Make (or move) the harvest source *name* to the loopback feed at *feed_url*; its id."""
    app = app_for(url)
    with app.extensions["blgcal.sessionmaker"]() as session:
        found = session.scalar(select(Source).where(Source.name == name))
        if found is None:
            found = sources.create_source(session, now=datetime.now(UTC), name=name,
                                          body_slug=EDITED_BODY, kind="ics", url=feed_url)
        else:
            sources.update_source(session, found, url=feed_url)
        session.commit()
        made = found.id
    app.extensions["blgcal.engine"].dispose()
    return made


def bench_tokens(rng: random.Random | None = None) -> list[Token]:
    """The 10,000 tokens, the same on every run (so ``--reuse-database`` can find them)."""
    rng = rng or random.Random(13)
    choices = [{"body": [b]} for b in FOLLOWED] + [{"body": sorted(rng.sample(FOLLOWED, 2))}
                                                    for _ in range(6)]
    return [Token(base64.urlsafe_b64encode(rng.randbytes(24)).decode(), rng.choice(choices))
            for _ in range(USERS * FEEDS_PER_USER)]


def _private_feeds(session) -> list[Token]:  # type: ignore[no-untyped-def]
    rng = random.Random(13)
    made = bench_tokens(rng)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    roles = (Role.VIEWER, Role.EDITOR, Role.COMMS, Role.VIEWER)
    session.execute(insert(User), [
        {"id": 10_000 + n, "email": f"reader{n}@bench.example", "name": f"Reader {n}",
         "role": roles[n % len(roles)], "active": True, "session_token": rng.randbytes(16).hex(),
         "created_dt": stamp} for n in range(USERS)])
    session.execute(insert(PrivateFeed), [
        {"user_id": 10_000 + n // FEEDS_PER_USER, "name": f"Feed {n}", "content": "events",
         "filters": one.filters, "token_hash": hashlib.sha256(one.token.encode()).hexdigest(),
         "created_dt": stamp, "last_used_dt": None, "revoked_dt": None}
        for n, one in enumerate(made)])
    session.commit()
    return made


class Editor:
    """Changes one IWC event a turn through the service, recording what each commit wrote.

    Each title names the editor's own start as well as the turn: an editor of a later
    run would otherwise write the titles an earlier one left, which the service sees
    as no change (until 2 December 2026 every run after a database's first measured
    the mix with no edits at all). An edit that changes nothing is counted apart.
    """

    def __init__(self, url: str) -> None:
        self.app = app_for(url)
        with self.app.extensions["blgcal.sessionmaker"]() as session:
            self.ids = list(session.scalars(select(EventBody.event_id).where(
                EventBody.body_slug == EDITED_BODY, EventBody.event_id >= 1_000_000)))
        self.committed: dict[int, str] = {}
        self.failed: dict[int, str] = {}
        self.unchanged = 0
        self.started = f"{datetime.now(UTC):%H:%M:%S.%f}"

    def edit(self, turn: int) -> None:
        event_id = self.ids[turn % len(self.ids)]
        title = f"Edited meeting {event_id}, turn {turn} of the editor started {self.started}"
        try:
            with self.app.extensions["blgcal.sessionmaker"]() as session:
                row = session.get(Event, event_id)
                _, changed = save_event(session, replace(to_domain(row), title=title),
                                        now=datetime.now(UTC), actor=Actor("bench", "cli"),
                                        row=row)
                session.commit()
        except Exception:  # noqa: BLE001  (a fault run restarts the database under it)
            self.failed[event_id] = title
            return
        if changed:
            self.committed[event_id] = title
        else:
            self.unchanged += 1

    @contextmanager
    def every_second(self) -> Iterator[Editor]:
        stop = threading.Event()

        def loop() -> None:
            turn = 0
            while not stop.wait(1.0):
                self.edit(turn)
                turn += 1

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()

    @property
    def failures(self) -> int:
        return len(self.failed)

    def missing(self) -> dict[int, str]:
        """The committed edits the database no longer holds (none, or something was lost)."""
        titles = self._titles(self.committed)
        return {i: t for i, t in self.committed.items() if titles.get(i) != t}

    def failed_titles(self) -> dict[int, str]:
        """The failed edits the database holds all the same (none, or one was half-done)."""
        titles = self._titles(self.failed)
        return {i: t for i, t in self.failed.items() if titles.get(i) == t}

    def _titles(self, ids: dict[int, str]) -> dict[int, str]:
        with self.app.extensions["blgcal.sessionmaker"]() as session:
            found = session.execute(select(Event.id, Event.title).where(Event.id.in_(list(ids))))
            return {event_id: title for event_id, title in found}

    def close(self) -> None:
        self.app.extensions["blgcal.engine"].dispose()


@contextmanager
def feed_server(count: int = HARVEST_EVENTS) -> Iterator[str]:
    """A loopback server of an iCalendar file; each fetch restamps it (DTSTAMP now).

    ``?wait=S`` makes it wait S seconds before answering (a slow feed).
    """
    turn = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            turn[0] += 1
            time.sleep(float(parse_qs(urlsplit(self.path).query).get("wait", ["0"])[0]))
            body = calendar(count, stamp=f"20261127T{turn[0] % 24:02d}0000Z")
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except ConnectionError:
                pass  # the harvest gave up, or its worker was killed

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/meetings.ics"
    finally:
        server.shutdown()
        server.server_close()
