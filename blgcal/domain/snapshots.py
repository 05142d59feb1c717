"""Events as JSON-ready dictionaries, for revisions and restoring them."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, datetime
from typing import Any

from blgcal.domain.types import Event, Kind, Status, Visibility

# Bookkeeping a snapshot leaves out: restoring must not rewind these.
SKIPPED = frozenset({"id", "sequence", "updated_dt"})
DATES = frozenset({"start_date", "end_date"})
INSTANTS = frozenset({"start_dt", "end_dt"})
TUPLES = frozenset({"bodies", "tags", "audience"})
ENUMS: dict[str, type[Kind] | type[Status] | type[Visibility]] = {
    "kind": Kind, "status": Status, "visibility": Visibility}


def to_json(name: str, value: Any) -> Any:
    """One field's value as JSON (dates and instants as ISO 8601 text)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if name in TUPLES:
        return list(value)
    if name in ENUMS:
        return str(value)
    return value


def from_json(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATES:
        return date.fromisoformat(value)
    if name in INSTANTS:
        return datetime.fromisoformat(value)
    if name in TUPLES:
        return tuple(value)
    if name in ENUMS:
        return ENUMS[name](value)
    return value


SNAPSHOT_FIELDS = tuple(f.name for f in fields(Event) if f.name not in SKIPPED)


def snapshot(event: Event) -> dict[str, Any]:
    """Everything the event says, as JSON."""
    return {name: to_json(name, getattr(event, name)) for name in SNAPSHOT_FIELDS}


def restore(state: dict[str, Any], onto: Event) -> Event:
    """*onto* with every field of *state*; bookkeeping stays *onto*'s."""
    known = {f.name for f in fields(Event)} - SKIPPED
    values = {name: from_json(name, value) for name, value in state.items() if name in known}
    return replace(onto, **values)


def diff(changes: dict[str, tuple[object, object]]) -> dict[str, list[Any]]:
    """``changed_fields`` output as JSON: field -> [before, after]."""
    return {name: [to_json(name, old), to_json(name, new)] for name, (old, new) in changes.items()}
