"""What a person changed in a form, applied onto the stored event.

A form shows only some fields, and shows some of them lossily (times to the
minute, tags folded to lower case). Saving must never write what the person
did not touch: comparing what they submitted with what the form showed them
tells the fields they changed, and only those are taken; every other field
keeps its stored value exactly, including fields the form does not show at
all (``source_url``). The dates and times are one unit: changing the timing
from dates to times replaces all four together. The expected window is its
own field, so fixing a date keeps it; choosing real dates for an undated
event (the form then submits no window) clears it, as the person asked.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from blgcal.domain.changes import UNHASHED_FIELDS, changed_fields
from blgcal.domain.types import Event

WHEN = ("start_date", "end_date", "start_dt", "end_dt")
UNITS: tuple[tuple[str, ...], ...] = (WHEN, *(
    (f.name,) for f in fields(Event) if f.name not in WHEN and f.name not in UNHASHED_FIELDS))


def edited_units(shown: Event, submitted: Event) -> list[tuple[str, ...]]:
    """The units of fields whose submitted value differs from the one shown."""
    return [unit for unit in UNITS
            if any(getattr(shown, name) != getattr(submitted, name) for name in unit)]


def apply_edits(stored: Event, shown: Event, submitted: Event) -> Event:
    """*stored* with the units the person changed between *shown* and *submitted*."""
    values: dict[str, Any] = {name: getattr(submitted, name)
                              for unit in edited_units(shown, submitted) for name in unit}
    return replace(stored, **values) if values else stored


def edited_fields(shown: Event, submitted: Event) -> tuple[str, ...]:
    """The names of the fields the person changed, unit by unit."""
    return tuple(name for unit in edited_units(shown, submitted) for name in unit
                 if getattr(shown, name) != getattr(submitted, name))


@dataclass(frozen=True, slots=True)
class Difference:
    """One field of a conflicting edit: as the person found it, as stored now, as they want it.

    ``yours`` is only meaningful when ``mine``; ``theirs`` says someone else
    changed it meanwhile. Both at once is a real clash of edits.
    """

    name: str
    found: Any
    stored: Any
    yours: Any
    mine: bool
    theirs: bool


def differences(found: Event | None, stored: Event, shown: Event,
                submitted: Event) -> list[Difference]:
    """The fields the person changed or someone else changed since *found*.

    :param found: the event as it was when the form was shown, if known.
    :param shown: *found* (or *stored*) as the form showed it.
    """
    mine = set(edited_fields(shown, submitted))
    theirs = set() if found is None else set(changed_fields(found, stored))
    base = found or stored
    return [Difference(f.name, getattr(base, f.name), getattr(stored, f.name),
                       getattr(submitted, f.name), f.name in mine, f.name in theirs)
            for f in fields(Event) if f.name in mine | theirs]
