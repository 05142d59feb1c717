"""Logs: a request id on every request, secrets masked, and JSON lines in production.

Every response carries ``X-Request-ID``: the client's (or the proxy's) when it
is well formed, else a new one. With ``LOG_FORMAT = "json"`` (the default when
``PRODUCTION`` is set) every log record is one JSON object a line, with the
request's id, method and path, and each request adds one line of its own with
the status and duration. Private feed tokens and password-reset tokens are
masked in every logged path, whatever the format.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler

#: The secret part of private feed and password-reset addresses.
SECRET_IN_PATH = re.compile(r"(/feeds/private/|/reset/)[^\s\"'?#/]+")
#: Request ids we accept from outside: short, and nothing a log reader could trip on.
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
FIELDS = ("request_id", "method", "path", "status", "duration_ms")
request_log = logging.getLogger("blgcal.request")


def request_id(offered: str) -> str:
    """The id of a request: the one the client offered when well formed, else a new one."""
    return offered if REQUEST_ID.fullmatch(offered) else secrets.token_hex(16)


def mask_secrets(text: str) -> str:
    """*text* with every private feed token and reset token replaced by ``[token]``."""
    return SECRET_IN_PATH.sub(r"\1[token]", text)


class MaskSecrets(logging.Filter):
    """Rewrite log records that mention a private feed's or a reset link's address."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class RequestContext(logging.Filter):
    """Give records logged during a request its id, method and path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            for name, value in (("request_id", g.get("request_id")), ("method", request.method),
                                ("path", mask_secrets(request.path))):
                if getattr(record, name, None) is None:
                    setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name,
            "message": mask_secrets(record.getMessage())}
        entry.update({name: getattr(record, name, None) for name in FIELDS})
        if record.exc_info:
            entry["exception"] = mask_secrets(self.formatException(record.exc_info))
        return orjson.dumps(entry).decode()


class JsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The root handler of JSON logging (one per process, whatever the number of apps)."""


def log_format(config: Mapping[str, Any]) -> str:
    """``json`` or ``text``: ``LOG_FORMAT``, else json in production."""
    chosen = config.get("LOG_FORMAT") or ("json" if config.get("PRODUCTION") else "text")
    return str(chosen).lower()


def use_json(stream: Any = None) -> JsonHandler:
    """Send every log record to *stream* (standard error) as JSON lines, masked."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, JsonHandler)]:
        root.removeHandler(old)
    handler = JsonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    handler.addFilter(MaskSecrets())
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # each request has its own line
    return handler


def init_app(app: Flask) -> None:
    """Request ids on every response; JSON logs when configured."""
    for logger in (logging.getLogger("werkzeug"), app.logger):
        if not any(isinstance(f, MaskSecrets) for f in logger.filters):
            logger.addFilter(MaskSecrets())
    json_logs = log_format(app.config) == "json"
    if json_logs:
        use_json()
        app.logger.removeHandler(default_handler)

    @app.before_request
    def start() -> None:
        g.request_id = request_id(request.headers.get("X-Request-ID", ""))
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id") or secrets.token_hex(16)
        if json_logs:
            took = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
            request_log.info("%s %s %s", request.method, mask_secrets(request.path),
                             response.status_code,
                             extra={"status": response.status_code, "duration_ms": round(took, 2)})
        return response
