"""``blgcal harvest``, ``blgcal source add|list``, ``blgcal import`` of .ics and .json,
and a harvest killed with SIGKILL half-way."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from blgcal.models import Base, Event, Provenance, Source

from .support.feed_server import FEEDS, FeedServer, feed_server  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def harvest_app(make_app: Callable[..., Flask], feed_server: FeedServer) -> Flask:  # noqa: F811
    app = make_app(HARVEST_ALLOW_HOSTS=[feed_server.host])
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    return app


def cli(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def add(app: Flask, server: FeedServer, name: str, path: str, kind: str = "ics") -> None:
    code, output = cli(app, "source", "add", "--body", "cbd", "--kind", kind,
                       "--url", server.url(path), "--name", name, "--days-back", "1000")
    assert code == 0, output


def test_source_add_list_and_harvest_with_a_summary(harvest_app: Flask,
                                                    feed_server: FeedServer) -> None:  # noqa: F811
    add(harvest_app, feed_server, "cbd-google", "/feeds/google.ics")
    add(harvest_app, feed_server, "unep", "/feeds/informea.json", kind="informea")
    code, output = cli(harvest_app, "source", "list")
    assert code == 0 and "cbd-google\tics\tcbd\tenabled\t0 items\tnever harvested" in output
    code, output = cli(harvest_app, "harvest")
    assert code == 0, output
    assert output.splitlines()[0].split()[:3] == ["source", "status", "new"]
    assert "cbd-google" in output and "unep" in output and " ok " in output
    code, output = cli(harvest_app, "harvest", "unep")
    assert code == 0 and "not_modified" in output


def test_one_failing_source_exits_1_while_the_others_commit(harvest_app: Flask,
                                                            feed_server: FeedServer,  # noqa: F811
                                                            session: Session) -> None:
    add(harvest_app, feed_server, "good", "/feeds/outlook.ics")
    add(harvest_app, feed_server, "broken", "/feeds/html.ics")
    code, output = cli(harvest_app, "harvest")
    assert code == 1
    assert "FAILED broken: " in output and "this is HTML, not iCalendar" in output
    good = session.scalars(select(Source).where(Source.name == "good")).one()
    assert session.scalars(select(Provenance).where(Provenance.source_id == good.id)).all()


def test_an_unknown_source_name_is_refused(harvest_app: Flask) -> None:
    code, output = cli(harvest_app, "harvest", "nope")
    assert code == 1 and "no source named 'nope'" in output


def test_a_source_without_success_for_a_week_is_flagged_stale(harvest_app: Flask,
                                                              feed_server: FeedServer,  # noqa: F811
                                                              session: Session) -> None:
    add(harvest_app, feed_server, "old", "/status/500")
    source = session.scalars(select(Source)).one()
    source.created_dt -= timedelta(days=8)
    session.commit()
    code, output = cli(harvest_app, "harvest")
    assert code == 1 and "never STALE" in output
    assert "STALE" in cli(harvest_app, "source", "list")[1]


@pytest.mark.parametrize(("name", "count"), [("google.ics", 7), ("informea.json", 6)])
def test_blgcal_import_reads_ics_and_json(harvest_app: Flask, session: Session, tmp_path: Path,
                                          name: str, count: int) -> None:
    path = tmp_path / name
    path.write_bytes((FEEDS / name).read_bytes())
    code, output = cli(harvest_app, "import", str(path), "--body", "cbd")
    assert code == 0, output
    added, matched = int(output.split(": ")[1].split(" added")[0]), 0
    if "matched" in output:
        matched = int(output.split(", ")[-1].split(" matched")[0])
    assert added + matched == count
    again = cli(harvest_app, "import", str(path), "--body", "cbd")[1]
    assert f"0 added, 0 updated, {count} unchanged" in again


def test_blgcal_import_refuses_a_broken_ics_whole(harvest_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "truncated.ics"
    path.write_bytes((FEEDS / "truncated.ics").read_bytes())
    code, output = cli(harvest_app, "import", str(path), "--body", "cbd")
    assert code == 1 and "nothing imported: truncated.ics: line 13" in output


# --- SIGKILL half-way -------------------------------------------------------------------

def digest(engine: Engine) -> str:
    """Every row of every table but the lock row (a killed holder leaves it to expire)."""
    sha = hashlib.sha256()
    with engine.connect() as connection:
        for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name):
            if table.name != "harvest_lock":
                for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                    sha.update(table.name.encode() + json.dumps(list(row), default=str).encode())
    return sha.hexdigest()


def big_calendar(count: int) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for n in range(count):
        day = date(2027, 1, 1) + timedelta(days=n % 600)
        lines += ["BEGIN:VEVENT", f"UID:kill-{n}@example.org", "DTSTAMP:20261127T000000Z",
                  f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"SUMMARY:Expert meeting {n}",
                  "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def start_harvest(database_url: str, host: str) -> subprocess.Popen[str]:
    env = {**os.environ, "BLGCAL_DATABASE_URL": database_url, "BLGCAL_SECRET_KEY": "k" * 40,
           "BLGCAL_BASE_URL": "http://127.0.0.1:5000",
           "BLGCAL_HARVEST_ALLOW_HOSTS": json.dumps([host]), "BLGCAL_SQL_ECHO": "true",
           "BLGCAL_HARVEST_LOCK_MINUTES": "0.01"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "blgcal", "harvest"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def kill_when(process: subprocess.Popen[str], marker: str, timeout: float = 60) -> None:
    """SIGKILL *process* as soon as its SQL log shows *marker*."""
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    for line in process.stdout:
        if marker in line:
            os.kill(process.pid, signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "the harvest never got there"
    process.wait(10)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("stage", ["mid-write", "mid-fetch"])
def test_a_harvest_killed_half_way_leaves_the_database_as_before(
        harvest_app: Flask, database_url: str, tmp_path: Path, stage: str) -> None:
    (tmp_path / "big.ics").write_bytes(big_calendar(4000))
    with FeedServer(tmp_path) as server:
        path = "/feeds/big.ics" if stage == "mid-write" else "/drip?seconds=20"
        add(harvest_app, server, "big", path)
        harvest_app.config["HARVEST_ALLOW_HOSTS"] = [server.host]
        engine = harvest_app.extensions["blgcal.engine"]
        before = digest(engine)
        process = start_harvest(database_url, server.host)
        kill_when(process, "INSERT INTO event_body" if stage == "mid-write" else "FROM source")
        assert digest(engine) == before
        time.sleep(1.0)  # let the dead harvest's lock row expire (SQLite)
        if stage == "mid-write":
            code, output = cli(harvest_app, "harvest")
            assert code == 0, output
            with harvest_app.extensions["blgcal.sessionmaker"]() as session:
                harvested = session.scalars(select(Event.id).where(Event.origin == "harvest"))
                assert len(harvested.all()) == 4000


def test_the_harvest_lists_what_it_added_with_links(
        make_app: Callable[..., Flask], feed_server: FeedServer) -> None:  # noqa: F811
    app = make_app(HARVEST_ALLOW_HOSTS=[feed_server.host], BASE_URL="https://cal.example.org")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    url = feed_server.url("/feeds/indico_category.ics")
    assert runner.invoke(args=["source", "add", "--body", "unfccc", "--kind", "ics", "--url", url,
                               "--name", "indico"]).exit_code == 0
    with app.extensions["blgcal.sessionmaker"]() as session:
        session.scalars(select(Source).where(Source.name == "indico")).one().exclude_titles = \
            "*Invitees*"
        session.commit()
    result = runner.invoke(args=["harvest", "indico"])
    assert result.exit_code == 0, result.output
    added = re.findall(r"^indico: added: (.+?)  (https://cal\.example\.org/events/\d+)$",
                       result.output, re.MULTILINE)
    assert sorted(title for title, _ in added) == [
        "SB 66", "SB 66: Observer registration", "Workshop on the global stocktake"]
    assert "indico: excluded: SB 66: Conference Invitees" in result.output
