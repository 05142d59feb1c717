"""``blgcal init``: migrations, the shipped seed, idempotence, all-or-nothing."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from blgcal import migrate
from blgcal.domain.harvest.records import ParseError
from blgcal.models import Body, Event, EventBody, Observance
from blgcal.services import seed

from .conftest import TODAY

TODAY_DT = datetime.combine(TODAY, datetime.min.time(), UTC)


def counts(session: Session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(model)) or 0
                 for model in (Body, Event, EventBody, Observance))


def snapshot(session: Session) -> list[tuple[object, ...]]:
    rows = session.execute(select(Event.uid, Event.title, Event.start_date, Event.end_date,
                                  Event.updated_dt, Event.sequence).order_by(Event.uid))
    return [tuple(row) for row in rows]


def test_init_loads_the_shipped_calendar(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "82 added" in result.output
    assert counts(session) == (17, 54, 54, 11)
    undated = session.scalar(select(func.count()).select_from(Event)
                             .where(Event.first_date.is_(None)))
    assert undated == 15


def test_running_init_twice_changes_nothing(runner: FlaskCliRunner, session: Session) -> None:
    runner.invoke(args=["init"])
    before = (counts(session), snapshot(session))
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0 and "0 added, 0 updated, 82 unchanged" in result.output
    session.expire_all()
    assert (counts(session), snapshot(session)) == before


def broken(name: str, text: str) -> Callable[[str], str]:
    def reader(wanted: str) -> str:
        return text if wanted == name else seed.read_seed(wanted)
    return reader


@pytest.mark.parametrize(("name", "text", "where"), [
    ("meetings.csv", seed.read_seed("meetings.csv").replace("2025-07-06", "2025-07-32"),
     "meetings.csv: line 10: column 'start': '2025-07-32' is not a date"),
    ("bodies.csv", seed.read_seed("bodies.csv").replace("CA,America/Toronto", "CA,Mars/Base"),
     "bodies.csv: line 2: column 'timezone': 'Mars/Base' is not an IANA time zone"),
    ("observances.csv", seed.read_seed("observances.csv").replace(",ramsar,", ",wwf,"),
     "observances.csv: line 2: column 'lead_body': unknown body 'wwf'"),
    ("meetings_undated.csv", seed.read_seed("meetings_undated.csv").replace("2027-11,", "2027-14,"),
     "meetings_undated.csv: line 12: column 'expected_window': '2027-14' is not a year"),
])
def test_a_malformed_seed_file_names_file_line_and_reason_and_writes_nothing(
        app: Flask, session: Session, name: str, text: str, where: str) -> None:
    with pytest.raises(ParseError) as caught:
        seed.load_seed(session, now=TODAY_DT, reader=broken(name, text))
    assert str(caught.value).startswith(where)
    session.rollback()
    assert counts(session) == (0, 0, 0, 0)


def test_init_reports_a_broken_seed_and_leaves_the_database_as_it_was(
        make_app: Callable[..., Flask], session: Session, tmp_path: Path) -> None:
    make_app().test_cli_runner().invoke(args=["init"])
    before = snapshot(session)
    for name in seed.SEED_FILES:
        (tmp_path / name).write_text(seed.read_seed(name), encoding="utf-8")
    with (tmp_path / "meetings.csv").open("a", encoding="utf-8") as handle:
        handle.write("cbd,X,Broken,2027-01-01,2026-01-01,,,,,,,\n")
    result = make_app(SEED_DIR=str(tmp_path)).test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 1
    assert ("meetings.csv: line 41: column 'end': 2026-01-01 is before start 2027-01-01"
            in result.output)
    session.expire_all()
    assert snapshot(session) == before


def test_models_and_migrations_agree(migrated: Engine) -> None:
    assert migrate.pending_differences(migrated) == []


def test_upgrading_an_up_to_date_database_is_a_no_op(migrated: Engine) -> None:
    migrate.upgrade(migrated)
    assert migrate.pending_differences(migrated) == []





def test_init_after_an_upgrade_builds_the_feed_pieces_the_migrations_left_empty(
        runner: FlaskCliRunner, session: Session) -> None:
    assert runner.invoke(args=["init"]).exit_code == 0
    stored = dict(session.execute(select(Event.id, Event.ical)).all())
    dated = sum(piece is not None for piece in stored.values())
    session.execute(Event.__table__.update().values(ical=None, ical_tzids=None))  # as after 0004
    session.commit()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert f"Built the feed pieces of {dated} events." in result.output
    session.expire_all()
    assert dict(session.execute(select(Event.id, Event.ical)).all()) == stored
    assert "feed pieces" not in runner.invoke(args=["init"]).output


def test_feeds_rebuild_writes_every_piece_as_saves_would(runner: FlaskCliRunner, session: Session) -> None:
    assert runner.invoke(args=["init"]).exit_code == 0
    stored = dict(session.execute(select(Event.id, Event.ical)).all())
    session.execute(Event.__table__.update().values(ical="stale", ical_tzids=None))
    session.commit()
    result = runner.invoke(args=["feeds", "rebuild"])
    assert result.exit_code == 0 and f"Rebuilt the feed pieces of {len(stored)} events." in result.output
    session.expire_all()
    assert dict(session.execute(select(Event.id, Event.ical)).all()) == stored
