"""Engine and per-request sessions, bound to the Flask app by ``init_app``.

One :class:`~sqlalchemy.orm.Session` per request (or CLI command) lives on
``flask.g``; the view or command that owns the unit of work commits it. The
models, their base and column types live in :mod:`blgcal.models`, free of Flask.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from blgcal.models.engine import make_engine


def init_app(app: Flask) -> None:
    """Create the app's engine and close each request's session when it ends."""
    engine = make_engine(str(app.config["DATABASE_URL"]), echo=bool(app.config["SQL_ECHO"]))
    app.extensions["blgcal.engine"] = engine
    app.extensions["blgcal.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The session of the current request or command, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["blgcal.sessionmaker"]()
    session: Session = g.db_session
    return session


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["blgcal.engine"]
    return engine


@contextmanager
def lookup_connection() -> Iterator[Connection]:
    """A connection outside any transaction, for one read (no BEGIN, no ROLLBACK).

    The hottest reads (a private feed's token on every poll) cost a third of
    what the same query costs in the request's session, which opens and rolls
    back a transaction around it.
    """
    with get_engine().connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
