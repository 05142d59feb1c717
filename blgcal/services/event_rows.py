"""The one home of the mapping between the ``event`` table and the domain's Event.

A column copied one to one is named once, in :data:`PLAIN_FIELDS`; the SELECT
of a list, the domain view of an ORM row or of a plain row, and the values an
edit or a bulk insert writes are all derived from it. Adding such a column to
Event touches this module and nothing else in the services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from blgcal.domain.types import Event as EventData
from blgcal.models import Event

#: Columns copied one to one between the row and the domain event.
PLAIN_FIELDS = (
    "uid", "code", "title", "kind", "status", "visibility", "start_date", "end_date",
    "start_dt", "end_dt", "expected", "timezone", "city", "country", "venue", "online",
    "url", "description", "parent_id", "source_url",
)
#: The bookkeeping a domain event carries besides its content.
BOOKKEEPING = ("id", "sequence", "updated_dt")
#: Columns derived from the content (:func:`content_values`) or kept by the row alone.
DERIVED = ("audience", "first_date", "last_date")
ROW_ONLY = ("origin", "version", "created_dt", "deleted_dt", "ical", "ical_tzids")
#: What a list reads to build domain events (organisers and tags come in one query each).
COLUMNS: tuple[Any, ...] = tuple(getattr(Event, name) for name in (*BOOKKEEPING, *PLAIN_FIELDS, "audience"))


def to_domain(row: Event) -> EventData:
    """The domain view of the ORM *row*."""
    return EventData(bodies=row.bodies, tags=row.tags, audience=tuple(row.audience or ()),
                     **{name: getattr(row, name) for name in (*BOOKKEEPING, *PLAIN_FIELDS)})


def to_domain_all(rows: Iterable[Event]) -> list[EventData]:
    return [to_domain(row) for row in rows]


def from_plain(values: Mapping[str, Any], bodies: Iterable[str], tags: Iterable[str]) -> EventData:
    """The domain event of a plain row of :data:`COLUMNS`, with its organisers and tags."""
    return EventData(bodies=tuple(bodies), tags=tuple(tags), audience=tuple(values["audience"] or ()),
                     **{name: values[name] for name in (*BOOKKEEPING, *PLAIN_FIELDS)})


def content_values(event: EventData) -> dict[str, Any]:
    """The columns *event*'s content sets: the plain fields, the audience and its local days."""
    days = event.local_days()
    return {**{name: getattr(event, name) for name in PLAIN_FIELDS}, "audience": list(event.audience),
            "first_date": days[0] if days else None, "last_date": days[1] if days else None}
