"""Fixtures shared by every test: ``app``, ``client``, ``runner``, ``session``, ``seeded``.

The database is SQLite in a temporary folder, or the server named by
``BLGCAL_TEST_DATABASE_URL`` (CI runs the whole suite again on PostgreSQL).
It is created once per run through the Alembic migrations and emptied before
each test that asks for the app.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from blgcal import create_app, migrate
from blgcal.db import make_engine
from blgcal.models import Base

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("BLGCAL_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def migrated(database_url: str) -> Iterator[Engine]:
    """The test database, wiped and migrated to the newest revision once per run."""
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def empty_tables(engine: Engine) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def make_app(migrated: Engine, database_url: str) -> Iterator[Callable[..., Flask]]:
    """A factory: ``make_app(TODAY=...)`` builds an app on the emptied test database."""
    empty_tables(migrated)
    apps: list[Flask] = []

    def build(**overrides: object) -> Flask:
        config = {"TESTING": True, "SECRET_KEY": "test-secret-" + "x" * 32,
                  "DATABASE_URL": database_url, "TODAY": TODAY, **overrides}
        app = create_app(config)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["blgcal.engine"].dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session of the app's engine, for arranging and checking rows."""
    with app.extensions["blgcal.sessionmaker"]() as db_session:
        yield db_session


@pytest.fixture
def seeded(runner: FlaskCliRunner) -> None:
    """The shipped calendar, loaded through ``blgcal init``."""
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
