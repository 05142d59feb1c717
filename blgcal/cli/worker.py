"""``blgcal worker`` runs queued jobs; ``blgcal run`` is Flask's server with jobs run beside it."""

from __future__ import annotations

import logging
import os

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo, get_debug_flag, run_command, with_appcontext
from werkzeug.serving import is_running_from_reloader

from blgcal.cli.output import echo
from blgcal.harvesting import reap
from blgcal.jobs import queue


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)


@click.command("worker")
@click.option("--threads", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Jobs run at once (harvests still take turns under the harvest lock).")
@with_appcontext
def worker_command(threads: int) -> None:
    """Run queued jobs (harvests started from the web) until stopped (Ctrl-C finishes the job)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lower_priority(int(app.config["WORKER_NICE"]))
    for job in reap():  # a previous worker's jobs, if it was killed
        echo(f"job {job.id} marked lost: {job.message}", err=True)
    queue.consumer(app, threads=threads).run()


def lower_priority(steps: int) -> None:
    """Run this process *steps* nice levels below the web, so requests win the CPU from jobs."""
    if steps > 0:
        os.nice(steps)


@click.command("run", params=[*run_command.params, click.Option(
    ["--jobs/--no-jobs"], default=True, show_default=True,
    help="Run queued jobs in this process too, as 'blgcal worker' would.")])
@click.pass_context
def run_with_jobs(ctx: click.Context, jobs: bool, **options: object) -> None:
    """Run the development server, and the queued jobs beside it (no second command needed)."""
    reload = options.get("reload")
    reloading = get_debug_flag() if reload is None else bool(reload)
    # With the reloader, the first process only watches files: jobs run in the serving child.
    if jobs and (not reloading or is_running_from_reloader()):
        queue.start_embedded(ctx.ensure_object(ScriptInfo).load_app())
    ctx.invoke(run_command, **options)
