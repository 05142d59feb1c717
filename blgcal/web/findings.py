"""Clashes, opportunities, the year timeline and the comms plan."""

from __future__ import annotations

from datetime import date
from typing import cast

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from blgcal.clock import now, today
from blgcal.db import get_session
from blgcal.domain.clashes import Clash
from blgcal.domain.comms_events import suggested_deadline, suggested_title
from blgcal.domain.findings import (
    CLASH_KINDS,
    OPPORTUNITY_KINDS,
    FindingFilter,
    parse_finding_filters,
    split_by_today,
)
from blgcal.domain.opportunities import Opportunity
from blgcal.domain.permissions import (
    can_acknowledge,
    can_plan_comms,
    can_see_comms_plan,
    can_see_staff_events,
)
from blgcal.domain.timeline import DESKTOP_WIDTH, PHONE_WIDTH, render_timeline
from blgcal.models import CommsPlanItem, User
from blgcal.services import comms, queries
from blgcal.services import findings as finding_service
from blgcal.services.agenda import body_data
from blgcal.services.feeds import private as feed_private
from blgcal.services.history import Actor
from blgcal.web.auth import principal, require
from blgcal.web.caches import findings_cache, known_bodies
from blgcal.web.feeds.forms import PrivateFeedForm
from blgcal.web.forms import AcknowledgeForm, PlanItemForm, options

bp = Blueprint("findings", __name__)



def current_findings() -> finding_service.Findings:
    return finding_service.findings(get_session(), today=today(), cache=findings_cache(),
                                    include_staff=can_see_staff_events(principal()))


def finding_filter(kinds: tuple[str, ...]) -> FindingFilter:
    return parse_finding_filters(request.args.to_dict(flat=False), kinds=kinds,
                                 known_bodies=known_bodies())


def event_clashes(event_id: int) -> list[Clash]:
    """The clashes an event has now (for its page)."""
    return [clash for clash in current_findings().clashes
            if any(event.id == event_id for event in clash.events)]


@bp.get("/clashes")
def clashes() -> str:
    flt = finding_filter(CLASH_KINDS)
    acks = finding_service.latest_acks(get_session())
    shown = finding_service.listed_clashes(get_session(), flt, today=today(), acks=acks,
                                           include_staff=can_see_staff_events(principal()),
                                           cache=findings_cache())
    acked = {clash.key for clash, is_acked in shown if is_acked}
    ahead, past = split_by_today([clash for clash, _ in shown], today=today())
    sections = [(title, [(clash, clash.key in acked) for clash in part])
                for title, part in (("Ahead", ahead), ("Past", past))]
    return render_template("findings/clashes.html", sections=sections, flt=flt, acks=acks,
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
    finding_service.acknowledge(get_session(), clash, note=form.note.data or "", now=now(),
                                actor=Actor(current_user.email, "form", current_user.id))
    get_session().commit()
    flash("Clash acknowledged. It comes back if any of its events change.")
    return redirect(url_for("findings.clashes"))


@bp.get("/clashes/history/<path:key>")
@require(can_see_staff_events)
def clash_history(key: str) -> str:
    """Who acknowledged a clash and why: staff only (names, notes, staff-only titles)."""
    return render_template("findings/clash_history.html", key=key,
                           acks=finding_service.ack_history(get_session(), key))


@bp.get("/opportunities")
def opportunities() -> str:
    flt = finding_filter(OPPORTUNITY_KINDS)
    found = finding_service.listed_opportunities(get_session(), flt, today=today(),
                                                 include_staff=can_see_staff_events(principal()),
                                                 cache=findings_cache())
    key = request.args.get("key", "")
    if key:  # one opportunity, as linked from its plan item
        found = [item for item in found if item.key == key]
    return render_template("findings/opportunities.html", found=found, flt=flt,
                           kinds=OPPORTUNITY_KINDS, today=today(), key=key,
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
    if not (year_text.isascii() and year_text.isdigit()) or not 1990 <= int(year_text) <= 2100:
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
@require(can_see_comms_plan)
def comms_board() -> str:
    mine = [feed for feed in feed_private.feeds_of(get_session(), cast(User, current_user))
            if feed.content == feed_private.COMMS_PLAN]
    return render_template("findings/comms_board.html", columns=comms.board(get_session()),
                           can_plan=can_plan_comms(principal()), comms_feeds=mine,
                           feed_form=PrivateFeedForm(name="Comms plan",
                                                     content=feed_private.COMMS_PLAN))


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
    return render_template("findings/plan_item.html", form=form, item=None,
                           opportunity=_opportunity(form.opportunity_key.data or ""))


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
    return render_template("findings/plan_item.html", form=form, item=item,
                           opportunity=_opportunity(item.opportunity_key or ""))


def _plan_form(item: CommsPlanItem | None) -> PlanItemForm:
    form = PlanItemForm(obj=item)
    form.owner_bodies.choices = options((b.slug, b.short_name) for b in queries.bodies(get_session()))
    return form


def _opportunity(key: str) -> Opportunity | None:
    return next((o for o in current_findings().opportunities if o.key == key), None) if key else None


def _prefill_from_opportunity(form: PlanItemForm, key: str) -> None:
    found = _opportunity(key)
    if found is None:
        return
    form.title.data = suggested_title(found)
    form.owner_bodies.data = list(found.bodies)
    form.deadline.data = suggested_deadline(found, today=today())
    form.opportunity_key.data = found.key


def _plan_values(form: PlanItemForm) -> comms.PlanValues:
    return comms.PlanValues(
        title=(form.title.data or "").strip(), owner_bodies=tuple(form.owner_bodies.data or ()),
        channel=form.channel.data or "other", deadline=form.deadline.data or date.today(),
        status=form.status.data or "idea", notes=form.notes.data or "",
        opportunity_key=form.opportunity_key.data)


def _choices() -> dict[str, object]:
    return {"body_choices": [(b.slug, b.short_name) for b in queries.bodies(get_session())]}
