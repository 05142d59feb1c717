"""``blgcal user``: accounts from the shell (add, reset-link, set-role, deactivate, activate, list)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from blgcal.clock import now
from blgcal.db import get_session
from blgcal.domain.permissions import Role
from blgcal.models import User
from blgcal.services import accounts, queries


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


def init_app(app: Flask) -> None:
    app.cli.add_command(user_group)
