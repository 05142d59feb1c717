"""The read side of the JSON API, ``/api/v1``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

from blgcal.db import get_session
from blgcal.models import Event
from blgcal.services import queries
from blgcal.services.events import to_domain
from blgcal.web.errors import ApiError
from blgcal.web.params import request_filters
from blgcal.web.schemas import body_json, event_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/events")
def events() -> dict[str, Any]:
    flt = request_filters()
    page = queries.events_page(get_session(), flt)
    return {"events": [event_json(event) for event in page.items],
            "next": _next_url(page.page) if page.has_next else None}


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> dict[str, Any]:
    found = get_session().get(Event, event_id)
    if found is None or found.visibility != "public" or found.deleted_dt:
        raise ApiError(404, f"no event with id {event_id}", field="id")
    return event_json(to_domain(found))


@bp.get("/bodies")
def bodies() -> dict[str, Any]:
    return {"bodies": [body_json(body) for body in queries.bodies(get_session())]}


def _next_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page + 1)]
    return url_for("api.events", _external=True, **args)
