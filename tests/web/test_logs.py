"""Request ids, masked secrets and JSON log lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from blgcal import logs


@pytest.fixture
def json_lines(make_app: Callable[..., Flask]) -> Iterator[tuple[Flask, io.StringIO]]:
    """An app logging JSON into a buffer; the root logger is put back afterwards."""
    root, werkzeug = logging.getLogger(), logging.getLogger("werkzeug")
    levels = root.level, werkzeug.level
    app = make_app(LOG_FORMAT="json")
    stream = io.StringIO()
    logs.use_json(stream)
    yield app, stream
    for handler in [h for h in root.handlers if isinstance(h, logs.JsonHandler)]:
        root.removeHandler(handler)
    root.setLevel(levels[0])
    werkzeug.setLevel(levels[1])


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(("offered", "kept"), [
    ("3f2a9c1e-77b0-4c1d-9d5e-1a2b3c4d5e6f", True),
    ("req.42:edge-1", True),
    ("", False),
    ("two words", False),
    ("<script>", False),
    ("x" * 129, False),
    ("-starts-with-a-dash", False),
])
def test_a_well_formed_request_id_is_echoed_and_any_other_replaced(
        app: Flask, offered: str, kept: bool) -> None:
    response = app.test_client().get("/healthz", headers={"X-Request-ID": offered})
    echoed = response.headers["X-Request-ID"]
    if kept:
        assert echoed == offered
    else:
        assert echoed != offered and len(echoed) == 32 and int(echoed, 16) >= 0


def test_every_request_is_one_json_line_with_its_id_status_and_duration(
        json_lines: tuple[Flask, io.StringIO]) -> None:
    app, stream = json_lines
    app.test_client().get("/healthz", headers={"X-Request-ID": "abc-123"})
    app.test_client().get("/no/such/page")
    first, second = (r for r in records(stream) if r["logger"] == "blgcal.request")
    assert set(first) == {"time", "level", "logger", "message", "request_id", "method", "path",
                          "status", "duration_ms"}
    assert (first["request_id"], first["method"], first["path"], first["status"]) == (
        "abc-123", "GET", "/healthz", 200)
    assert first["level"] == "INFO" and first["message"] == "GET /healthz 200"
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert str(first["time"]).endswith("+00:00")
    assert second["status"] == 404 and second["request_id"] != "abc-123"


def test_private_feed_and_reset_tokens_never_reach_the_log(
        json_lines: tuple[Flask, io.StringIO]) -> None:
    app, stream = json_lines
    client = app.test_client()
    client.get("/feeds/private/SECRETfeedtoken.ics")
    client.get("/reset/SECRETresettoken")
    with app.test_request_context("/reset/SECRETinmessage"):
        app.logger.warning("odd request to %s", "/reset/SECRETinmessage")
    text = stream.getvalue()
    assert "SECRET" not in text, text
    paths = [r["path"] for r in records(stream)]
    assert "/feeds/private/[token]" in paths and "/reset/[token]" in paths
    warning = next(r for r in records(stream) if r["level"] == "WARNING")
    assert warning["message"] == "odd request to /reset/[token]" and warning["path"] == "/reset/[token]"


def test_an_error_s_traceback_is_part_of_its_json_line(
        json_lines: tuple[Flask, io.StringIO]) -> None:
    app, stream = json_lines
    try:
        raise ValueError("boom at /feeds/private/SECRETx.ics")
    except ValueError:
        logging.getLogger("blgcal.test").exception("failed")
    [line] = [r for r in records(stream) if r["logger"] == "blgcal.test"]
    assert "ValueError: boom at /feeds/private/[token]" in str(line["exception"])
    assert line["request_id"] is None


@pytest.mark.parametrize(("config", "expected"), [
    ({}, "text"), ({"PRODUCTION": True}, "json"), ({"PRODUCTION": True, "LOG_FORMAT": "text"}, "text"),
    ({"LOG_FORMAT": "JSON"}, "json"),
])
def test_production_logs_json_unless_told_otherwise(config: dict[str, object], expected: str) -> None:
    assert logs.log_format(config) == expected
