"""``blgcal feeds``: the stored feed pieces."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from blgcal.db import get_session
from blgcal.services.feeds.pieces import rebuild_pieces

feeds_group = AppGroup("feeds", help="The feeds' stored pieces.")


@feeds_group.command("rebuild")
def rebuild_command() -> None:
    """Rebuild every event's stored iCalendar piece (after an upgrade or a bulk load)."""
    session = get_session()
    count = rebuild_pieces(session)
    session.commit()
    click.echo(f"Rebuilt the feed pieces of {count} events.")


def init_app(app: Flask) -> None:
    app.cli.add_command(feeds_group)
