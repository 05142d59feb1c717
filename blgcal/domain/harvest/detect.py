"""Pick the parser for a file: by its content, the source's kind or the file's extension."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from blgcal.domain.harvest import odata
from blgcal.domain.harvest.cbd_solr import next_url as cbd_next_url
from blgcal.domain.harvest.cbd_solr import parse_cbd_solr
from blgcal.domain.harvest.ics.read import parse_ics
from blgcal.domain.harvest.informea import parse_informea
from blgcal.domain.harvest.limits import ParseLimits, check_items
from blgcal.domain.harvest.meetings_csv import parse_meetings_csv
from blgcal.domain.harvest.records import ParseError, ParseResult, Problem
from blgcal.domain.harvest.sources import SourceKind, spoken
from blgcal.domain.harvest.window import HarvestWindow
from blgcal.domain.types import Kind

#: File extensions other than the kinds' own names.
EXTENSIONS = {"ical": SourceKind.ICS, "ifb": SourceKind.ICS, "json": SourceKind.INFORMEA}


SOLR_FIELDS = ("symbol_s", "title_EN_t", "startDate_dt", "schema_s")


def sniff(data: bytes) -> SourceKind | None:
    """The parser kind the content itself shows, or None when it shows none.

    ``BEGIN:VCALENDAR`` is iCalendar; JSON with a Solr ``response`` or
    documents carrying the CBD index's fields is the CBD's; any other JSON
    object or list is InforMEA; text whose first line names a ``title``
    column is the meetings CSV.
    """
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:15].upper() == b"BEGIN:VCALENDAR":
        return SourceKind.ICS
    if head[:1] in (b"{", b"["):
        solr = b'"response"' in head[:200] or any(f'"{name}"'.encode() in head for name in SOLR_FIELDS)
        return SourceKind.CBD if solr else SourceKind.INFORMEA
    first = head.split(b"\n", 1)[0].lower()
    return SourceKind.CSV if b"," in first and b"title" in first else None


def kind_for(name: str) -> SourceKind | None:
    """The parser kind for a source kind or a file name ("x.ics" -> "ics")."""
    key = name.rsplit(".", 1)[-1].lower() if "." in name else name.lower()
    return SourceKind(key) if key in SourceKind._value2member_map_ else EXTENSIONS.get(key)


def parse_file(data: bytes, *, kind: str, source: str, default_body: str,
               known_bodies: frozenset[str] | None = None,
               window: HarvestWindow | None = None,
               today: date | None = None,
               default_kind: Kind = Kind.GOVERNING_BODY, more: Sequence[bytes] = (),
               deferred: Mapping[str, bytes] | None = None,
               zone: str | None = None, limits: ParseLimits = ParseLimits()) -> ParseResult:
    """Parse *data* as *kind* (a :class:`.SourceKind`'s value or a file extension).

    Text must be UTF-8 (RFC 5545 3.1.4 for iCalendar, RFC 8259 8.1 for JSON);
    invalid bytes are reported with their line. iCalendar needs a *window*:
    recurring series are only expanded inside it, and a capped series keeps
    the occurrences nearest to *today* going forward. Items the kinds rule
    (:mod:`.kinds`) cannot place get *default_kind*. Paged JSON sources give
    their later pages as *more*, InforMEA its ``__deferred`` bodies as
    *deferred*; *zone* is the source's zone for times given without one.
    No file gives more than ``limits.items`` items (:mod:`.limits`).

    :raises ParseError: for an unknown kind or anything wrong in the file.
    """
    parser = kind_for(kind)
    if parser is None:
        raise ParseError(source, [Problem("", f"unknown kind {kind!r}: expected {spoken(SourceKind)}")])
    text = _decode(data, source)
    if parser is SourceKind.ICS:
        if window is None:
            raise ValueError("parsing iCalendar needs a window to expand recurrences in")
        return parse_ics(text, source=source, default_body=default_body, window=window,
                         today=today, default_kind=default_kind, limits=limits)
    if parser is SourceKind.INFORMEA:
        result = parse_informea(text, source=source, default_body=default_body,
                                known_bodies=known_bodies, default_kind=default_kind, more=more,
                                deferred=deferred, zone=zone)
    elif parser is SourceKind.CBD:
        result = parse_cbd_solr(text, source=source, default_body=default_body, more=more,
                                default_kind=default_kind)
    else:
        result = parse_meetings_csv(text, source=source, default_body=default_body,
                                    known_bodies=known_bodies, default_kind=default_kind)
    check_items(len(result.items), source, limits)
    return result


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise ParseError(source, [Problem(f"line {line}", f"invalid UTF-8 (byte 0x{byte});"
                                          " save the file as UTF-8")]) from None


def next_url(kind: str, data: bytes, url: str) -> str | None:
    """The next page of a paged source (InforMEA, the CBD's Solr), or None."""
    if kind == SourceKind.INFORMEA:
        return odata.next_url(data, url)
    if kind == SourceKind.CBD:
        return cbd_next_url(data, url)
    return None
