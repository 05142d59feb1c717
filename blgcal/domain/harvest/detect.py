"""Pick the parser for a file by the source's kind or the file's extension."""

from __future__ import annotations

from datetime import date

from blgcal.domain.harvest.ics import parse_ics
from blgcal.domain.harvest.informea import parse_informea
from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.harvest.records import ParseError, ParseResult, Problem

KINDS = {"ics": "ics", "ical": "ics", "ifb": "ics", "csv": "csv", "json": "informea",
         "informea": "informea"}


def kind_for(name: str) -> str | None:
    """The parser kind for a source kind or a file name ("x.ics" -> "ics")."""
    key = name.rsplit(".", 1)[-1].lower() if "." in name else name.lower()
    return KINDS.get(key)


def parse_file(data: bytes, *, kind: str, source: str, default_body: str,
               known_bodies: frozenset[str] | None = None,
               window: tuple[date, date] | None = None,
               today: date | None = None) -> ParseResult:
    """Parse *data* as *kind* (``ics``, ``csv``, ``informea`` or an extension).

    Text must be UTF-8 (RFC 5545 3.1.4 for iCalendar, RFC 8259 8.1 for JSON);
    invalid bytes are reported with their line. iCalendar needs a *window*:
    recurring series are only expanded inside it, and a capped series keeps
    the occurrences nearest to *today* going forward.

    :raises ParseError: for an unknown kind or anything wrong in the file.
    """
    parser = kind_for(kind)
    if parser is None:
        raise ParseError(source, [Problem("", f"unknown kind {kind!r}: expected ics, csv or informea")])
    text = _decode(data, source)
    if parser == "ics":
        if window is None:
            raise ValueError("parsing iCalendar needs a window to expand recurrences in")
        return parse_ics(text, source=source, default_body=default_body, window=window,
                         today=today)
    if parser == "informea":
        return parse_informea(text, source=source, default_body=default_body,
                              known_bodies=known_bodies)
    return parse_meetings_csv(text, source=source, default_body=default_body,
                              known_bodies=known_bodies)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise ParseError(source, [Problem(f"line {line}", f"invalid UTF-8 (byte 0x{byte});"
                                          " save the file as UTF-8")]) from None
