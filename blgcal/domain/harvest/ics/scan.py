"""Check an iCalendar file's shape before ``icalendar`` sees it, with line numbers.

``icalendar`` is tolerant and says little about *where* a problem is, so this
pass decodes the bytes, unfolds content lines (RFC 5545 3.1) while remembering
the physical line each one starts on, and checks what needs no parsing:
text rather than binary or HTML, balanced BEGIN/END, bounded nesting, and
nothing but VCALENDARs at the top (several in one file are one stream, as
RFC 5545 3.4 allows). It also records where each VEVENT and its properties start, so
later complaints (``event.errors``) can name a line, and which logical lines
each VEVENT spans, so plain events can be read without ``icalendar``
(:mod:`.plain`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blgcal.domain.harvest.limits import MAX_NESTING
from blgcal.domain.harvest.records import Problem

# C0 controls other than HTAB, LF and CR are not allowed in content (RFC 5545 3.1).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NAME = re.compile(r"^[A-Za-z0-9-]+(?=[;:])")
# Line breaks that str.splitlines() honours but icalendar does not (it splits
# on CRLF and LF only): with any of them the logical lines here are not
# icalendar's, so nothing may be read past icalendar.
OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class ScanError(ValueError):
    """The file fails the shape check; carries one located :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(slots=True)
class EventLines:
    """Where one VEVENT starts, and where each of its properties first appears.

    ``first`` and ``last`` index its BEGIN and END in :attr:`Scan.lines`;
    ``depth`` is 1 for a VEVENT directly inside the VCALENDAR; ``children``
    counts its subcomponents; ``uids`` indexes every UID line inside it.
    """

    begin: int
    properties: dict[str, int] = field(default_factory=dict)
    first: int = 0
    last: int = 0
    depth: int = 1
    children: int = 0
    uids: list[int] = field(default_factory=list)

    def line_of(self, name: str) -> int:
        return self.properties.get(name.upper(), self.begin)


@dataclass(slots=True)
class Scan:
    """The decoded text, its logical lines (first physical line number, text), its VEVENTs.

    ``top`` indexes the VCALENDARs' own property lines; ``simple_breaks``
    says the lines end in CRLF or LF only, so they are icalendar's lines too;
    ``calendars`` counts the VCALENDARs of the stream.
    """

    text: str
    lines: list[tuple[int, str]]
    events: list[EventLines]
    top: list[int] = field(default_factory=list)
    simple_breaks: bool = True
    calendars: int = 1

    def locate(self, message: str) -> str:
        """Name the line an ``icalendar`` error message quotes, if any.

        A message that quotes a whole line names it; else the first line
        whose value the message quotes (``Wrong datetime format: 2006717T``).
        """
        for number, line in self.lines:
            if len(line) > 3 and line in message:
                return f"line {number}"
        for number, line in self.lines:
            value = line.partition(":")[2].strip()
            if len(value) > 3 and value in message:
                return f"line {number}"
        return ""


def decode(data: bytes | str) -> str:
    """Decode UTF-8 strictly (RFC 5545 3.1.4); a leading BOM is dropped."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if (nul := data.find(b"\0")) >= 0:
        line = data[:nul].count(b"\n") + 1
        raise ScanError(Problem(f"line {line}", "binary data (byte 0x00), not iCalendar text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise ScanError(Problem(f"line {line}", f"invalid UTF-8 (byte 0x{byte});"
                                " save the file as UTF-8")) from None


def scan(data: bytes | str) -> Scan:
    """Decode and check *data*; raise :class:`ScanError` at the first fault."""
    text = decode(data)
    lines = unfold(text)
    _check_start(lines)
    events, top = _check_components(lines)
    calendars = sum(1 for _, line in lines if line.strip().upper() == "BEGIN:VCALENDAR")
    return Scan(text, lines, events, top, OTHER_BREAKS.search(text) is None, calendars)


def unfold(text: str) -> list[tuple[int, str]]:
    """Return (first physical line number, logical line), skipping blank lines."""
    if CONTROL.search(text) is not None:  # one pass over the text; find the line only if needed
        _refuse_controls(text)
    logical: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        # A line starting with a space or tab continues the previous one (RFC 5545 3.1).
        if raw[:1] in (" ", "\t") and logical:
            first, previous = logical[-1]
            logical[-1] = (first, previous + raw[1:])
        elif raw.strip():
            logical.append((number, raw))
    return logical


def _refuse_controls(text: str) -> None:
    for number, raw in enumerate(text.splitlines(), start=1):
        if (bad := CONTROL.search(raw)) is not None:
            code = f"0x{ord(bad.group()):02x}"
            raise ScanError(Problem(f"line {number}", f"binary data (byte {code}), not iCalendar text"))


def _check_start(lines: list[tuple[int, str]]) -> None:
    if not lines:
        raise ScanError(Problem("line 1", "the file is empty; expected BEGIN:VCALENDAR"))
    number, first = lines[0]
    if first.lstrip().startswith("<"):
        raise ScanError(Problem(f"line {number}", "this is HTML, not iCalendar"
                                " (a web page was served instead of the calendar)"))
    if first.strip().upper() != "BEGIN:VCALENDAR":
        raise ScanError(Problem(f"line {number}", f"expected BEGIN:VCALENDAR, found {_clip(first)!r}"))


def _check_components(lines: list[tuple[int, str]]) -> tuple[list[EventLines], list[int]]:
    stack: list[tuple[str, int]] = []
    events: list[EventLines] = []
    current: list[EventLines] = []
    top: list[int] = []
    for index, (number, line) in enumerate(lines):
        if not stack and index and line.strip().upper() != "BEGIN:VCALENDAR":
            raise ScanError(Problem(f"line {number}", "content after END:VCALENDAR;"
                                    " expected BEGIN:VCALENDAR or the end of the file"))
        if (name := NAME.match(line)) is None:
            raise ScanError(Problem(f"line {number}", f"not an iCalendar content line: {_clip(line)!r}"))
        keyword = name.group().upper()
        if keyword == "BEGIN":
            if current and len(stack) == current[-1].depth + 1:
                current[-1].children += 1
            _begin(stack, _component(line), number)
            if stack[-1][0] == "VEVENT":
                current.append(EventLines(number, first=index, depth=len(stack) - 1))
                events.append(current[-1])
        elif keyword == "END":
            if _end(stack, _component(line), number) == "VEVENT":
                current.pop().last = index
        elif current:
            current[-1].properties.setdefault(keyword, number)
            if keyword == "UID":
                current[-1].uids.append(index)
        elif len(stack) == 1:
            top.append(index)
    if stack:
        kind, opened = stack[-1]
        last = lines[-1][0]
        raise ScanError(Problem(f"line {last}", f"BEGIN:{kind} on line {opened} is never closed"
                                " (is the file truncated?)"))
    return events, top


def _component(line: str) -> str:
    """The component a BEGIN or END line names."""
    return line.partition(":")[2].strip().upper()


def _begin(stack: list[tuple[str, int]], kind: str, number: int) -> None:
    if len(stack) >= MAX_NESTING:
        raise ScanError(Problem(f"line {number}", f"components nested deeper than {MAX_NESTING}"))
    stack.append((kind, number))


def _end(stack: list[tuple[str, int]], kind: str, number: int) -> str:
    if not stack:
        raise ScanError(Problem(f"line {number}", f"END:{kind} without a BEGIN"))
    opened, opened_at = stack.pop()
    if opened != kind:
        raise ScanError(Problem(f"line {number}", f"END:{kind} closes BEGIN:{opened}"
                                f" from line {opened_at}"))
    return kind


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
