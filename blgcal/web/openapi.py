"""The API's contract, OpenAPI 3.1, served at ``/api/v1/openapi.json``.

Parameters carry the limits their parsers enforce (:mod:`blgcal.domain.filters`,
:mod:`blgcal.domain.findings`, :mod:`blgcal.domain.slots.request`); responses carry the
schemas written beside the serializers (:mod:`blgcal.services.schemas`, :mod:`blgcal.services.slot_schemas`).
Tests validate real answers against it, walk the URL map for a route it misses, and run
schemathesis over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from blgcal.domain.clashes import Severity
from blgcal.domain.filters import FIRST_DAY, LAST_DAY, MAX_PAGE, MAX_QUERY, TAG
from blgcal.domain.findings import CLASH_KINDS, OPPORTUNITY_KINDS
from blgcal.domain.flags import FALSE, TRUE
from blgcal.domain.ids import MAX_ID
from blgcal.domain.slots.request import (
    DEFAULT_WINDOW_DAYS,
    HOURS,
    MAX_WINDOW_DAYS,
    NUMBERS,
    Every,
    Mode,
)
from blgcal.domain.types import Kind, Status
from blgcal.services import schemas
from blgcal.services.schemas import STRING, Schema, array, either, one_of, shape
from blgcal.services.slot_schemas import SLOT_SEARCH

#: The years FIRST_DAY to LAST_DAY (whole centuries), as a regular expression.
YEARS = "(19|20|21)[0-9]{2}"
DAY_PARAM = {"type": "string", "format": "date", "pattern": f"^{YEARS}-"}
INSTANT_PARAM = {"type": "string", "format": "date-time", "pattern": f"^{YEARS}-"}
WHEN = either(DAY_PARAM, INSTANT_PARAM)
COUNTRY = {"type": "string", "pattern": "^[A-Za-z]{2}$"}
FLAG = {"type": "string", "enum": sorted(TRUE | FALSE)}
RANGE = f"between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"
ERRORS = {
    "400": {"$ref": "#/components/responses/BadParameter"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "414": {"$ref": "#/components/responses/UriTooLong"},
}


def document(*, bodies: Sequence[str], per_page: int, max_per_page: int) -> Schema:
    """The OpenAPI document; *bodies* are the known slugs, the choices of ``body``."""
    body = one_of(sorted(bodies)) if bodies else STRING
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "blgcal API", "version": "1",
            "description": "The read-only calendar of the Biodiversity-related Conventions. "
                           "Errors are {\"error\": {\"code\", \"message\", \"field\"}}, field "
                           "naming the offending parameter.",
        },
        "paths": {
            "/api/v1/events": {"get": _events(body, per_page, max_per_page)},
            "/api/v1/events/{event_id}": {"get": _event()},
            "/api/v1/bodies": {"get": _operation(
                "listBodies", "The conventions and bodies", [],
                _ok(shape({"bodies": array(_ref("Body"))})))},
            "/api/v1/clashes": {"get": _clashes(body)},
            "/api/v1/opportunities": {"get": _operation(
                "listOpportunities", "Moments for joint communication",
                _window() + [_many("body", body, "Bodies taking part."),
                             _many("kind", one_of(OPPORTUNITY_KINDS), "Kinds of opportunity.")],
                _ok(shape({"opportunities": array(_ref("Opportunity"))})), "400")},
            "/api/v1/slots": {"get": _slots(body)},
            "/api/v1/feeds/count": {"get": _feed_count(body)},
            "/api/v1/openapi.json": {"get": _operation(
                "openapi", "This document", [],
                {"description": "OpenAPI 3.1", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["openapi", "paths"]}}}})},
        },
        "components": {
            "schemas": {
                "Event": schemas.EVENT, "Body": schemas.BODY, "Clash": schemas.CLASH,
                "Opportunity": schemas.OPPORTUNITY, "SlotSearch": SLOT_SEARCH,
                "FeedCount": schemas.FEED_COUNT, "Error": schemas.ERROR,
            },
            "responses": {
                "BadParameter": _error("A malformed or contradictory parameter, named in field."),
                "NotFound": _error("No such thing (or not public)."),
                "UriTooLong": {"description": "The request line is past the HTTP server's limit "
                                              "(gunicorn's is 4094 bytes): the server's page, "
                                              "not the app's JSON."},
            },
        },
    }


def _events(body: Schema, per_page: int, max_per_page: int) -> Schema:
    page = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}
    size = {"type": "integer", "minimum": 1, "maximum": max_per_page, "default": per_page}
    listing = shape({"events": array(_ref("Event")), "next": either(schemas.URL, schemas.NULL)},
                    "A page of events, soonest first; next is the following page, same filters.")
    conditional = {"name": "If-None-Match", "in": "header", "schema": STRING,
                   "description": "The ETag of an earlier answer: 304 while the data is unchanged."}
    return _operation(
        "listEvents", "Public events matching the filters", [
            *_event_filters(body), _one("page", page, "The page, from 1."),
            _one("per_page", size, "Events per page."), conditional],
        _ok(listing, headers={"ETag": {"schema": STRING}}), "400",
        extra={"304": {"description": "Not modified since the ETag given."}})


def _event() -> Schema:
    ident = {"name": "event_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
    return _operation("getEvent", "One public event", [ident], _ok(_ref("Event")), "404")


def _clashes(body: Schema) -> Schema:
    return _operation(
        "listClashes", "Events that should not coincide", _window() + [
            _many("body", body, "Bodies involved."),
            _many("kind", one_of(CLASH_KINDS), "Kinds of clash."),
            _many("severity", one_of(Severity), "Severities."),
            _one("acknowledged", FLAG, "1 also lists the clashes an editor acknowledged.")],
        _ok(shape({"clashes": array(_ref("Clash"))})), "400")


def _slots(body: Schema) -> Schema:
    window = (f"The window ({RANGE}), at most {MAX_WINDOW_DAYS} days; from defaults to today "
              f"and the window to {DEFAULT_WINDOW_DAYS} days.")
    numbers = {name: {"type": "integer", "minimum": low, "maximum": high, "default": default}
               for name, (default, low, high) in NUMBERS.items()}
    place = "In person: a city with its country, or near=<event id>, not both."
    return _operation(
        "findSlots", "Free dates or times for a meeting", [
            _many("body", body, "Required bodies (blg: every BLG member).", required=True),
            _many("optional", body, "Bodies that should come if they can."),
            _one("from", WHEN, window), _one("to", WHEN, window),
            _one("mode", one_of(Mode), "in_person (days) or virtual (minutes)."),
            _one("days", numbers["days"], "In person: length in working days."),
            _one("minutes", numbers["minutes"], "Virtual: length in minutes."),
            _one("city", STRING, place), _one("country", COUNTRY, place),
            _one("near", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, place),
            _one("hours", {"type": "string", "pattern": HOURS.pattern},
                 "Virtual: office hours, like 09:00-18:00."),
            _one("repeat", numbers["repeat"], "Virtual: meetings in the series."),
            _one("every", one_of(Every), "Virtual: the spacing of the series."),
            _one("buffer", numbers["buffer"], "Days kept free around a governing body."),
            _one("limit", numbers["limit"], "Slots listed.")],
        _ok(_ref("SlotSearch")), "400")


def _feed_count(body: Schema) -> Schema:
    return _operation(
        "countFeed", "The size and subscribe links of a custom feed",
        [*_event_filters(body),
         _one("observances", FLAG, "1 adds the international days.")],
        _ok(_ref("FeedCount")), "400")


def _event_filters(body: Schema) -> list[Schema]:
    tag = {"type": "string", "pattern": TAG.pattern.replace("a-z", "A-Za-z")}
    return [
        *_window(),
        _many("body", body, "Bodies."), _many("kind", one_of(Kind), "Kinds."),
        _many("status", one_of(Status), "Statuses."),
        _many("country", COUNTRY, "ISO 3166 alpha-2 countries of the venue."),
        _many("tag", tag, "Tags."),
        _one("q", {"type": "string", "maxLength": MAX_QUERY}, "Words in the title, code or city."),
    ]


def _window() -> list[Schema]:
    """``from``, ``to`` and ``month``: the shared window, overlapping what it selects."""
    return [
        _one("from", WHEN, f"First day ({RANGE}); a date-time's date counts."),
        _one("to", WHEN, f"Last day ({RANGE}), not before from."),
        _one("month", {"type": "string", "pattern": f"^{YEARS}-(0[1-9]|1[0-2])$"},
             "A whole month, YYYY-MM; replaces from and to."),
    ]


def _one(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "description": description, "schema": schema}


def _many(name: str, item: Schema, description: str, *, required: bool = False) -> Schema:
    """A parameter that may repeat; a comma-separated value is split too."""
    parameter = {"name": name, "in": "query", "style": "form", "explode": True,
                 "description": f"{description} Repeatable, or comma-separated.",
                 "schema": {**array(item), "minItems": 1} if required else array(item)}
    return {**parameter, "required": True} if required else parameter


def _operation(operation_id: str, summary: str, parameters: list[Schema], ok: Schema,
               *errors: str, extra: dict[str, Schema] | None = None) -> Schema:
    responses = {"200": ok, **(extra or {}), **{status: ERRORS[status] for status in errors}}
    if any(parameter["in"] == "query" for parameter in parameters):
        responses["414"] = ERRORS["414"]
    return {"operationId": operation_id, "summary": summary, "parameters": parameters,
            "responses": responses}


def _ok(schema: Schema, *, headers: dict[str, Any] | None = None) -> Schema:
    answer = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    return {**answer, "headers": headers} if headers else answer


def _error(description: str) -> Schema:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}
