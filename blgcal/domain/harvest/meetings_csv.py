"""Read the meetings spreadsheet format (the columns of the shipped seed).

Dated rows have ``start`` and ``end`` (ISO dates, end inclusive); undated rows
have ``expected_window`` instead ("2027-11", "2026-03/2026-04", "2028") and
are stored without dates. A file with any bad row is rejected whole, each
problem named by its line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from blgcal.domain.expected import window_bounds
from blgcal.domain.harvest.kinds import kind_of
from blgcal.domain.harvest.limits import MAX_CSV_FIELD
from blgcal.domain.harvest.records import HarvestedItem, ParseError, ParseResult, Problem
from blgcal.domain.harvest.screen import screened
from blgcal.domain.places import is_country, is_zone
from blgcal.domain.types import Event, Kind, Status
from blgcal.domain.validation import web_url

REQUIRED = ("title",)
DATED = ("start", "end")
KNOWN = frozenset({
    "body", "code", "title", "start", "end", "expected_window", "city", "country", "venue",
    "timezone", "kind", "status", "source_url", "note", "uid", "description", "tags",
    "audience", "url", "online",
})
E = TypeVar("E", Kind, Status)
T = TypeVar("T")
TEMPLATE_COLUMNS = ("body", "code", "title", "start", "end", "city", "country", "venue",
                    "timezone", "kind", "status", "source_url")


def parse_meetings_csv(text: str, *, source: str, default_body: str | None = None,
                       known_bodies: frozenset[str] | None = None,
                       default_kind: Kind = Kind.GOVERNING_BODY) -> ParseResult:
    """Parse *text*; raise :class:`ParseError` naming every bad line.

    A row with an empty ``kind`` gets one by the kinds rule (:mod:`.kinds`)
    over its code and title, else *default_kind*.
    """
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\0extra")
    _check_header(_read(lambda: reader.fieldnames, 1, source), source)
    items, problems = [], []
    while (row := _read(lambda: next(reader, None), reader.line_num + 1, source)) is not None:
        where = f"line {reader.line_num}"
        try:
            items.append(screened(_item(row, default_body, known_bodies, default_kind),
                                  strict_urls=True))
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
    if problems:
        raise ParseError(source, problems)
    _check_unique(items, source)
    return ParseResult(tuple(items))


def _read(step: Callable[[], T], line: int, source: str) -> T:
    """Run one step of the reader, its refusal of a cell too long as a problem on *line*."""
    try:
        return step()
    except csv.Error as exc:
        if "field limit" not in str(exc):
            raise ParseError(source, [Problem(f"line {line}", f"cannot read CSV: {exc}")]) from None
        raise ParseError(source, [Problem(f"line {line}", f"a cell is longer than"
                                          f" {MAX_CSV_FIELD:,} characters (is a quote left"
                                          " open?)")]) from None


def _check_header(names: Sequence[str] | None, source: str) -> None:
    columns = list(names or [])
    if not columns:
        raise ParseError(source, [Problem("line 1", "the file is empty; expected a header row")])
    problems = [Problem("line 1", f"unknown column {name!r}") for name in columns if name not in KNOWN]
    problems += [Problem("line 1", f"missing column {name!r}") for name in REQUIRED
                 if name not in columns]
    if not set(DATED) <= set(columns) and "expected_window" not in columns:
        problems.append(Problem("line 1", "need columns 'start' and 'end', or 'expected_window'"))
    if problems:
        raise ParseError(source, problems)


def _item(row: Mapping[str, object], default_body: str | None,
          known_bodies: frozenset[str] | None, default_kind: Kind) -> HarvestedItem:
    if "\0extra" in row:
        raise ValueError("more cells than columns (is a comma missing its quotes?)")
    if any(value is None for value in row.values()):
        raise ValueError("fewer cells than columns")
    cell = {k: str(v).strip() for k, v in row.items()}
    body = cell.get("body") or default_body
    if not body:
        raise ValueError("column 'body': empty, and no body was given for the import")
    if known_bodies is not None and body not in known_bodies:
        raise ValueError(f"column 'body': unknown body {body!r}")
    if not cell.get("title"):
        raise ValueError("column 'title': empty")
    start, end, expected = _when(cell)
    event = Event(
        uid="", title=cell["title"], bodies=(body,), code=cell.get("code") or None,
        kind=_choice(Kind, cell["kind"], "kind") if cell.get("kind") else
        kind_of(code=cell.get("code", ""), title=cell["title"], default=default_kind),
        status=_choice(Status, cell.get("status") or "confirmed", "status"),
        start_date=start, end_date=end, expected=expected,
        city=cell.get("city") or None, country=_country(cell.get("country", "")),
        venue=cell.get("venue") or None, timezone=_zone(cell.get("timezone", "")),
        url=cell.get("url") or _url(cell.get("source_url", "")),
        description=cell.get("description") or cell.get("note") or None,
        tags=_words(cell.get("tags", "")), audience=_words(cell.get("audience", "")),
        online=cell.get("online", "").lower() in {"yes", "true", "1"},
    )
    external = cell.get("uid") or f"{body}:{event.code or event.title}"
    return HarvestedItem(external_uid=external, event=event,
                         source_url=cell.get("source_url") or None)


def _when(cell: dict[str, str]) -> tuple[date | None, date | None, str | None]:
    if cell.get("start") or cell.get("end"):
        start, end = _date(cell.get("start", ""), "start"), _date(cell.get("end", ""), "end")
        if end < start:
            raise ValueError(f"column 'end': {end} is before start {start}")
        return start, end, None
    window = cell.get("expected_window", "")
    if not window:
        raise ValueError("no dates: give 'start' and 'end', or 'expected_window'")
    try:
        window_bounds(window)
    except ValueError as exc:
        raise ValueError(f"column 'expected_window': {exc}") from None
    return None, None, window


def _date(value: str, column: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"column {column!r}: {value!r} is not a date (YYYY-MM-DD)") from None


def _choice(enum: type[E], value: str, column: str) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValueError(f"column {column!r}: {value!r} is not one of {allowed}") from None


def _country(value: str) -> str | None:
    if value and not is_country(value):
        raise ValueError(f"column 'country': {value!r} is not an ISO 3166 alpha-2 code")
    return value.upper() or None


def _zone(value: str) -> str | None:
    if value and not is_zone(value):
        raise ValueError(f"column 'timezone': {value!r} is not an IANA time zone")
    return value or None


def _url(value: str) -> str | None:
    try:
        return web_url(value) if value else None
    except ValueError:
        return None  # the source_url column's own check says so


def _words(value: str) -> tuple[str, ...]:
    return tuple(sorted({w.strip().lower() for w in re.split(r"[;,]", value) if w.strip()}))


def _check_unique(items: list[HarvestedItem], source: str) -> None:
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if item.external_uid in seen:
            raise ParseError(source, [Problem(f"row {number}", f"duplicate {item.external_uid!r}")])
        seen.add(item.external_uid)
