"""Harvest sources (admins) and possible duplicates (editors)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from blgcal.clock import now
from blgcal.db import get_engine, get_session
from blgcal.domain.duplicates import DuplicateState
from blgcal.domain.harvest.detect import sniff
from blgcal.domain.harvest.meetings_csv import TEMPLATE_COLUMNS
from blgcal.domain.harvest.presets import PRESETS
from blgcal.domain.permissions import can_create, can_edit_bodies, is_admin
from blgcal.harvesting import reap
from blgcal.jobs import queue
from blgcal.models import HarvestRun, PossibleDuplicate, Source
from blgcal.services import jobs, queries
from blgcal.services.harvest import duplicates
from blgcal.services.harvest import sources as service
from blgcal.services.harvest.run import series_note
from blgcal.services.history import Actor
from blgcal.web.auth import principal, require
from blgcal.web.forms import ConfirmForm, options
from blgcal.web.jobs import stuck_jobs
from blgcal.web.source_forms import SourceForm

bp = Blueprint("sources", __name__)



def actor() -> Actor:
    return Actor(current_user.email, "form", current_user.id)


@bp.get("/admin/sources")
@require(is_admin)
def health() -> str:
    session, config = get_session(), current_app.config
    stuck = stuck_jobs()  # first: a lost job's failed run shows in its source's health
    found = service.health(session, now=now(), stale_days=int(config["HARVEST_STALE_DAYS"]))
    return render_template("sources/health.html", health=found, form=ConfirmForm(), stuck=stuck,
                           lost=jobs.recently_lost(session, now=now()))


@bp.get("/admin/sources/<int:source_id>")
@require(is_admin)
def runs(source_id: int) -> str:
    source = get_session().get(Source, source_id) or abort(404)
    return render_template("sources/runs.html", source=source, form=ConfirmForm(),
                           runs=service.runs(get_session(), source_id))


@bp.get("/admin/sources/<int:source_id>/runs/<int:run_id>")
@require(is_admin)
def run_page(source_id: int, run_id: int) -> str:
    run = get_session().get(HarvestRun, run_id)
    if run is None or run.source_id != source_id:
        abort(404)
    return render_template("sources/run.html", source=run.source, run=run,
                           changes=service.changes_by_action(run), note=series_note(run))


@bp.get("/admin/sources/presets")
@require(is_admin)
def presets() -> str:
    return render_template("sources/presets.html", presets=PRESETS, form=ConfirmForm())


@bp.post("/admin/sources/presets/<name>")
@require(is_admin)
def add_preset(name: str) -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    category = (request.form.get("category") or "").strip() or None
    try:
        source = service.add_preset(get_session(), name, now=now(), category=category)
    except service.SourceError as exc:
        flash(f"Not added: {exc}.")
        return redirect(url_for("sources.presets"))
    get_session().commit()
    flash(f"Added {source.name}, disabled. Clear the publisher's terms, then tick "
          "'Harvest it' here to enable it.")
    return redirect(url_for("sources.edit_source", source_id=source.id))


@bp.route("/admin/sources/new", methods=["GET", "POST"])
@require(is_admin)
def new_source() -> Response | str:
    form = source_form()
    if form.validate_on_submit():
        try:
            source = service.create_source(get_session(), now=now(), **form_values(form))
        except service.SourceError as exc:
            form.url.errors = [str(exc)]
        else:
            get_session().commit()
            flash(f"Added {source.name}. Harvest it now, or wait for the next scheduled run.")
            return redirect(url_for("sources.runs", source_id=source.id))
    return render_template("sources/form.html", form=form, source=None)


@bp.route("/admin/sources/<int:source_id>/edit", methods=["GET", "POST"])
@require(is_admin)
def edit_source(source_id: int) -> Response | str:
    source = get_session().get(Source, source_id) or abort(404)
    form = source_form(obj=source)
    if form.validate_on_submit():
        try:
            service.update_source(get_session(), source, **form_values(form))
        except service.SourceError as exc:
            form.url.errors = [str(exc)]
        else:
            get_session().commit()
            flash(f"Saved {source.name}.")
            return redirect(url_for("sources.runs", source_id=source.id))
    return render_template("sources/form.html", form=form, source=source)


@bp.post("/admin/sources/<int:source_id>/harvest")
@require(is_admin)
def harvest_now(source_id: int) -> Response:
    """Queue a harvest of the source and answer at once with the job's page."""
    session = get_session()
    source = session.get(Source, source_id) or abort(404)
    reap()  # a lost job's lock must not make this one wait
    job = jobs.queue_job(session, "harvest", {"source_id": source.id}, now=now(),
                         requested_by=current_user.id)
    session.commit()
    try:
        queue.enqueue(job.id)
    except Exception as exc:  # noqa: BLE001 (the queue is down: say so on the job's page)
        current_app.logger.exception("job %s could not be queued", job.id)
        jobs.fail_queued(get_engine(), job.id, now=now(), message=f"the queue refused the job: {exc}")
    return redirect(url_for("jobs.job_page", job_id=job.id), 303)


@bp.get("/admin/sources/template.csv")
@require(is_admin)
def csv_template() -> Response:
    return Response(",".join(TEMPLATE_COLUMNS) + "\r\n", mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=blgcal-meetings.csv"})


@bp.get("/duplicates")
@require(lambda who: can_create(who) or is_admin(who))
def duplicate_list() -> str:
    session = get_session()
    pairs = [(pair, *duplicates.pair_events(session, pair)) for pair in duplicates.open_pairs(session)]
    mine = [(p, a, b) for p, a, b in pairs if can_edit_bodies(principal(), (*a.bodies, *b.bodies))]
    return render_template("sources/duplicates.html", pairs=mine, form=ConfirmForm())


@bp.post("/duplicates/<int:pair_id>/merge")
@require(lambda who: can_create(who) or is_admin(who))
def merge(pair_id: int) -> Response:
    pair = resolvable(pair_id, both=True)
    kept = duplicates.merge_pair(get_session(), pair, now=now(), actor=actor())
    get_session().commit()
    flash("Merged: one event now carries both sources; the other is in the trash.")
    return redirect(url_for("pages.event", event_id=kept.id))


@bp.post("/duplicates/<int:pair_id>/distinct")
@require(lambda who: can_create(who) or is_admin(who))
def distinct(pair_id: int) -> Response:
    pair = resolvable(pair_id, both=False)
    duplicates.mark_distinct(get_session(), pair, now=now(), actor=actor())
    get_session().commit()
    flash("Noted: these are different meetings; the pair will not be proposed again.")
    return redirect(url_for("sources.duplicate_list"))


@bp.app_template_global("source_notes")
def source_notes(event_id: int) -> list[tuple[str, dict[str, Any]]]:
    """For the event page: what each source now says that differs from the event."""
    return service.notes(get_session(), event_id)


def resolvable(pair_id: int, *, both: bool) -> PossibleDuplicate:
    """The open pair, if this person may edit both events (merge) or either (distinct)."""
    pair = get_session().get(PossibleDuplicate, pair_id)
    if pair is None or pair.state != DuplicateState.OPEN:
        abort(404)
    a, b = duplicates.pair_events(get_session(), pair)
    rights = [can_edit_bodies(principal(), event.bodies) for event in (a, b)]
    if not (all(rights) if both else any(rights)):
        abort(403)
    return pair


def source_form(obj: Source | None = None) -> SourceForm:
    form = SourceForm(obj=obj)
    form.body_slug.choices = options((b.slug, b.short_name) for b in queries.bodies(get_session()))
    return form


def form_values(form: SourceForm) -> dict[str, Any]:
    """The service's keyword arguments from a validated form."""
    upload = form.upload.data
    data = upload.read(int(current_app.config["HARVEST_MAX_BYTES"]) + 1) if upload else None
    if data is not None and len(data) > int(current_app.config["HARVEST_MAX_BYTES"]):
        raise service.SourceError("the uploaded file is over HARVEST_MAX_BYTES")
    values: dict[str, Any] = {
        name: getattr(form, name).data for name in (
            "name", "body_slug", "kind", "enabled", "window_back_days", "window_ahead_days",
            "on_vanish", "trust_host")}
    values["url"] = (form.url.data or "").strip() or None
    values["default_kind"] = form.default_kind.data or None
    values["default_timezone"] = (form.default_timezone.data or "").strip() or None
    values["exclude_titles"] = (form.exclude_titles.data or "").strip() or None
    if data:
        # The file says what it is: a saved InforMEA or CBD response imports as it is.
        values.update(file_content=data, file_name=upload.filename or "upload",
                      kind=sniff(data) or values["kind"])
    return values
