"""``blgcal backup`` and ``blgcal restore``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from blgcal.cli.setup import upgrade_database
from blgcal.db import get_engine
from blgcal.services import backup


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH (mode 0600; never half-written)."""
    try:
        backup.backup(get_engine(), path, replace=force)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up to {path}; content sha256 {backup.content_digest(get_engine())}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's content with the backup at PATH."""
    if not yes:
        click.confirm(f"Replace everything in {get_engine().url.render_as_string()} "
                      f"with {path}?", abort=True)
    try:
        backup.restore(get_engine(), path)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    upgrade_database()
    click.echo(f"Restored from {path}; content sha256 {backup.content_digest(get_engine())}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
