"""Check each VEVENT ``icalendar`` read, with the line of each problem.

Damage to a property that changes when or whether the event happens refuses
the file; damage to any other property is a warning and the property is
ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from blgcal.domain.harvest.ics.convert import uid_of
from blgcal.domain.harvest.ics.notes import Notes
from blgcal.domain.harvest.ics.scan import EventLines
from blgcal.domain.harvest.records import ParseError, Problem

# Properties whose damage changes when or whether the event happens.
ESSENTIAL = frozenset({"UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
                       "RECURRENCE-ID"})
# Properties a VEVENT may carry at most once (RFC 5545 3.6.1).
ONCE = ("UID", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE",
        "STATUS", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "CLASS")


def check_events(calendar: Any, events: list[EventLines], source: str, notes: Notes) -> None:
    """Refuse the file if a VEVENT is damaged where it matters; note the rest.

    *events* are the scanned lines of the VEVENTs in *calendar*, in order.
    """
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for event, where in zip(calendar.walk("VEVENT"), events):
        uid = uid_of(event)
        problems += _damage(event, where, notes.warnings[uid])
        if any(isinstance(event.get(name), list) for name in ONCE):
            continue
        if "DTSTART" in event and not problems and (wrong := _times_problem(event)):
            problems.append(Problem(f"line {where.line_of('DTEND')}", wrong))
        key = (uid, str(event.get("RECURRENCE-ID", "")))
        if uid and key in seen:
            problems.append(Problem(f"line {where.begin}", f"UID {uid!r} repeats the event"
                                    f" on line {seen[key]}"))
        seen.setdefault(key, where.begin)
    if problems:
        raise ParseError(source, problems)


def _damage(event: Any, where: EventLines, warnings: list[str]) -> list[Problem]:
    """The problems of one VEVENT's properties; warnings for those it can do without."""
    problems: list[Problem] = []
    for name, message in event.errors:
        if name is None:  # a line icalendar could not split into name and value
            warnings.append(f"line {where.begin}: in this VEVENT: {message} (ignored)")
            continue
        text = f"property {name}: {message}"
        if name.upper() in ESSENTIAL:
            problems.append(Problem(f"line {where.line_of(name)}", text))
        else:
            warnings.append(f"line {where.line_of(name)}: {text} (ignored)")
    for name in ("UID", "DTSTART"):
        if name not in event:
            problems.append(Problem(f"line {where.begin}", f"VEVENT has no {name}"
                                    " (RFC 5545 3.6.1 requires one)"))
    return problems + [Problem(f"line {where.line_of(name)}", f"{name} appears more than once "
                               "(RFC 5545 3.6.1 allows one)")
                       for name in ONCE if isinstance(event.get(name), list)]


def _times_problem(event: Any) -> str | None:
    """Check DTEND against DTSTART (RFC 5545 3.6.1) before expansion hides it.

    ``recurring-ical-events`` silently swaps an end before the start.
    """
    start = event.decoded("DTSTART")
    if "DTEND" not in event:
        return None
    end = event.decoded("DTEND")
    if isinstance(start, datetime) != isinstance(end, datetime):
        return "DTSTART and DTEND must both be dates or both date-times (RFC 5545 3.6.1)"
    try:
        before = end < start
    except TypeError:  # one floating, one zoned: nothing to compare
        return None
    return f"DTEND {end} is before DTSTART {start}" if before else None
