"""The read side of the JSON API, ``/api/v1``."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from typing import Any

from flask import Blueprint, Response, current_app, request

from blgcal.clock import today
from blgcal.db import get_session
from blgcal.domain.findings import (
    CLASH_KINDS,
    OPPORTUNITY_KINDS,
    FindingFilter,
    parse_finding_filters,
)
from blgcal.domain.permissions import may_see_event
from blgcal.models import Event
from blgcal.services import findings as finding_service
from blgcal.services import queries
from blgcal.services import slots as slot_service
from blgcal.services.event_rows import to_domain
from blgcal.services.schemas import body_json, clash_json, event_json, opportunity_json
from blgcal.services.slot_schemas import search_json
from blgcal.web import openapi
from blgcal.web.caches import bodies_stamp, cached, findings_cache, known_bodies
from blgcal.web.errors import ApiError
from blgcal.web.params import request_filters
from blgcal.web.urls import url_keeping_query

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/events")
def events() -> Response:
    flt = request_filters()

    def render() -> str:
        page = queries.events_page(get_session(), flt)
        return json.dumps({"events": [event_json(event) for event in page.items],
                           "next": _next_url(page.page) if page.has_next else None},
                          ensure_ascii=False, separators=(",", ":"))

    return cached(render, mimetype="application/json",
                  shows=partial(bodies_stamp, flt.bodies) if flt.bodies else None)


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> dict[str, Any]:
    found = get_session().get(Event, event_id)
    if found is None or not public(found):
        raise ApiError(404, f"no event with id {event_id}", field="id")
    event = to_domain(found)
    if found.parent is not None and not public(found.parent):
        event = replace(event, parent_id=None)
    return event_json(event)


def public(row: Event) -> bool:
    """The API serves what anonymous visitors see."""
    return may_see_event(False, visibility=row.visibility, deleted=row.deleted_dt is not None)


@bp.get("/bodies")
def bodies() -> dict[str, Any]:
    return {"bodies": [body_json(body) for body in queries.bodies(get_session())]}


@bp.get("/clashes")
def clashes() -> dict[str, Any]:
    listed = finding_service.listed_clashes(get_session(), _finding_filter(CLASH_KINDS), today=today(),
                                            cache=findings_cache())
    return {"clashes": [clash_json(clash, acknowledged=acked) for clash, acked in listed]}


@bp.get("/opportunities")
def opportunities() -> dict[str, Any]:
    found = finding_service.listed_opportunities(get_session(), _finding_filter(OPPORTUNITY_KINDS),
                                                 today=today(), cache=findings_cache())
    return {"opportunities": [opportunity_json(item) for item in found]}


@bp.get("/slots")
def slots() -> dict[str, Any]:
    session = get_session()
    wanted = slot_service.parse(session, request.args.to_dict(flat=False), today=today())
    return search_json(slot_service.search(session, wanted, today=today()))


@bp.get("/openapi.json")
def openapi_document() -> dict[str, Any]:
    config = current_app.config
    return openapi.document(bodies=queries.body_slugs(get_session()),
                            per_page=int(config["PER_PAGE"]), max_per_page=int(config["MAX_PER_PAGE"]))


def _finding_filter(kinds: tuple[str, ...]) -> FindingFilter:
    return parse_finding_filters(request.args.to_dict(flat=False), kinds=kinds,
                                 known_bodies=known_bodies())


def _next_url(page: int) -> str:
    return url_keeping_query("api.events", _external=True, _replace={"page": str(page + 1)})
