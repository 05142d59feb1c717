"""Setting up: ``blgcal init`` (migrate, build missing feed pieces, seed) and the laptop's local config."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from blgcal import migrate
from blgcal.clock import now
from blgcal.db import get_engine, get_session
from blgcal.domain.harvest.records import ParseError
from blgcal.services import seed
from blgcal.services.feeds.pieces import rebuild_pieces

LOCAL_CONFIG = '''\
# Written by `blgcal init` for local development on this machine.
# In production set BLGCAL_SECRET_KEY (and BLGCAL_DATABASE_URL) instead of using this file.
SECRET_KEY = {secret!r}
LOCAL_DEVELOPMENT = True  # plain-http cookies for http://127.0.0.1:5000
'''


def upgrade_database() -> None:
    """Migrate to the newest schema, then build the feed pieces of events that lack one."""
    migrate.upgrade(get_engine())
    session = get_session()
    if built := rebuild_pieces(session, missing_only=True):
        session.commit()
        click.echo(f"Built the feed pieces of {built} events.")


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and load the shipped calendar (idempotent)."""
    upgrade_database()
    session = get_session()
    try:
        reader = seed.folder_reader(current_app.config.get("SEED_DIR"))
        report = seed.load_seed(session, now=now(), reader=reader)
    except ParseError as exc:
        session.rollback()
        raise click.ClickException(f"seed data rejected, nothing written: {exc}") from None
    session.commit()
    click.echo(f"Database ready at {get_engine().url.render_as_string()}; seed: {report}.")


#: Commands that may give a laptop checkout its local configuration.
LOCAL_SETUP_COMMANDS = frozenset({"init", "run"})
#: Any of these set means a deployment, never a laptop: no local file is written.
DEPLOYMENT_MARKERS = ("BLGCAL_SECRET_KEY", "BLGCAL_DATABASE_URL", "BLGCAL_PRODUCTION")


def ensure_local_config(instance_path: str, command: str | None) -> None:
    """Give a fresh laptop checkout a random secret key in ``instance/config.py``.

    Only ``blgcal init`` and ``blgcal run`` write it, only when the file does not
    exist, and never where a deployment is configured (a secret key, a database
    URL or ``BLGCAL_PRODUCTION`` in the environment): the file turns on plain-http
    cookies, so a cron job or a production shell must not leave one behind.
    """
    config = Path(instance_path) / "config.py"
    if command not in LOCAL_SETUP_COMMANDS or config.exists():
        return
    if any(os.environ.get(name) for name in DEPLOYMENT_MARKERS):
        return
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(LOCAL_CONFIG.format(secret=secrets.token_hex(32)), encoding="utf-8")
    config.chmod(0o600)
    click.echo(f"Wrote {config} with a new secret key for local development.", err=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(init_command)
