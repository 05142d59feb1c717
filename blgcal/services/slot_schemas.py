"""The JSON of a slot search, shared by ``GET /api/v1/slots`` and ``blgcal slots --json``,
each shape with its JSON Schema beside it (see :mod:`blgcal.services.schemas`)."""

from __future__ import annotations

from typing import Any

from blgcal.domain.slots import Day, Slot, SlotSearch
from blgcal.domain.slots.model import Cause
from blgcal.services.schemas import (
    BOOLEAN,
    DAY,
    INSTANT,
    INTEGER,
    NULL,
    STRING,
    TEXT,
    array,
    either,
    one_of,
    shape,
)


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


LOCAL_TIME = shape({"timezone": STRING, "start": INSTANT, "end": INSTANT,
                    "out_of_hours_minutes": INTEGER})
SLOT = shape({
    "key": STRING, "start": either(DAY, INSTANT), "end": either(DAY, INSTANT), "score": INTEGER,
    "reasons": array(STRING), "conflicts": array(STRING), "city": TEXT, "country": TEXT,
    "venue": TEXT, "local_times": {"type": "object", "additionalProperties": LOCAL_TIME},
}, "A slot: all-day start/end dates in person (end inclusive), UTC instants when virtual, "
   "with each secretariat's local times by body slug.")


def day_json(day: Day) -> dict[str, Any]:
    return {"date": day.day.isoformat(), "free": day.free, "slot": day.rank,
            "causes": [cause.value for cause in day.causes], "notes": list(day.notes)}


DAY_VERDICT = shape({"date": DAY, "free": BOOLEAN, "slot": either(INTEGER, NULL),
                     "causes": array(one_of(Cause)), "notes": array(STRING)},
                    "One day of the window: free, or the causes that rule it out; slot is the "
                    "rank of the slot starting that day.")
SLOT_SEARCH = shape({
    "slots": array(SLOT),
    "explanation": shape({
        "summary": STRING,
        "removed": array(shape({"constraint": one_of(Cause), "days": INTEGER, "detail": STRING})),
        "nearest": array(STRING),
    }),
    "days": array(DAY_VERDICT),
    "out_of_hours": {"type": "object", "additionalProperties": INTEGER,
                     "description": "A series only: each body's minutes outside office hours."},
}, "Slots best first, every day's verdict and why.", optional=["out_of_hours"])
