"""The JSON shapes of the API: a contract other systems rely on (the README's JSON API section)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from blgcal.domain.clashes import Clash
from blgcal.domain.opportunities import Opportunity
from blgcal.domain.types import Event
from blgcal.models import Body


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


def clash_json(clash: Clash, *, acknowledged: bool) -> dict[str, Any]:
    return {
        "kind": clash.kind.value,
        "severity": clash.severity.value,
        "events": [event.id for event in clash.events],
        "explanation": clash.explanation,
        "key": clash.key,
        "acknowledged": acknowledged,
    }


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
