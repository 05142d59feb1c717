"""Fixtures shared by every test: ``app``, ``client``, ``runner``, ``session``, ``seeded``.

The database is SQLite in a temporary folder, or the server named by
``BLGCAL_TEST_DATABASE_URL`` (CI runs the whole suite again on PostgreSQL).
It is created once per run through the Alembic migrations and emptied before
each test that asks for the app.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from blgcal import create_app, migrate
from blgcal.domain.permissions import Role
from blgcal.models import Base, User
from blgcal.models.engine import make_engine
from blgcal.services import accounts

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


PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'type="hidden" name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of *client*'s session, read from a real form."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


@pytest.fixture
def create_user(app: Flask) -> Callable[..., User]:
    """``create_user("ana@cbd.int", role="editor", bodies=["cbd"])`` adds an account."""
    def create(email: str, *, role: str = "viewer", bodies: tuple[str, ...] | list[str] = (),
               password: str = PASSWORD, active: bool = True) -> User:
        with app.extensions["blgcal.sessionmaker"]() as db_session:
            # A cheap hash keeps the role matrix fast; sign-in verifies any werkzeug hash.
            user = accounts.create_user(db_session, email, role=Role(role), bodies=bodies,
                                        password=password, now=datetime.now(UTC),
                                        hash_method="pbkdf2:sha256:1000")
            user.active = active
            db_session.commit()
            db_session.expunge(user)
            return user
    return create


class AuthActions:
    """``auth.login()`` / ``auth.logout()`` through the real forms, CSRF included."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD, *, next: str = "") -> Any:
        token = csrf_token(self.client)
        return self.client.post("/login", data={"email": email, "password": password,
                                                "csrf_token": token, "next": next})

    def logout(self) -> Any:
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/")})

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST with the session's CSRF token added."""
        payload = {"csrf_token": csrf_token(self.client, "/"), **(data or {})}
        return self.client.post(path, data=payload, **kwargs)


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
