"""The ``blgcal`` command: a Flask CLI group (``flask --app blgcal`` works too).

One module per command group: setup (init), users, backup (and restore),
harvest (harvest, import, source), findings (clashes, opportunities), slots,
feeds and worker (and run, with jobs beside it).
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from blgcal.cli import backup, feeds, findings, harvest, setup, slots, users, worker
from blgcal.cli.setup import ensure_local_config


def init_app(app: Flask) -> None:
    for group in (setup, users, backup, harvest, findings, slots, feeds, worker):
        group.init_app(app)


def main() -> None:
    """Entry point of the ``blgcal`` console script."""
    from blgcal.app import ConfigurationError, create_app

    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    ensure_local_config(Flask("blgcal", instance_relative_config=True).instance_path, command)
    group = FlaskGroup(create_app=create_app, help="blgcal: the BLG conventions' calendar.")
    group.add_command(worker.run_with_jobs)  # in place of Flask's run: jobs run beside it
    try:
        group(prog_name="blgcal")
    except ConfigurationError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
