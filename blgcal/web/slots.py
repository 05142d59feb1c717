"""The slot finder: a public page, and holding a slot (admins and BLG editors)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from blgcal.clock import now, today
from blgcal.db import get_session
from blgcal.domain.filters import EventFilter, FilterError
from blgcal.domain.permissions import can_edit_bodies, can_see_staff_events
from blgcal.domain.places import country_choices
from blgcal.domain.slots import GROUP, SlotSearch
from blgcal.domain.slots.request import Mode
from blgcal.domain.slots.strip import COLOURS, LEGEND, render_strip
from blgcal.services import queries
from blgcal.services import slots as slot_service
from blgcal.services.history import Actor
from blgcal.web.auth import principal, require
from blgcal.web.slot_forms import HoldForm

bp = Blueprint("slots", __name__)

MODE_ONLY = {Mode.VIRTUAL: ("minutes", "repeat", "every", "hours"),
             Mode.IN_PERSON: ("days", "city", "country", "near")}
STRIP_WIDTHS = (390, 1280)


@bp.get("/slots")
def page() -> tuple[str, int]:
    params = search_params(request.args.to_dict(flat=False))
    found, error = None, None
    if params:
        try:
            found = _search(params)
        except FilterError as exc:
            error = exc
    return render_template(
        "slots/page.html", values=_form_values(params), found=found, error=error,
        query=urlencode(params, doseq=True),
        can_hold=can_edit_bodies(principal(), (GROUP,)), bodies=queries.bodies(get_session()),
        anchors=_anchors(), countries=country_choices(), legend=LEGEND, colours=COLOURS,
        strips=_strips(found) if found else {},
    ), 400 if error else 200


@bp.post("/slots/hold")
@require(lambda who: can_edit_bodies(who, (GROUP,)))
def hold() -> Response:
    form = HoldForm()
    if not form.validate():
        abort(400, description="the slot to hold is missing")
    params = search_params(parse_qs(form.query.data or ""))
    session = get_session()
    try:
        wanted = slot_service.parse(session, params, today=today())
        row = slot_service.hold(session, wanted, form.key.data or "", today=today(), now=now(),
                                actor=Actor(current_user.email, slot_service.VIA,
                                            current_user.id))
    except FilterError as exc:
        abort(400, description=str(exc))
    except slot_service.SlotTaken:
        flash("That slot is no longer free: the search below is up to date.")
        return redirect(url_for("slots.page") + "?" + urlencode(params, doseq=True))
    session.commit()
    flash("Held as a tentative BLG meeting. To release it, cancel the event.")
    return redirect(url_for("pages.event", event_id=row.id))


def search_params(args: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The parameters the chosen mode reads: the page's form sends every field."""
    params = {name: [v for v in values if v.strip()] for name, values in args.items()}
    params = {name: values for name, values in params.items() if values}
    mode = (params.get("mode") or [Mode.IN_PERSON])[0]
    for other, names in MODE_ONLY.items():
        if other != mode and mode in MODE_ONLY:
            for name in names:
                params.pop(name, None)
    if "near" in params and mode == Mode.IN_PERSON:
        params.pop("city", None)
        params.pop("country", None)
    return params


def _search(params: dict[str, list[str]]) -> SlotSearch:
    session = get_session()
    wanted = slot_service.parse(session, params, today=today())
    return slot_service.search(session, wanted, today=today(),
                               include_staff=can_see_staff_events(principal()))


def _form_values(params: dict[str, list[str]]) -> dict[str, Any]:
    start = today()
    values: dict[str, Any] = {
        "mode": Mode.IN_PERSON, "from": start.isoformat(),
        "to": (start + timedelta(days=59)).isoformat(), "days": "1", "minutes": "90",
        "city": "", "country": "", "near": "", "hours": "09:00-18:00", "repeat": "1",
        "every": "month", "buffer": "2", "limit": "10",
    }
    values.update({name: found[-1] for name, found in params.items()
                   if name not in {"body", "optional"}})
    values["body"] = params.get("body", [] if params else [GROUP])
    values["optional"] = params.get("optional", [])
    return values


def _anchors() -> list[Any]:
    """Meetings a slot can be near: dated, in person, from today on."""
    events = queries.in_window(get_session(), EventFilter(date_from=today()))
    return [event for event in events if event.kind.is_meeting and event.city
            and not event.online and not event.status.is_gone]


def _strips(found: SlotSearch) -> dict[int, str]:
    title = found.explanation.summary
    return {width: render_strip(found.days, width=width, title=title) for width in STRIP_WIDTHS}
