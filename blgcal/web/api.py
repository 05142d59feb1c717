"""The read side of the JSON API, ``/api/v1``."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request, url_for

from blgcal.clock import today
from blgcal.db import get_session
from blgcal.models import Event
from blgcal.domain.findings import (
    CLASH_KINDS, OPPORTUNITY_KINDS, FindingFilter, parse_finding_filters, select_clashes,
    select_opportunities,
)
from blgcal.services import analysis, queries
from blgcal.services import slots as slot_service
from blgcal.services.events import to_domain
from blgcal.web.errors import ApiError
from blgcal.web.page_cache import cached
from blgcal.web.params import request_filters
from blgcal.web.schemas import body_json, clash_json, event_json, opportunity_json
from blgcal.web.slot_json import search_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/events")
def events() -> Response:
    flt = request_filters()

    def render() -> str:
        page = queries.events_page(get_session(), flt)
        return json.dumps({"events": [event_json(event) for event in page.items],
                           "next": _next_url(page.page) if page.has_next else None},
                          ensure_ascii=False, separators=(",", ":"))

    return cached(render, mimetype="application/json")


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> dict[str, Any]:
    found = get_session().get(Event, event_id)
    if found is None or found.visibility != "public" or found.deleted_dt:
        raise ApiError(404, f"no event with id {event_id}", field="id")
    return event_json(to_domain(found))


@bp.get("/bodies")
def bodies() -> dict[str, Any]:
    return {"bodies": [body_json(body) for body in queries.bodies(get_session())]}


@bp.get("/clashes")
def clashes() -> dict[str, Any]:
    flt = _finding_filter(CLASH_KINDS)
    session = get_session()
    acks = analysis.latest_acks(session)
    found = analysis.findings(session, today=today()).clashes
    listed = [(clash, analysis.is_acknowledged(clash, acks)) for clash in select_clashes(found, flt)]
    return {"clashes": [clash_json(clash, acknowledged=acked) for clash, acked in listed
                        if flt.acknowledged or not acked]}


@bp.get("/opportunities")
def opportunities() -> dict[str, Any]:
    flt = _finding_filter(OPPORTUNITY_KINDS)
    found = analysis.findings(get_session(), today=today()).opportunities
    return {"opportunities": [opportunity_json(item) for item in select_opportunities(found, flt)]}


@bp.get("/slots")
def slots() -> dict[str, Any]:
    session = get_session()
    wanted = slot_service.parse(session, request.args.to_dict(flat=False), today=today())
    return search_json(slot_service.search(session, wanted, today=today()))


def _finding_filter(kinds: tuple[str, ...]) -> FindingFilter:
    return parse_finding_filters(request.args.to_dict(flat=False), kinds=kinds,
                                 known_bodies=queries.body_slugs(get_session()))


def _next_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page + 1)]
    return url_for("api.events", _external=True, **args)
