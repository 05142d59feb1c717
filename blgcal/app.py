"""The application factory: configuration, extensions, blueprints, commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from blgcal.config import INSECURE_SECRET, defaults


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then ``instance/config.py``, then ``BLGCAL_*``.

    *test_config*, when given, replaces the instance file and comes last.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BLGCAL")
    if test_config is not None:
        app.config.from_mapping(test_config)
    _check_deployment(app)
    if app.config.get("LOCAL_DEVELOPMENT"):
        # Plain http on a laptop: browsers would drop Secure cookies.
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)

    from blgcal import cli, db
    from blgcal.web import register

    db.init_app(app)
    register(app)
    cli.init_app(app)
    return app


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def _check_deployment(app: Flask) -> None:
    """Refuse to run outside tests and local development without a safe configuration.

    A deployment needs an unguessable secret key, and its public address in
    ``BASE_URL``: links shown on the subscribe page and mailed to people must not
    be built from a request's ``Host`` header, which the client chooses.
    """
    if app.testing or app.config.get("LOCAL_DEVELOPMENT"):
        return
    secret = str(app.config.get("SECRET_KEY") or "")
    if secret == INSECURE_SECRET or len(secret) < 32:
        raise ConfigurationError(
            "SECRET_KEY is missing or too short: set BLGCAL_SECRET_KEY to a random value of "
            "at least 32 characters (python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or run 'blgcal init', which writes one to instance/config.py."
        )
    base = str(app.config.get("BASE_URL") or "")
    if not base.startswith(("https://", "http://")) or not urlsplit(base).hostname:
        raise ConfigurationError(
            "BASE_URL is missing: set BLGCAL_BASE_URL to the public address people use, "
            "e.g. https://calendar.example.org (links are never built from the request's Host)."
        )
