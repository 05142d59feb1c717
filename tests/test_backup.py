"""``blgcal backup`` / ``blgcal restore``: a round trip gives back the same content."""

import sqlite3
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from blgcal.models import Event
from blgcal.services import backup
from blgcal.services.backup import content_digest

pytestmark = pytest.mark.usefixtures("seeded")


def test_backup_then_restore_gives_back_exactly_the_backed_up_content(
        app: Flask, runner: FlaskCliRunner, session: Session, tmp_path: Path) -> None:
    engine = app.extensions["blgcal.engine"]
    runner.invoke(args=["user", "add", "ana@cbd.int", "--role", "editor", "--body", "cbd"])
    original = content_digest(engine)
    target = tmp_path / "blgcal.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert original in result.output and target.stat().st_size > 0

    row = session.scalars(select(Event).where(Event.code == "COP32")).one()
    session.delete(row)
    session.commit()
    assert content_digest(engine) != original

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert content_digest(engine) == original
    assert original in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(app: Flask, runner: FlaskCliRunner,
                                                     tmp_path: Path) -> None:
    engine = app.extensions["blgcal.engine"]
    before = content_digest(engine)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database\n" * 100)
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1
    assert "notes.txt" in result.output
    assert content_digest(engine) == before


def test_restore_asks_before_replacing_everything(runner: FlaskCliRunner, tmp_path: Path) -> None:
    target = tmp_path / "b.backup"
    runner.invoke(args=["backup", str(target)])
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output


def test_a_backup_is_readable_by_its_owner_only(runner: FlaskCliRunner, tmp_path: Path) -> None:
    target = tmp_path / "b.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["b.backup"], "no partial file may remain"


def test_an_existing_file_is_kept_unless_forced(runner: FlaskCliRunner, tmp_path: Path) -> None:
    target = tmp_path / "b.backup"
    target.write_text("yesterday's notes")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text() == "yesterday's notes"
    assert runner.invoke(args=["backup", str(target), "--force"]).exit_code == 0
    assert target.stat().st_size > 1000 and target.stat().st_mode & 0o777 == 0o600


def test_a_target_that_cannot_be_written_is_one_clear_line(runner: FlaskCliRunner,
                                                           tmp_path: Path) -> None:
    result = runner.invoke(args=["backup", str(tmp_path / "no" / "such" / "folder" / "b.backup")])
    assert result.exit_code == 1
    assert "cannot write the backup" in result.output and "Traceback" not in result.output


def test_restore_refuses_a_backup_holding_only_the_migration_table(
        app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    engine = app.extensions["blgcal.engine"]
    before = content_digest(engine)
    hollow = tmp_path / "hollow.backup"
    if engine.dialect.name == "sqlite":
        with sqlite3.connect(hollow) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            connection.execute("INSERT INTO alembic_version VALUES ('0005')")
        connection.close()
    else:
        url = engine.url.set(drivername="postgresql", password=None).render_as_string()
        subprocess.run(["pg_dump", "--format=custom", "--table=alembic_version", "--file",
                        str(hollow), url], check=True)
    result = runner.invoke(args=["restore", str(hollow), "--yes"])
    assert result.exit_code == 1 and "not a complete blgcal backup" in result.output
    assert content_digest(engine) == before


def test_the_database_password_never_reaches_the_command_line() -> None:
    engine = create_engine("postgresql+psycopg://blgcal:s3cret-pw@db.example:5432/blgcal")
    assert "s3cret-pw" not in backup._libpq_url(engine)
    assert backup._libpq_url(engine) == "postgresql://blgcal@db.example:5432/blgcal"
    assert backup._pg_env(engine)["PGPASSWORD"] == "s3cret-pw"
