"""The JSON shapes of the API: a contract other systems rely on (the README's JSON API section).

Each serializer has its JSON Schema (2020-12) beside it, which ``/api/v1/openapi.json`` publishes;
the schemas list every key as required and no other, so a test that validates real answers
against them fails when the two drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from blgcal.domain.clashes import Clash, ClashKind, Severity
from blgcal.domain.opportunities import Opportunity, OpportunityKind
from blgcal.domain.types import Event, Kind, Status
from blgcal.models import Body

if TYPE_CHECKING:  # the feed count's links are made by the web layer
    from blgcal.web.feeds.links import FeedLinks

Schema = dict[str, Any]
STRING: Schema = {"type": "string"}
TEXT: Schema = {"type": ["string", "null"]}
INTEGER: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
DAY: Schema = {"type": "string", "format": "date"}
INSTANT: Schema = {"type": "string", "format": "date-time"}
URL: Schema = {"type": "string", "format": "uri"}
NULL: Schema = {"type": "null"}


def shape(properties: dict[str, Schema], description: str = "", *, optional: Iterable[str] = ()
          ) -> Schema:
    """An object with exactly *properties*, every one present but the *optional* ones."""
    skipped = set(optional)
    found: Schema = {"type": "object", "properties": properties,
                     "required": [name for name in properties if name not in skipped],
                     "additionalProperties": False}
    return {"description": description, **found} if description else found


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def one_of(values: Iterable[StrEnum | str]) -> Schema:
    return {"type": "string", "enum": [str(value) for value in values]}


def either(*schemas: Schema) -> Schema:
    return {"anyOf": list(schemas)}


def event_json(event: Event) -> dict[str, Any]:
    """One event. All-day ``start``/``end`` are dates (end inclusive); timed ones
    are instants at the venue's UTC offset; undated ones are null with ``expected``."""
    start, end = _when(event)
    return {
        "id": event.id,
        "uid": event.uid,
        "code": event.code,
        "title": event.title,
        "bodies": list(event.bodies),
        "kind": event.kind.value,
        "status": event.status.value,
        "all_day": event.start_date is not None,
        "start": start,
        "end": end,
        "expected": event.expected,
        "timezone": event.timezone,
        "city": event.city,
        "country": event.country,
        "venue": event.venue,
        "online": event.online,
        "url": event.url,
        "source_url": event.source_url,
        "parent_id": event.parent_id,
        "tags": list(event.tags),
        "sequence": event.sequence,
        "updated": event.updated_dt.isoformat() if event.updated_dt else None,
    }


EVENT = shape({
    "id": INTEGER, "uid": STRING, "code": TEXT, "title": STRING, "bodies": array(STRING),
    "kind": one_of(Kind), "status": one_of(Status), "all_day": BOOLEAN,
    "start": either(DAY, INSTANT, NULL), "end": either(DAY, INSTANT, NULL), "expected": TEXT,
    "timezone": TEXT, "city": TEXT, "country": TEXT, "venue": TEXT, "online": BOOLEAN,
    "url": TEXT, "source_url": TEXT, "parent_id": either(INTEGER, NULL), "tags": array(STRING),
    "sequence": INTEGER, "updated": either(INSTANT, NULL),
}, "An event: all-day start/end are dates (end inclusive), timed ones instants at the venue's "
   "UTC offset, undated ones null with the expected window in words.")


def _when(event: Event) -> tuple[str | None, str | None]:
    if event.start_date is not None and event.end_date is not None:
        return _iso(event.start_date), _iso(event.end_date)
    if event.start_dt is not None and event.end_dt is not None:
        zone = ZoneInfo(event.timezone or "UTC")
        return _iso(event.start_dt.astimezone(zone)), _iso(event.end_dt.astimezone(zone))
    return None, None


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def body_json(body: Body) -> dict[str, Any]:
    return {
        "slug": body.slug,
        "short_name": body.short_name,
        "name": body.name,
        "blg_member": body.blg_member,
        "city": body.city,
        "country": body.country,
        "timezone": body.timezone,
        "website": body.website,
    }


BODY = shape({"slug": STRING, "short_name": STRING, "name": STRING, "blg_member": BOOLEAN,
              "city": TEXT, "country": TEXT, "timezone": TEXT, "website": TEXT})


def clash_json(clash: Clash, *, acknowledged: bool) -> dict[str, Any]:
    return {
        "kind": clash.kind.value,
        "severity": clash.severity.value,
        "events": [event.id for event in clash.events],
        "explanation": clash.explanation,
        "key": clash.key,
        "acknowledged": acknowledged,
    }


CLASH = shape({"kind": one_of(ClashKind), "severity": one_of(Severity), "events": array(INTEGER),
               "explanation": STRING, "key": STRING, "acknowledged": BOOLEAN},
              "Events that should not coincide; events are their ids.")


def opportunity_json(item: Opportunity) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "bodies": list(item.bodies),
        "events": [event.id for event in item.events],
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "city": item.city,
        "lead_days": item.lead_days,
        "explanation": item.explanation,
        "actions": list(item.actions),
        "key": item.key,
    }


OPPORTUNITY = shape({
    "kind": one_of(OpportunityKind), "bodies": array(STRING), "events": array(INTEGER),
    "start": DAY, "end": DAY, "city": TEXT, "lead_days": INTEGER, "explanation": STRING,
    "actions": array(STRING), "key": STRING,
}, "A moment two or more bodies could communicate jointly.")


def feed_count_json(count: int, links: FeedLinks) -> dict[str, Any]:
    """What the feed builder shows for a filter: how many events, and the subscribe links."""
    return {"count": count, "path": links.path, "url": links.https, "webcal": links.webcal,
            "google": links.google, "outlook": links.outlook, "outlook_work": links.outlook_work,
            "too_long": links.too_long}


FEED_COUNT = shape({
    "count": INTEGER, "path": STRING, "url": URL, "webcal": URL, "google": URL, "outlook": URL,
    "outlook_work": URL, "too_long": BOOLEAN,
}, "The custom feed of the filters: its size, address and subscribe links; too_long means the "
   "address is past the 255 characters Google accepts.")

ERROR = shape({"error": shape({"code": STRING, "message": STRING, "field": TEXT})},
              "What went wrong; field names the offending parameter when there is one.")
