"""Cross-record checks on an event that forms and imports share."""

from __future__ import annotations

from blgcal.domain.types import Event, Kind


def side_event_problem(event: Event, parent: Event | None) -> str | None:
    """Why *event* cannot sit inside *parent*, or None when it can."""
    if parent is None:
        return None
    if parent.id is not None and parent.id == event.id:
        return "An event cannot be part of itself."
    if parent.kind is Kind.SIDE_EVENT:
        return "A side event belongs to a meeting, not to another side event."
    inner, outer = event.local_days(), parent.local_days()
    if inner is None or outer is None:
        return None
    if inner[0] < outer[0] or inner[1] > outer[1]:
        return (f"A side event must fall within its meeting's dates "
                f"({outer[0].isoformat()} to {outer[1].isoformat()}).")
    return None
