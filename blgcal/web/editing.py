"""Creating and keeping events: forms, cancel, trash, history and revert."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blgcal.clock import now, today
from blgcal.db import get_session
from blgcal.domain import changes
from blgcal.domain.ids import new_uid
from blgcal.domain.permissions import (
    can_create, can_edit_bodies, can_see_staff_events, editable_bodies, is_admin,
)
from blgcal.domain.places import country_choices, zone_names
from blgcal.domain.validation import side_event_problem
from blgcal.models import Event, Revision
from blgcal.services import analysis, history, queries, trash as trash_service
from blgcal.services.events import (
    StaleEdit, cancel_event, delete_event, restore_event, revert_event, save_event, to_domain,
)
from blgcal.services.history import Actor
from blgcal.web.auth import principal, require
from blgcal.web.forms import ConfirmForm, EventForm, options

bp = Blueprint("editing", __name__)



def actor() -> Actor:
    return Actor(current_user.email, "form", current_user.id)


def editable_row(event_id: int, *, deleted: bool | None = False) -> Event:
    """The event, if it exists (in or out of the trash as asked) and may be edited."""
    row = get_session().get(Event, event_id)
    if row is None or (deleted is not None and bool(row.deleted_dt) != deleted):
        abort(404)
    if not can_edit_bodies(principal(), row.bodies):
        abort(403)
    return row


@bp.route("/events/new", methods=["GET", "POST"])
@require(can_create)
def create() -> Response | str:
    form = EventForm()
    prepare(form, None)
    if form.validate_on_submit() and checked(form, None):
        if "check" in request.form:
            return preview(form, None)
        row, _ = save_event(get_session(), form.to_event(uid=new_uid()), now=now(),
                            actor=actor())
        get_session().commit()
        flash("Event created.")
        return redirect(url_for("pages.event", event_id=row.id))
    return render_template("editing/form.html", form=form, event=None, zones=zone_names_sorted())


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int) -> Response | str | tuple[str, int]:
    row = editable_row(event_id)
    form = EventForm()
    prepare(form, row)
    if not form.is_submitted():
        form.fill_from(to_domain(row))
        form.version.data = str(row.version)
    elif form.validate() and checked(form, row):
        if "check" in request.form:
            return preview(form, row)
        submitted = form.to_event(uid=row.uid)
        try:
            save_event(get_session(), submitted, now=now(), actor=actor(), row=row,
                       expected_version=int(form.version.data or 0))
        except StaleEdit:
            get_session().rollback()
            return conflict(event_id, submitted), 409
        get_session().commit()
        flash("Event saved.")
        return redirect(url_for("pages.event", event_id=row.id))
    return render_template("editing/form.html", form=form, event=row, zones=zone_names_sorted())


def preview(form: EventForm, row: Event | None) -> str:
    """The form again, with the clashes the event would have if saved as it stands."""
    candidate = replace(form.to_event(uid=row.uid if row else "unsaved@blgcal"),
                        id=row.id if row else None)
    others = analysis.findings(get_session(), today=today(), include_staff=True).events
    return render_template("editing/form.html", form=form, event=row, zones=zone_names_sorted(),
                           preview=analysis.clashes_with(candidate, others))


def conflict(event_id: int, submitted: object) -> str:
    row = get_session().get(Event, event_id)
    assert row is not None
    current = to_domain(row)
    differing = changes.changed_fields(current, submitted)  # type: ignore[arg-type]
    return render_template("editing/conflict.html", event=row, differing=differing)


@bp.post("/events/<int:event_id>/cancel")
@login_required
def cancel(event_id: int) -> Response:
    row = editable_row(event_id)
    if cancel_event(get_session(), row, now=now(), actor=actor()):
        get_session().commit()
        flash("Event marked cancelled. It stays in feeds as cancelled so calendars update.")
    return redirect(url_for("pages.event", event_id=event_id))


@bp.post("/events/<int:event_id>/delete")
@login_required
def delete(event_id: int) -> Response:
    row = editable_row(event_id)
    delete_event(get_session(), row, now=now(), actor=actor())
    get_session().commit()
    flash("Event moved to the trash. It can be restored from there.")
    return redirect(url_for("editing.trash"))


@bp.post("/events/<int:event_id>/restore")
@login_required
def restore(event_id: int) -> Response:
    row = editable_row(event_id, deleted=True)
    restore_event(get_session(), row, now=now(), actor=actor())
    get_session().commit()
    flash("Event restored.")
    return redirect(url_for("pages.event", event_id=event_id))


@bp.get("/events/<int:event_id>/history")
@require(can_see_staff_events)
def event_history(event_id: int) -> str:
    row = get_session().get(Event, event_id)
    if row is None:
        abort(404)
    return render_template("editing/history.html", event=row,
                           revisions=history.revisions(get_session(), event_id),
                           can_edit=can_edit_bodies(principal(), row.bodies),
                           form=ConfirmForm())


@bp.post("/events/<int:event_id>/revert/<int:revision_id>")
@login_required
def revert(event_id: int, revision_id: int) -> Response:
    row = editable_row(event_id, deleted=None)
    revision = get_session().get(Revision, revision_id)
    if revision is None or revision.event_id != row.id:
        abort(404)
    if revert_event(get_session(), row, revision, now=now(), actor=actor()):
        get_session().commit()
        flash(f"Event brought back to revision #{revision.id}.")
    return redirect(url_for("editing.event_history", event_id=event_id))


@bp.get("/trash")
@require(lambda who: can_create(who) or is_admin(who))
def trash() -> str:
    who = principal()
    rows = [row for row in trash_service.trashed(get_session()) if can_edit_bodies(who, row.bodies)]
    return render_template("editing/trash.html", rows=rows, form=ConfirmForm(),
                           purge_after=timedelta(days=int(current_app.config["TRASH_DAYS"])),
                           now=now())


@bp.post("/trash/<int:event_id>/purge")
@require(is_admin)
def purge(event_id: int) -> Response:
    row = editable_row(event_id, deleted=True)
    days = int(current_app.config["TRASH_DAYS"])
    if not trash_service.purge(get_session(), row, now=now(), actor=actor(), after_days=days):
        flash(f"Only events in the trash for more than {days} days can be purged.")
        return redirect(url_for("editing.trash"))
    get_session().commit()
    flash("Event purged. Its history stays in the audit trail.")
    return redirect(url_for("editing.trash"))


def zone_names_sorted() -> list[str]:
    return sorted(zone_names())


def prepare(form: EventForm, row: Event | None) -> None:
    """Fill the pickers: the bodies this person may name, meetings, countries."""
    session = get_session()
    allowed = editable_bodies(principal(), queries.body_slugs(session))
    current = set(row.bodies) if row else set()
    names = {body.slug: body.short_name for body in queries.bodies(session)}
    form.bodies.choices = options((slug, names[slug]) for slug in names if slug in allowed | current)
    form.parent_id.choices = options([("", "None")] + [
        (str(event.id), f"{event.code or event.title} ({event.start_date or event.start_dt:%Y-%m-%d})")
        for event in queries.parent_candidates(session) if not row or event.id != row.id])
    form.country.choices = options([("", "Unknown or online"), *country_choices()])


def checked(form: EventForm, row: Event | None) -> bool:
    """The checks that need the database: bodies this person may name, the parent's dates."""
    who = principal()
    before = set(row.bodies) if row else set()
    allowed = editable_bodies(who, queries.body_slugs(get_session()))
    added = set(form.bodies.data or ()) - before
    if added - allowed or not (set(form.bodies.data or ()) & allowed or is_admin(who)):
        form.bodies.errors = list(form.bodies.errors) + [
            "You can only name bodies you edit for, and must keep at least one of them."]
        return False
    parent = get_session().get(Event, int(form.parent_id.data)) if form.parent_id.data else None
    event = replace(form.to_event(uid=row.uid if row else "new"), id=row.id if row else None)
    problem = side_event_problem(event, to_domain(parent) if parent else None)
    if problem:
        form.parent_id.errors = list(form.parent_id.errors) + [problem]
        return False
    return True
