"""The ``blgcal`` command: a Flask CLI group (``flask --app blgcal`` works too)."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from blgcal import migrate
from blgcal.db import get_engine, get_session
from blgcal.domain.harvest.records import ParseError
from blgcal.services import imports, seed

LOCAL_CONFIG = '''\
# Written by `blgcal init` for local development on this machine.
# In production set BLGCAL_SECRET_KEY (and BLGCAL_DATABASE_URL) instead of using this file.
SECRET_KEY = {secret!r}
LOCAL_DEVELOPMENT = True  # plain-http cookies for http://127.0.0.1:5000
'''


def init_app(app: Flask) -> None:
    app.cli.add_command(init_command)
    app.cli.add_command(import_command)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and load the shipped calendar (idempotent)."""
    migrate.upgrade(get_engine())
    session = get_session()
    try:
        reader = seed.folder_reader(current_app.config.get("SEED_DIR"))
        report = seed.load_seed(session, now=now_utc(), reader=reader)
    except ParseError as exc:
        session.rollback()
        raise click.ClickException(f"seed data rejected, nothing written: {exc}") from None
    session.commit()
    click.echo(f"Database ready at {get_engine().url.render_as_string()}; seed: {report}.")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--body", "body", required=True, help="Body that owns the import (slug).")
@with_appcontext
def import_command(path: Path, body: str) -> None:
    """Import FILE (.csv now; .ics and .json with the harvest parsers), all or nothing."""
    session = get_session()
    try:
        report = imports.import_file(session, path, body=body, now=now_utc())
    except (ParseError, imports.ImportRefused) as exc:
        session.rollback()
        raise click.ClickException(f"nothing imported: {exc}") from None
    session.commit()
    click.echo(f"{path.name}: {report}.")


def ensure_local_config(instance_path: str) -> None:
    """Give a fresh laptop checkout a random secret key in ``instance/config.py``.

    Only when nothing is configured: production sets ``BLGCAL_SECRET_KEY``.
    """
    config = Path(instance_path) / "config.py"
    if "BLGCAL_SECRET_KEY" in os.environ or config.exists():
        return
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(LOCAL_CONFIG.format(secret=secrets.token_hex(32)), encoding="utf-8")
    config.chmod(0o600)
    click.echo(f"Wrote {config} with a new secret key for local development.", err=True)


def main() -> None:
    """Entry point of the ``blgcal`` console script."""
    from blgcal import create_app

    ensure_local_config(Flask("blgcal", instance_relative_config=True).instance_path)
    FlaskGroup(create_app=create_app, help="blgcal: the BLG conventions' calendar.")(
        prog_name="blgcal")
