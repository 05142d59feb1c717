"""Harvest fixtures: a seeded app that trusts the loopback feed server, and sources on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.models import Event, HarvestRun, Revision, Source
from blgcal.services.harvest import sources
from blgcal.services.harvest.run import HarvestSettings, harvest_source

from ..support.feed_server import FeedServer, canary_server, feed_server  # noqa: F401

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


@pytest.fixture
def harvest_app(make_app: Callable[..., Flask], feed_server: FeedServer) -> Flask:  # noqa: F811
    """A seeded app whose harvests may reach the feed server (and nothing else private)."""
    app = make_app(HARVEST_ALLOW_HOSTS=[feed_server.host])
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    return app


@pytest.fixture
def db(harvest_app: Flask) -> Session:
    with harvest_app.extensions["blgcal.sessionmaker"]() as session:
        yield session


class Harvester:
    """``harvester.add("google.ics")`` registers a source; ``harvester.run(source)`` harvests it."""

    def __init__(self, app: Flask, session: Session, server: FeedServer) -> None:
        self.app, self.session, self.server = app, session, server

    def add(self, path: str, *, kind: str = "ics", body: str = "cbd", **values: Any) -> Source:
        url = path if "://" in path else self.server.url(f"/feeds/{path}")
        values = {"window_back_days": 1000, "window_ahead_days": 1000, **values}
        source = sources.create_source(self.session, now=NOW, name=values.pop("name", path),
                                       body_slug=body, kind=kind, url=url, **values)
        self.session.commit()
        return source

    def upload(self, name: str, data: bytes, *, kind: str = "csv", body: str = "cbd",
               **values: Any) -> Source:
        """A source holding an uploaded file (no network)."""
        values = {"window_back_days": 1000, "window_ahead_days": 1000, **values}
        source = sources.create_source(self.session, now=NOW, name=name, body_slug=body, kind=kind,
                                       file_name=name, file_content=data, **values)
        self.session.commit()
        return source

    def run(self, source: Source, *, now: datetime = NOW, **options: Any) -> HarvestRun:
        settings = HarvestSettings.from_config(self.app.config)
        run = harvest_source(self.session, source, now=now, settings=settings, **options)
        self.session.commit()
        return run


@pytest.fixture
def harvester(harvest_app: Flask, db: Session, feed_server: FeedServer) -> Harvester:  # noqa: F811
    return Harvester(harvest_app, db, feed_server)


def counts(session: Session) -> tuple[int, int, int]:
    """(events, revisions, the sum of SEQUENCE): what must not move on a no-op harvest."""
    return (session.scalar(select(func.count()).select_from(Event)) or 0,
            session.scalar(select(func.count()).select_from(Revision)) or 0,
            session.scalar(select(func.sum(Event.sequence))) or 0)
