"""``blgcal backup`` / ``blgcal restore``: a round trip gives back the same content."""

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from blgcal.models import Event
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
