"""With REDIS_URL, a page one worker rendered is served by the others, never stale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import redis
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from blgcal.models import Event
from blgcal.services.event_rows import to_domain
from blgcal.services.events import save_event
from blgcal.services.history import Actor
from blgcal.services.seed import load_seed

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def workers(make_app: Callable[..., Flask]) -> tuple[Flask, Flask]:
    """Two apps as two gunicorn workers would be: one database, one Redis."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    first, second = make_app(REDIS_URL=REDIS_URL), make_app(REDIS_URL=REDIS_URL)
    with first.extensions["blgcal.sessionmaker"]() as session:
        load_seed(session, now=datetime(2026, 1, 1, tzinfo=UTC))
        session.commit()
    return first, second


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements *app* runs inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = app.extensions["blgcal.engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_page_rendered_by_one_worker_is_served_by_the_other(workers: tuple[Flask, Flask]) -> None:
    first, second = workers
    page = first.test_client().get("/").get_data(as_text=True)
    with statements(second) as seen:
        again = second.test_client().get("/").get_data(as_text=True)
    assert again == page and "COP32" in page
    assert not rendered(seen)  # the page came from Redis


def test_a_write_makes_every_worker_render_afresh(workers: tuple[Flask, Flask]) -> None:
    first, second = workers
    first.test_client().get("/")
    with first.extensions["blgcal.sessionmaker"]() as session:
        write(session)
    with statements(second) as seen:
        page = second.test_client().get("/").get_data(as_text=True)
    assert "UNFCCC COP32" in page and rendered(seen)
    assert first.test_client().get("/").get_data(as_text=True) == page


def test_pages_are_served_when_redis_cannot_be_reached(make_app: Callable[..., Flask]) -> None:
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/month/2027/3").status_code == 200  # no second wait: Redis is left alone


def rendered(seen: list[str]) -> list[str]:
    """The statements that read events' titles: the agenda being rendered."""
    return [statement for statement in seen if "event.title" in statement]


def write(session: Session) -> None:
    row = session.scalars(select(Event).where(Event.code == "COP32")).one()
    save_event(session, replace(to_domain(row), code="UNFCCC COP32"),
               now=datetime(2026, 11, 27, 10, tzinfo=UTC), row=row, actor=Actor("test", "cli"))
    session.commit()
