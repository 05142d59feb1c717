"""Clashes, opportunities, the year timeline and the comms plan."""

from __future__ import annotations

import hashlib
from datetime import date

from flask import (
    Blueprint, Response, abort, current_app, flash, make_response, redirect, render_template,
    request, url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from blgcal.clock import now, today
from blgcal.db import get_session
from blgcal.domain.clashes import Clash
from blgcal.domain.comms_events import PlanItem, as_event
from blgcal.domain.findings import (
    CLASH_KINDS, OPPORTUNITY_KINDS, FindingFilter, parse_finding_filters, select_clashes,
    select_opportunities,
)
from blgcal.domain.ical import FeedMeta, assemble_feed, event_component
from blgcal.domain.permissions import can_acknowledge, can_plan_comms, can_see_staff_events
from blgcal.domain.timeline import DESKTOP_WIDTH, PHONE_WIDTH, render_timeline
from blgcal.models import CommsPlanItem
from blgcal.services import analysis, comms, queries
from blgcal.services.agenda import body_data
from blgcal.services.history import Actor
from blgcal.web.auth import principal, require
from blgcal.web.forms import AcknowledgeForm, PlanItemForm, options

bp = Blueprint("findings", __name__)



def current_findings() -> analysis.Findings:
    return analysis.findings(get_session(), today=today(),
                             include_staff=can_see_staff_events(principal()))


def finding_filter(kinds: tuple[str, ...]) -> FindingFilter:
    return parse_finding_filters(request.args.to_dict(flat=False), kinds=kinds,
                                 known_bodies=queries.body_slugs(get_session()))


def event_clashes(event_id: int) -> list[Clash]:
    """The clashes an event has now (for its page)."""
    return [clash for clash in current_findings().clashes
            if any(event.id == event_id for event in clash.events)]


@bp.get("/clashes")
def clashes() -> str:
    flt = finding_filter(CLASH_KINDS)
    acks = analysis.latest_acks(get_session())
    shown = [(clash, analysis.is_acknowledged(clash, acks))
             for clash in select_clashes(current_findings().clashes, flt)]
    if not flt.acknowledged:
        shown = [(clash, acked) for clash, acked in shown if not acked]
    return render_template("findings/clashes.html", shown=shown, flt=flt, acks=acks,
                           kinds=CLASH_KINDS, form=AcknowledgeForm(), who=principal(),
                           can_acknowledge=can_acknowledge, **_choices())


@bp.post("/clashes/acknowledge")
def acknowledge() -> BaseResponse:
    form = AcknowledgeForm()
    clash = next((c for c in current_findings().clashes if c.key == form.key.data), None)
    if clash is None:
        abort(404)
    bodies = {body for event in clash.events for body in event.bodies}
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined,no-any-return]
    if not can_acknowledge(principal(), bodies):
        abort(403)
    if not form.validate():
        flash("Give a note saying why the clash is accepted.")
        return redirect(url_for("findings.clashes"))
    analysis.acknowledge(get_session(), clash, note=form.note.data or "", now=now(),
                         actor=Actor(current_user.email, "form", current_user.id))
    get_session().commit()
    flash("Clash acknowledged. It comes back if any of its events change.")
    return redirect(url_for("findings.clashes"))


@bp.get("/clashes/history/<path:key>")
def clash_history(key: str) -> str:
    return render_template("findings/clash_history.html", key=key,
                           acks=analysis.ack_history(get_session(), key))


@bp.get("/opportunities")
def opportunities() -> str:
    flt = finding_filter(OPPORTUNITY_KINDS)
    found = select_opportunities(current_findings().opportunities, flt)
    return render_template("findings/opportunities.html", found=found, flt=flt,
                           kinds=OPPORTUNITY_KINDS, today=today(),
                           planned=comms.planned_keys(get_session()),
                           can_plan=can_plan_comms(principal()), **_choices())


@bp.get("/timeline")
def timeline() -> str:
    year, bodies = _timeline_args()
    return render_template("findings/timeline.html", year=year, chosen=bodies,
                           wide=_timeline_svg(year, bodies, DESKTOP_WIDTH),
                           narrow=_timeline_svg(year, bodies, PHONE_WIDTH), **_choices())


@bp.get("/timeline.svg")
def timeline_download() -> Response:
    year, bodies = _timeline_args()
    response = make_response(_timeline_svg(year, bodies, DESKTOP_WIDTH, absolute=True))
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="blg-timeline-{year}.svg"'
    return response


def _timeline_args() -> tuple[int, tuple[str, ...]]:
    year_text = request.args.get("year", str(today().year))
    if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
        abort(400, description=f"year: {year_text!r} is not a year between 1990 and 2100")
    flt = finding_filter(CLASH_KINDS)
    return int(year_text), flt.bodies


def _timeline_svg(year: int, bodies: tuple[str, ...], width: int, *, absolute: bool = False) -> str:
    found = current_findings()
    rows = [body for body in queries.bodies(get_session()) if not bodies or body.slug in bodies]
    return render_timeline(
        [event for event in found.events if not bodies or set(event.bodies) & set(bodies)],
        bodies=[body_data(row) for row in rows], year=year, today=today(),
        clashes=found.clashes, opportunities=found.opportunities,
        observances=found.observances, width=width,
        href=lambda event: url_for("pages.event", event_id=event.id, _external=absolute))


@bp.get("/comms")
def comms_board() -> str:
    who = principal()
    return render_template("findings/comms_board.html", columns=comms.board(get_session()),
                           can_plan=can_plan_comms(who), show_notes=who is not None)


@bp.route("/comms/new", methods=["GET", "POST"])
@require(can_plan_comms)
def comms_new() -> BaseResponse | str:
    form = _plan_form(None)
    if not form.is_submitted():
        _prefill_from_opportunity(form, request.args.get("opportunity", ""))
    elif form.validate():
        item = comms.save_item(get_session(), _plan_values(form), now=now(),
                               author=current_user.email)
        get_session().commit()
        flash(f"Added “{item.title}” to the comms plan.")
        return redirect(url_for("findings.comms_board"))
    return render_template("findings/plan_item.html", form=form, item=None)


@bp.route("/comms/<int:item_id>", methods=["GET", "POST"])
@require(can_plan_comms)
def comms_edit(item_id: int) -> BaseResponse | str:
    item = get_session().get(CommsPlanItem, item_id) or abort(404)
    form = _plan_form(item)
    if form.validate_on_submit():
        comms.save_item(get_session(), _plan_values(form), now=now(), author=current_user.email,
                        item=item)
        get_session().commit()
        flash("Plan item saved.")
        return redirect(url_for("findings.comms_board"))
    return render_template("findings/plan_item.html", form=form, item=item)


@bp.get("/feeds/comms.ics")
def comms_feed() -> Response:
    pieces = [event_component(as_event(_plan_data(item))).text
              for item in comms.items(get_session())]
    body = assemble_feed(pieces, tzids=(), meta=FeedMeta(
        name="BLG comms plan", description="Joint communication moments planned across the "
        "biodiversity-related conventions", calendar_uid="blgcal-comms-plan", color="darkorange"))
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)


def _plan_data(item: CommsPlanItem) -> PlanItem:
    return PlanItem(id=item.id, title=item.title, owner_bodies=tuple(item.owner_bodies),
                    channel=item.channel, deadline=item.deadline, status=item.status,
                    sequence=item.sequence, updated_dt=item.updated_dt)


def _plan_form(item: CommsPlanItem | None) -> PlanItemForm:
    form = PlanItemForm(obj=item)
    form.owner_bodies.choices = options((b.slug, b.short_name) for b in queries.bodies(get_session()))
    return form


def _prefill_from_opportunity(form: PlanItemForm, key: str) -> None:
    found = next((o for o in current_findings().opportunities if o.key == key), None)
    if found is None:
        return
    form.title.data = found.explanation[:300]
    form.owner_bodies.data = list(found.bodies)
    form.deadline.data = max(today(), found.start)
    form.opportunity_key.data = found.key


def _plan_values(form: PlanItemForm) -> comms.PlanValues:
    return comms.PlanValues(
        title=(form.title.data or "").strip(), owner_bodies=tuple(form.owner_bodies.data or ()),
        channel=form.channel.data or "other", deadline=form.deadline.data or date.today(),
        status=form.status.data or "idea", notes=form.notes.data or "",
        opportunity_key=form.opportunity_key.data)


def _choices() -> dict[str, object]:
    return {"body_choices": [(b.slug, b.short_name) for b in queries.bodies(get_session())]}
