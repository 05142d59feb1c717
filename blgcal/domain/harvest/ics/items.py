"""Turn the occurrences read into harvested items, keyed by (UID, RECURRENCE-ID).

The RECURRENCE-ID is set for occurrences of recurring series only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from blgcal.domain.harvest.ics.convert import Occurrence, as_utc, to_event, uid_of
from blgcal.domain.harvest.ics.notes import Notes
from blgcal.domain.harvest.ics.plain import Plain
from blgcal.domain.harvest.records import HarvestedItem, ParseError, Problem
from blgcal.domain.harvest.screen import screened
from blgcal.domain.types import Kind


def recurring(calendar: Any) -> set[str]:
    """The UIDs of *calendar*'s series: a VEVENT with an RRULE, RDATE or RECURRENCE-ID."""
    return {uid_of(e) for e in calendar.walk("VEVENT")
            if {"RRULE", "RDATE", "RECURRENCE-ID"} & set(e)}


def in_file_order(uids: list[str], plain: dict[int, Plain],
                  library: list[Occurrence]) -> list[Occurrence]:
    """Series by the first VEVENT of their UID, as the library path orders them."""
    series: dict[str, list[Occurrence]] = defaultdict(list)
    for occurrence in library:
        series[occurrence.uid].append(occurrence)
    ordered: list[Occurrence] = []
    for index, uid in enumerate(uids):
        if index in plain:
            ordered.extend(o for o in (plain[index].occurrence,) if o is not None)
        elif uid in series:
            ordered.extend(series.pop(uid))
    return [*ordered, *(o for left in series.values() for o in left)]


def items(occurrences: list[Occurrence], series_uids: set[str], *, defaults: tuple[str, Kind],
          notes: Notes, source: str) -> tuple[HarvestedItem, ...]:
    """One item per occurrence, by start; refuse the file if any cannot be an event.

    :param series_uids: the UIDs of recurring series (their items get a RECURRENCE-ID).
    :param defaults: the organiser and the kind of events that name none.
    """
    series: dict[str, list[Occurrence]] = defaultdict(list)
    # Stable: occurrences starting together keep the file's order.
    for occurrence in sorted(occurrences, key=Occurrence.start_key):
        series[occurrence.uid].append(occurrence)
    found, problems = [], []
    for uid, listed in series.items():
        for occurrence, recurrence in _keyed(listed, uid in series_uids):
            try:
                found.append(_item(occurrence, recurrence, defaults, notes.warnings[uid]))
            except ValueError as exc:
                problems.append(Problem(notes.place(uid), str(exc)))
    if problems:
        raise ParseError(source, problems)
    return tuple(found)


def _keyed(found: list[Occurrence], recurring: bool) -> list[tuple[Occurrence, str | None]]:
    """Each occurrence with its item's recurrence key, unique within the series.

    ``recurring-ical-events`` gives every occurrence a RECURRENCE-ID; those a
    ``RECURRENCE-ID;RANGE=THISANDFUTURE`` override moves share the override's
    own. The first (the override) keeps it, the later ones add their start
    ("20240913T120000Z+20240917T090000Z"). An occurrence repeated exactly is
    kept once.
    """
    if not recurring:
        return [(occurrence, None) for occurrence in found]
    keyed: list[tuple[Occurrence, str | None]] = []
    seen: set[str] = set()
    for occurrence in found:
        key = _recurrence_id(occurrence.recurrence_id)
        if key in seen:
            key = f"{key}+{_recurrence_id(occurrence.start)}"
            if key in seen:
                continue
        seen.add(key)
        keyed.append((occurrence, key))
    return keyed


def _item(occurrence: Occurrence, recurrence_id: str | None, defaults: tuple[str, Kind],
          warnings: list[str]) -> HarvestedItem:
    event = to_event(occurrence, body=defaults[0], kind=defaults[1], warnings=warnings)
    item = screened(HarvestedItem(external_uid=event.uid, event=event, recurrence_id=recurrence_id,
                                  source_url=event.url), strict_urls=False)
    warnings += item.warnings
    return replace(item, warnings=tuple(dict.fromkeys(warnings)))


def _recurrence_id(value: date | None) -> str:
    """RFC 5545 3.8.4.4 form: UTC for date-times, plain for dates."""
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y%m%dT%H%M%SZ")
    assert value is not None  # the library sets RECURRENCE-ID on every occurrence of a series
    return value.strftime("%Y%m%d")
