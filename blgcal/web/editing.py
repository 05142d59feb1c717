"""Creating and keeping events: forms, cancel, trash, history and revert."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blgcal.clock import now, today
from blgcal.db import get_session
from blgcal.domain import changes
from blgcal.domain.clashes import Clash
from blgcal.domain.geo import locate
from blgcal.domain.permissions import can_create, can_edit_bodies, can_see_staff_events, is_admin
from blgcal.domain.types import Event as EventData
from blgcal.models import Event, Revision
from blgcal.services import findings as finding_service
from blgcal.services import history
from blgcal.services import trash as trash_service
from blgcal.services.event_rows import to_domain
from blgcal.services.events import (
    StaleEdit,
    cancel_event,
    delete_event,
    restore_event,
    revert_event,
    save_event,
    state_after,
)
from blgcal.services.history import Actor
from blgcal.web.auth import principal, require
from blgcal.web.caches import findings_cache
from blgcal.web.event_forms import (
    candidate,
    checked,
    conflict,
    mark_seen,
    prepare,
    start_side_event,
    zone_names_sorted,
)
from blgcal.web.forms import ConfirmForm, EventForm

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
    if not form.is_submitted():
        start_side_event(form, request.args.get("parent", ""))
        return render_form(form, None)
    form.propose_zone()
    if form.validate() and checked(form, None, event := candidate(form, None)):
        if "check" in request.form:
            return render_form(form, None, preview=clashes_of(event))
        row, _ = save_event(get_session(), event, now=now(), actor=actor())
        get_session().commit()
        flash("Event created.")
        return redirect(url_for("pages.event", event_id=row.id))
    return render_form(form, None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int) -> Response | str | tuple[str, int]:
    row = editable_row(event_id)
    form = EventForm()
    prepare(form, row)
    if not form.is_submitted():
        form.fill_from(to_domain(row))
        mark_seen(form, row)
        return render_form(form, row)
    form.propose_zone()
    if form.validate() and checked(form, row, event := candidate(form, row)):
        if "check" in request.form:
            return render_form(form, row, preview=clashes_of(event))
        try:
            save_event(get_session(), event, now=now(), actor=actor(), row=row,
                       expected_version=int(form.version.data or 0))
        except StaleEdit:
            get_session().rollback()
            return render_template("editing/conflict.html", event=row,
                                   conflict=conflict(form, row)), 409
        get_session().commit()
        flash("Event saved.")
        return redirect(url_for("pages.event", event_id=row.id))
    return render_form(form, row)


def render_form(form: EventForm, row: Event | None, **context: object) -> str:
    return render_template("editing/form.html", form=form, event=row, zones=zone_names_sorted(),
                           **context)


def clashes_of(event: EventData) -> list[Clash]:
    """The clashes *event* would have with the rest of the calendar if saved as it stands."""
    others = finding_service.findings(get_session(), today=today(), include_staff=True,
                                      cache=findings_cache()).events
    return finding_service.clashes_with(event, others)


@bp.get("/events/zone")
@require(can_create)
def proposed_zone() -> dict[str, str | None]:
    """The time zone of a city (``?city=&country=``), for the form's live proposal."""
    place = locate(request.args.get("city", "").strip() or None,
                   request.args.get("country", "").strip() or None)
    return {"timezone": place.timezone if place else None}


def confirmed() -> bool:
    """Whether this is the confirming POST of a destructive action (``confirm=1``)."""
    return request.method == "POST" and request.form.get("confirm") == "1"


def confirm_page(row: Event, *, heading: str, button: str, consequences: list[str],
                 back: str, danger: bool = True, **context: object) -> str:
    """The step before a destructive action: what will happen, and one button to do it.

    Shown on GET and on a POST without ``confirm``, so it works without JavaScript.
    """
    return render_template("editing/confirm.html", event=row, heading=heading, button=button,
                           consequences=consequences, back=back, danger=danger,
                           form=ConfirmForm(), **context)


def name_of(row: Event) -> str:
    return row.code or row.title


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(event_id: int) -> Response | str:
    row = editable_row(event_id)
    if not confirmed():
        return confirm_page(
            row, heading=f"Mark {name_of(row)} cancelled?", button="Mark cancelled", consequences=[
                "The event stays on its page and in every feed, marked cancelled, so the "
                "calendars of people who subscribed update (Google hides it, Apple strikes it "
                "through).",
                "It can be set back to confirmed by editing it."],
            back=url_for("pages.event", event_id=event_id))
    if cancel_event(get_session(), row, now=now(), actor=actor()):
        get_session().commit()
        flash("Event marked cancelled. It stays in feeds as cancelled so calendars update.")
    return redirect(url_for("pages.event", event_id=event_id))


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
@login_required
def delete(event_id: int) -> Response | str:
    row = editable_row(event_id)
    if not confirmed():
        return confirm_page(
            row, heading=f"Delete {name_of(row)}?", button="Move to the trash", consequences=[
                "The event leaves the public pages and the API; feeds show it cancelled for "
                f"{current_app.config['FEED_KEEP_CANCELLED_DAYS']} days, then drop it.",
                "It goes to the Trash, where an editor can restore it with its history."]
            + ([f"Its {len(row.children)} side events stay, no longer linked to it."]
               if row.children else []),
            back=url_for("pages.event", event_id=event_id))
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
                           can_edit=can_edit_bodies(principal(), row.bodies))


@bp.route("/events/<int:event_id>/revert/<int:revision_id>", methods=["GET", "POST"])
@login_required
def revert(event_id: int, revision_id: int) -> Response | str:
    row = editable_row(event_id, deleted=None)
    revision = get_session().get(Revision, revision_id)
    if revision is None or revision.event_id != row.id:
        abort(404)
    if not confirmed():
        current = to_domain(row)
        return confirm_page(
            row, heading=f"Revert {name_of(row)} to revision #{revision.id}?",
            button="Revert", danger=False, consequences=[
                "The fields below go back to what they were after that revision. The revert "
                "is itself a new revision, so it can be undone from the history."],
            back=url_for("editing.event_history", event_id=event_id),
            differing=changes.changed_fields(current, state_after(revision, row)))
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
                           purge_after=timedelta(days=trash_days()), now=now())


@bp.route("/trash/<int:event_id>/purge", methods=["GET", "POST"])
@require(is_admin)
def purge(event_id: int) -> Response | str:
    row = editable_row(event_id, deleted=True)
    days = trash_days()
    if not trash_service.can_purge(row, now=now(), after_days=days):
        flash(f"Only events in the trash for more than {days} days can be purged.")
        return redirect(url_for("editing.trash"))
    if not confirmed():
        return confirm_page(
            row, heading=f"Purge {name_of(row)} for good?", button="Purge", consequences=[
                "The event is removed from the database and cannot be restored.",
                "Its revisions stay in the audit trail."],
            back=url_for("editing.trash"))
    trash_service.purge(get_session(), row, now=now(), actor=actor(), after_days=days)
    get_session().commit()
    flash("Event purged. Its history stays in the audit trail.")
    return redirect(url_for("editing.trash"))


def trash_days() -> int:
    return int(current_app.config["TRASH_DAYS"])
