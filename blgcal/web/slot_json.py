"""The JSON of a slot search, shared by ``GET /api/v1/slots`` and ``blgcal slots --json``."""

from __future__ import annotations

from typing import Any

from blgcal.domain.slots import Day, Slot, SlotSearch


def search_json(found: SlotSearch) -> dict[str, Any]:
    """``{"slots": [...], "explanation": {...}, "days": [...]}``, plus series totals."""
    answer: dict[str, Any] = {
        "slots": [slot_json(slot) for slot in found.slots],
        "explanation": {
            "summary": found.explanation.summary,
            "removed": [{"constraint": item.cause.value, "days": item.days,
                         "detail": item.detail} for item in found.explanation.removed],
            "nearest": list(found.explanation.nearest),
        },
        "days": [day_json(day) for day in found.days],
    }
    if found.out_of_hours:
        answer["out_of_hours"] = dict(found.out_of_hours)
    return answer


def slot_json(slot: Slot) -> dict[str, Any]:
    """A slot: all-day ``start``/``end`` dates (end inclusive), or UTC instants."""
    if slot.start_dt is not None and slot.end_dt is not None:
        start, end = slot.start_dt.isoformat(), slot.end_dt.isoformat()
    else:
        assert slot.start_date is not None and slot.end_date is not None
        start, end = slot.start_date.isoformat(), slot.end_date.isoformat()
    return {
        "key": slot.key, "start": start, "end": end, "score": slot.score,
        "reasons": list(slot.reasons), "conflicts": list(slot.conflicts),
        "city": slot.city, "country": slot.country, "venue": slot.venue,
        "local_times": {local.body: {"timezone": local.zone, "start": local.start.isoformat(),
                                     "end": local.end.isoformat(),
                                     "out_of_hours_minutes": local.out_minutes}
                        for local in slot.local_times},
    }


def day_json(day: Day) -> dict[str, Any]:
    return {"date": day.day.isoformat(), "free": day.free, "slot": day.rank,
            "causes": [cause.value for cause in day.causes], "notes": list(day.notes)}
