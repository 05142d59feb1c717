"""Bound what a file's recurring series may cost, before and while they are expanded.

Before: a file listing more than ``limits.rdates`` RDATE values, or whose
series ask for more than ``limits.total_periods`` rule repetitions, is refused
whole; a series :mod:`.rules` judges too costly is dropped with a warning. An
empty ``RRULE:`` is dropped (the event happens once). While: each series
keeps at most ``limits.series_occurrences`` (a cut is a warning), and a file
whose series keep more than ``limits.occurrences`` in all is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

from blgcal.domain.harvest.ics.convert import Occurrence, occurrence_of, uid_of
from blgcal.domain.harvest.ics.expand import Series
from blgcal.domain.harvest.ics.notes import Notes
from blgcal.domain.harvest.ics.rules import periods, refuse_reason
from blgcal.domain.harvest.ics.scan import Scan
from blgcal.domain.harvest.limits import ParseLimits
from blgcal.domain.harvest.records import CUT, REFUSED, ParseError, Problem
from blgcal.domain.harvest.window import HarvestWindow


def check_rdates(shape: Scan, source: str, limits: ParseLimits) -> None:
    """Refuse a file listing more RDATE values than ``limits.rdates``, before reading them."""
    listed = 0
    for number, line in shape.lines:
        if line[:6].upper() in ("RDATE:", "RDATE;"):
            listed += line.count(",") + 1
            if listed > limits.rdates:
                raise ParseError(source, [Problem(f"line {number}", f"the file lists more than"
                                                  f" {limits.rdates:,} RDATE dates; blgcal reads"
                                                  " at most that many from one file")])


def skip_unsafe_series(calendar: Any, window: HarvestWindow, bound: tuple[str, ParseLimits],
                       notes: Notes) -> None:
    """Drop the series too costly to expand, with a warning; refuse a file that asks too much in all."""
    source, limits = bound
    refused: set[str] = set()
    walked = 0
    for event in calendar.walk("VEVENT"):
        if "RRULE" in event and "RECURRENCE-ID" not in event:
            uid = uid_of(event)
            rules = event["RRULE"] if isinstance(event["RRULE"], list) else [event["RRULE"]]
            if not any(dict(rule) for rule in rules):
                event.pop("RRULE")
                notes.warnings[uid].append(f"{notes.where.get(uid, 'a VEVENT')}: empty RRULE:"
                                           " read as a single event")
                continue
            _until_dates_to_times(event.decoded("DTSTART"), rules)
            for rule in rules:
                # Counted before refuse_reason's probe, which walks as far again.
                walked += _periods_within(dict(rule), event.decoded("DTSTART"), window, limits)
                if walked > limits.total_periods:
                    raise ParseError(source, [Problem(notes.place(uid), (
                        f"the recurring series ask for more than {limits.total_periods:,} repetitions"
                        " from their starts to the window's end; blgcal walks at most that many"
                        " for one file"))])
                reason = refuse_reason(dict(rule), event.decoded("DTSTART"), window,
                                       limit=limits.periods)
                if reason:
                    refused.add(uid)
                    notes.warnings[uid].append(f"{REFUSED}: RRULE {reason}")
    if refused:
        calendar.subcomponents = [c for c in calendar.subcomponents
                                  if c.name != "VEVENT" or uid_of(c) not in refused]


def within_budget(found: Iterator[Series], recurring: set[str], bound: tuple[str, ParseLimits],
                  notes: Notes, today: date) -> list[Occurrence]:
    """Read the series one by one, warning of cuts; refuse the file past its occurrence budget."""
    source, limits = bound
    occurrences: list[Occurrence] = []
    spent = 0
    for series in found:
        if series.total > len(series.occurrences):
            notes.warnings[series.uid].append(
                f"{CUT}: {series.total} occurrences in the window: only the"
                f" {limits.series_occurrences} nearest to {today} going forward are imported"
                " (earlier ones cut first)")
        if series.uid in recurring:
            spent += len(series.occurrences)
            if spent > limits.occurrences:
                raise ParseError(source, [Problem(notes.place(series.uid), (
                    f"the file expands to more than {limits.occurrences:,} occurrences of"
                    f" recurring series (each series keeps at most {limits.series_occurrences:,});"
                    " a meetings calendar needs far fewer: are series missing COUNT or UNTIL?"))])
        occurrences += [occurrence_of(component) for component in series.occurrences]
    return occurrences


def _until_dates_to_times(start: date, rules: list[Any]) -> None:
    """Read Google's UNTIL=<date> on a series of timed *start* as the end of that day.

    RFC 5545 3.3.10 wants UNTIL of DTSTART's type; taken as midnight, the
    date would drop the last occurrence its author meant to keep.
    """
    if not isinstance(start, datetime):
        return
    for rule in rules:
        until = rule.get("UNTIL", [None])[0]
        if isinstance(until, date) and not isinstance(until, datetime):
            end = datetime.combine(until, time(23, 59, 59), start.tzinfo)
            rule["UNTIL"] = [end.astimezone(UTC) if start.tzinfo else end]


def _periods_within(rule: dict[str, list[object]], start: date, window: HarvestWindow,
                    limits: ParseLimits) -> int:
    """The repetitions a rule walks, or 0 for one refused alone for walking too many."""
    walked = periods(rule, start, window)
    return walked if walked <= limits.periods else 0
