"""Jobs (admins): the list, and each job's page with its progress and outcome."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from blgcal.clock import now
from blgcal.db import get_session
from blgcal.domain.permissions import is_admin
from blgcal.harvesting import reap
from blgcal.models import HarvestRun, Job, Source, User
from blgcal.services import jobs
from blgcal.web.auth import require

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


@bp.get("")
@require(is_admin)
def job_list() -> str:
    session = get_session()
    silent = {job.id for job in stuck_jobs()}
    return render_template("jobs/list.html", jobs=jobs.recent(session), depth=jobs.depth(session),
                           stuck=silent, titles=titles)


@bp.get("/<int:job_id>")
@require(is_admin)
def job_page(job_id: int) -> str:
    session = get_session()
    silent = stuck_jobs()  # first: a lost job shows as lost
    job = session.get(Job, job_id) or abort(404)
    run = session.get(HarvestRun, job.result["run_id"]) if job.result.get("run_id") else None
    requester = session.get(User, job.requested_by) if job.requested_by else None
    return render_template("jobs/job.html", job=job, run=run, requester=requester,
                           title=titles(job), stuck=job in silent)


def stuck_jobs() -> list[Job]:
    """Mark lost the jobs whose worker is gone, then list the running jobs still silent."""
    reap()
    return jobs.silent(get_session(), now=now(), staleness=jobs.Staleness.from_config(current_app.config))


def titles(job: Job) -> str:
    """What a job does, in words: "Harvest CBD sheet"."""
    if job.kind == "harvest":
        source = get_session().get(Source, job.args.get("source_id", 0))
        return f"Harvest {source.name if source else 'a deleted source'}"
    return job.kind.replace("_", " ").capitalize()
