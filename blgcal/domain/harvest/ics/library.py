"""Let ``icalendar`` read what the plain reader leaves, and locate what it refuses."""

from __future__ import annotations

from typing import Any

import icalendar

from blgcal.domain.harvest.ics.scan import EventLines, Scan, ScanError, scan
from blgcal.domain.harvest.limits import EXHAUSTED
from blgcal.domain.harvest.records import ParseError, Problem


def scanned(data: bytes | str, source: str) -> Scan:
    """The file's shape (:mod:`.scan`), its fault a located :class:`ParseError`."""
    try:
        return scan(data)
    except ScanError as exc:
        raise ParseError(source, [exc.problem]) from None


def read_calendar(shape: Scan, source: str, skip: list[EventLines]) -> Any:
    """Let ``icalendar`` read the file, without the VEVENTs in *skip*.

    Several VCALENDARs are one stream (RFC 5545 3.4): the components of the
    later ones join the first.
    """
    text = shape.text
    if skip:
        gone = {index for lines in skip for index in range(lines.first, lines.last + 1)}
        text = "\r\n".join(line for index, (_, line) in enumerate(shape.lines)
                            if index not in gone) + "\r\n"
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except EXHAUSTED:
        raise
    # icalendar is a third-party tolerant reader: whatever it raises means
    # "cannot read this", and must reach the user as a located ParseError.
    except Exception as exc:  # noqa: BLE001
        where = shape.locate(str(exc)) or _culprit(shape)
        raise ParseError(source, [Problem(where, f"cannot read iCalendar: {exc}"[:300])]) from None
    first = calendars[0]
    for other in calendars[1:]:
        first.subcomponents.extend(other.subcomponents)
    return first


def _culprit(shape: Scan) -> str:
    """The first component ``icalendar`` cannot read alone (its BEGIN line), else line 1."""
    opened: list[int] = []
    for index, (_number, line) in enumerate(shape.lines):
        word = line.strip().upper()
        if word.startswith("BEGIN:") and word != "BEGIN:VCALENDAR":
            opened.append(index)
        elif word.startswith("END:") and word != "END:VCALENDAR" and opened:
            start = opened.pop()
            if opened:
                continue  # judge top-level components whole
            chunk = [text for _, text in shape.lines[start:index + 1]]
            try:
                icalendar.Calendar.from_ical("\r\n".join(
                    ["BEGIN:VCALENDAR", *chunk, "END:VCALENDAR", ""]))
            except Exception:  # noqa: BLE001 (this is the component icalendar refuses)
                return f"line {shape.lines[start][0]} (in this {word[4:]})"
    return f"line {shape.lines[0][0]}"
