"""Outbound safety (the canary is never reached) and the one-harvest-at-a-time lock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from flask import Flask

from blgcal.services.harvest.lock import LockHeld, harvest_lock

from ..support.feed_server import FeedServer, connections
from .conftest import NOW, Harvester


def test_a_source_on_a_private_address_is_refused_and_the_canary_sees_nothing(
        harvester: Harvester, canary_server: FeedServer) -> None:
    with connections() as seen:
        run = harvester.run(harvester.add(canary_server.url("/feeds/google.ics"), name="private"))
    assert run.status == "failed" and "not a public address" in (run.message or "")
    assert canary_server.hits == [] and seen == []


def test_a_redirect_to_a_private_address_is_refused(harvester: Harvester,
                                                    canary_server: FeedServer,
                                                    feed_server: FeedServer) -> None:
    target = quote(canary_server.url("/feeds/google.ics"), safe="")
    run = harvester.run(harvester.add(feed_server.url(f"/to?url={target}"), name="bounce"))
    assert run.status == "failed" and "not a public address" in (run.message or "")
    assert canary_server.hits == []


def test_a_trusted_host_may_be_private(harvester: Harvester, canary_server: FeedServer) -> None:
    source = harvester.add(canary_server.url("/feeds/google.ics"), name="intranet",
                           trust_host=True)
    assert harvester.run(source).status == "ok"


def test_a_trusted_host_is_trusted_on_its_own_port_only(harvester: Harvester,
                                                        canary_server: FeedServer,
                                                        feed_server: FeedServer) -> None:
    """Trusting 127.0.0.1:8001 must not open every other service on 127.0.0.1."""
    target = quote(canary_server.url("/feeds/google.ics"), safe="")
    source = harvester.add(feed_server.url(f"/to?url={target}"), name="intranet-bounce",
                           trust_host=True)
    run = harvester.run(source)
    assert run.status == "failed" and "not a public address" in (run.message or "")
    assert canary_server.hits == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.ics"])
def test_only_http_and_https_sources_can_be_registered(harvester: Harvester, url: str) -> None:
    from blgcal.services.harvest.sources import SourceError
    with pytest.raises(SourceError, match="http:// or https://"):
        harvester.add(url)


def test_a_second_harvest_is_refused_while_the_first_holds_the_lock(harvest_app: Flask) -> None:
    engine = harvest_app.extensions["blgcal.engine"]
    started = datetime.now(UTC)  # the command reads the real clock
    with harvest_lock(engine, now=started, holder="first"):
        with pytest.raises(LockHeld, match="another harvest is running"):
            with harvest_lock(engine, now=started, holder="second"):
                pass
        result = harvest_app.test_cli_runner().invoke(args=["harvest"])
        assert result.exit_code == 1 and "another harvest is running" in result.output
    with harvest_lock(engine, now=NOW, holder="third"):
        pass


def test_a_lock_row_left_by_a_dead_harvest_is_taken_over_once_expired(harvest_app: Flask) -> None:
    engine = harvest_app.extensions["blgcal.engine"]
    if engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL's advisory lock ends with its connection")
    from blgcal.services.harvest.lock import _take_row
    _take_row(engine, now=NOW, holder="killed", minutes=30)
    with pytest.raises(LockHeld, match="held by killed"):
        _take_row(engine, now=NOW + timedelta(minutes=10), holder="next", minutes=30)
    with harvest_lock(engine, now=NOW + timedelta(minutes=31), holder="next"):
        pass


def test_the_lock_names_its_holder_on_either_database(harvest_app: Flask) -> None:
    engine = harvest_app.extensions["blgcal.engine"]
    with harvest_lock(engine, now=datetime.now(UTC), holder="job:7"):
        with pytest.raises(LockHeld, match=r"another harvest is running \(held by job:7"):
            with harvest_lock(engine, now=datetime.now(UTC), holder="second"):
                pass
    with harvest_lock(engine, now=datetime.now(UTC), holder="second") as lock:
        assert lock.holder == "second"


def test_harvest_wait_runs_once_the_other_harvest_ends(harvest_app: Flask) -> None:
    engine = harvest_app.extensions["blgcal.engine"]
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with harvest_lock(engine, now=datetime.now(UTC), holder="first"):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    threading.Timer(1.0, release.set).start()
    started = time.monotonic()
    result = harvest_app.test_cli_runner().invoke(args=["harvest", "--wait", "30"])
    holder.join()
    assert result.exit_code == 0, result.output
    assert "another harvest is running (held by first" in result.output
    assert "waiting up to 30 s" in result.output and time.monotonic() - started >= 1.0


def test_harvest_wait_fails_past_its_bound_naming_the_holder(harvest_app: Flask) -> None:
    engine = harvest_app.extensions["blgcal.engine"]
    started = time.monotonic()
    with harvest_lock(engine, now=datetime.now(UTC), holder="first"):
        result = harvest_app.test_cli_runner().invoke(args=["harvest", "--wait", "0.5"])
    assert time.monotonic() - started >= 0.5
    assert result.exit_code == 1
    assert "another harvest is running (held by first" in result.output
    assert "nothing was harvested" in result.output
