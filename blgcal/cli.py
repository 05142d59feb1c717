"""The ``blgcal`` command: a Flask CLI group (``flask --app blgcal`` works too)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from blgcal import cli_findings, cli_harvest, cli_slots, cli_worker, migrate
from blgcal.cli_output import CommandError, echo
from blgcal.clock import now, today
from blgcal.db import get_engine, get_session
from blgcal.domain.harvest.records import ParseError
from blgcal.domain.permissions import Role
from blgcal.models import User
from blgcal.services import accounts, backup, imports, queries, seed
from blgcal.services.feed_pieces import rebuild_pieces

LOCAL_CONFIG = '''\
# Written by `blgcal init` for local development on this machine.
# In production set BLGCAL_SECRET_KEY (and BLGCAL_DATABASE_URL) instead of using this file.
SECRET_KEY = {secret!r}
LOCAL_DEVELOPMENT = True  # plain-http cookies for http://127.0.0.1:5000
'''


def init_app(app: Flask) -> None:
    app.cli.add_command(init_command)
    app.cli.add_command(import_command)
    app.cli.add_command(user_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    cli_findings.init_app(app)
    cli_harvest.init_app(app)
    cli_slots.init_app(app)
    cli_worker.init_app(app)



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


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--body", "body", required=True, help="Body that owns the import (slug).")
@click.option("--days-back", type=click.IntRange(0, imports.WINDOW_DAYS), default=imports.WINDOW_DAYS,
              show_default=True, help="Keep events that ended up to this many days before today.")
@click.option("--days-ahead", type=click.IntRange(0, imports.WINDOW_DAYS),
              default=imports.WINDOW_DAYS, show_default=True,
              help="Keep events starting up to this many days after today.")
@with_appcontext
def import_command(path: Path, body: str, days_back: int, days_ahead: int) -> None:
    """Import FILE (iCalendar, meetings CSV, InforMEA or CBD JSON, told apart by content), all or nothing."""
    session = get_session()
    try:
        report = imports.import_file(session, path, body=body, now=now(), today=today(),
                                     days_back=days_back, days_ahead=days_ahead)
    except (ParseError, imports.ImportRefused) as exc:
        session.rollback()
        raise CommandError(f"nothing imported: {exc}") from None
    session.commit()
    echo(f"{path.name}: {report}.")
    for line in cli_harvest.what_it_did(report.run):
        if ": warning: " not in line:
            echo(line)
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)


@click.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--body", "bodies", multiple=True, help="A body an editor keeps (repeatable).")
@click.option("--name", default="", help="The person's name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def user_add(email: str, role: str, bodies: tuple[str, ...], name: str,
             password_stdin: bool) -> None:
    """Add an account; prints a one-time link to set the password unless --password-stdin."""
    session = get_session()
    _check_bodies(bodies)
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        user = accounts.create_user(session, email, role=Role(role), bodies=bodies, name=name,
                                    now=now(), password=password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    session.commit()
    click.echo(f"Added {user.email} ({user.role.value}{_bodies(user.bodies)}).")
    if password is None:
        click.echo(f"Password link (valid {current_app.config['RESET_LINK_HOURS']} hours, once): "
                   f"{_reset_url(user)}")


@user_group.command("reset-link")
@click.argument("email")
@with_appcontext
def user_reset_link(email: str) -> None:
    """Print a one-time link that sets EMAIL's password."""
    click.echo(_reset_url(_existing_user(email)))


@user_group.command("set-role")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--body", "bodies", multiple=True, help="A body an editor keeps (repeatable).")
@with_appcontext
def user_set_role(email: str, role: str, bodies: tuple[str, ...]) -> None:
    """Give EMAIL another role (and, for an editor, the bodies it keeps)."""
    user = _existing_user(email)
    _check_bodies(bodies)
    try:
        accounts.set_role(user, Role(role), bodies)
    except accounts.AccountError as exc:
        raise click.ClickException(f"{exc} (--body SLUG)") from None
    get_session().commit()
    click.echo(f"{user.email} is now {user.role.value}{_bodies(user.bodies)}.")


@user_group.command("deactivate")
@click.argument("email")
@with_appcontext
def user_deactivate(email: str) -> None:
    """Stop EMAIL from signing in and end its sessions (undo with ``activate``)."""
    _set_active(email, False)


@user_group.command("activate")
@click.argument("email")
@with_appcontext
def user_activate(email: str) -> None:
    """Let a deactivated EMAIL sign in again."""
    _set_active(email, True)


def _set_active(email: str, active: bool) -> None:
    user = _existing_user(email)
    accounts.set_active(user, active)
    get_session().commit()
    click.echo(f"{user.email} is {'active' if active else 'deactivated; its sessions ended'}.")


def _check_bodies(bodies: tuple[str, ...]) -> None:
    unknown = set(bodies) - queries.body_slugs(get_session())
    if unknown:
        raise click.ClickException(f"unknown body: {', '.join(sorted(unknown))}")


def _existing_user(email: str) -> User:
    user = accounts.by_email(get_session(), email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


@user_group.command("list")
@with_appcontext
def user_list() -> None:
    """List the accounts."""
    for user in accounts.users(get_session()):
        state = "" if user.active else " (deactivated)"
        click.echo(f"{user.email}\t{user.role.value}{_bodies(user.bodies)}{state}")


def _bodies(bodies: frozenset[str]) -> str:
    return f" of {', '.join(sorted(bodies))}" if bodies else ""


def _reset_url(user: User) -> str:
    token = accounts.reset_token(user, current_app.config["SECRET_KEY"])
    base = str(current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return f"{base}/reset/{token}"


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


def main() -> None:
    """Entry point of the ``blgcal`` console script."""
    from blgcal.app import ConfigurationError, create_app

    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    ensure_local_config(Flask("blgcal", instance_relative_config=True).instance_path, command)
    group = FlaskGroup(create_app=create_app, help="blgcal: the BLG conventions' calendar.")
    group.add_command(cli_worker.run_with_jobs)  # in place of Flask's run: jobs run beside it
    try:
        group(prog_name="blgcal")
    except ConfigurationError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
