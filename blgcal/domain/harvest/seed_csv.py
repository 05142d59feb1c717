"""Read the shipped bodies and observances tables, with located errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import TypeVar

from blgcal.domain.harvest.records import ParseError, Problem
from blgcal.domain.ids import slugify
from blgcal.domain.observances import validate_rrule
from blgcal.domain.places import is_country, is_zone
from blgcal.domain.types import Body, Observance
from blgcal.domain.validation import (
    FIELD_LIMITS,
    clean_text,
    is_web_url,
    length_problem,
    source_reference,
)

T = TypeVar("T")
BODY_COLUMNS = ("slug", "short_name", "name", "blg_member", "secretariat_city",
                "secretariat_country", "timezone", "website")
OBSERVANCE_COLUMNS = ("name", "rrule", "lead_body", "lead_note", "source_url")
# The widths of the columns these cells are stored in.
CELL_LIMITS = {"short_name": 40, "name": 200, "secretariat_city": 120, "website": 500,
               "rrule": 200, "lead_note": 300, "source_url": FIELD_LIMITS["source_url"]}


def parse_bodies(text: str, *, source: str) -> list[Body]:
    """Parse ``bodies.csv``; raise :class:`ParseError` naming each bad line."""
    return _rows(text, source, BODY_COLUMNS, _body)


def parse_observances(text: str, *, source: str, known_bodies: frozenset[str]) -> list[Observance]:
    """Parse ``observances.csv``; every lead body must be known."""
    return _rows(text, source, OBSERVANCE_COLUMNS, lambda row: _observance(row, known_bodies))


def _rows(text: str, source: str, columns: Sequence[str],
          make: Callable[[dict[str, str]], T]) -> list[T]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    found = list(reader.fieldnames or [])
    if found != list(columns):
        raise ParseError(source, [Problem("line 1", f"expected columns {', '.join(columns)}; "
                                                    f"found {', '.join(found) or 'none'}")])
    items, problems = [], []
    for row in reader:
        try:
            if None in row or any(v is None for v in row.values()):
                raise ValueError("wrong number of cells")
            items.append(make(_cells(row)))
        except ValueError as exc:
            problems.append(Problem(f"line {reader.line_num}", str(exc)))
    if problems:
        raise ParseError(source, problems)
    return items


def _cells(row: dict[str, str]) -> dict[str, str]:
    """The row's cells, clean (:func:`clean_text`) and within :data:`CELL_LIMITS`."""
    cells = {name: clean_text(value or "").strip() for name, value in row.items()}
    too_long = [problem for name, value in cells.items() if name in CELL_LIMITS
                and (problem := length_problem(name, value, limit=CELL_LIMITS[name]))]
    if too_long:
        raise ValueError("; ".join(too_long))
    return cells


def _body(row: dict[str, str]) -> Body:
    if not row["slug"] or row["slug"] != row["slug"].lower() or not row["slug"].isalnum():
        raise ValueError(f"column 'slug': {row['slug']!r} must be lower-case letters and digits")
    if row["secretariat_country"] and not is_country(row["secretariat_country"]):
        raise ValueError(f"column 'secretariat_country': {row['secretariat_country']!r} is not "
                         "an ISO 3166 alpha-2 code")
    if row["timezone"] and not is_zone(row["timezone"]):
        raise ValueError(f"column 'timezone': {row['timezone']!r} is not an IANA time zone")
    if row["website"] and not is_web_url(row["website"]):
        raise ValueError(f"column 'website': {row['website']!r} is not an http:// or https:// address")
    if row["blg_member"] not in {"yes", "no"}:
        raise ValueError(f"column 'blg_member': {row['blg_member']!r} must be yes or no")
    return Body(slug=row["slug"], short_name=row["short_name"] or row["slug"].upper(),
                name=row["name"] or row["slug"], blg_member=row["blg_member"] == "yes",
                city=row["secretariat_city"] or None, country=row["secretariat_country"] or None,
                timezone=row["timezone"] or None, website=row["website"] or None)


def _observance(row: dict[str, str], known_bodies: frozenset[str]) -> Observance:
    if not row["name"]:
        raise ValueError("column 'name': empty")
    try:
        validate_rrule(row["rrule"])
    except ValueError as exc:
        raise ValueError(f"column 'rrule': {exc}") from None
    if row["lead_body"] not in known_bodies:
        raise ValueError(f"column 'lead_body': unknown body {row['lead_body']!r}")
    if row["source_url"]:
        try:
            source_reference(row["source_url"])
        except ValueError as exc:
            raise ValueError(f"column 'source_url': {exc}") from None
    return Observance(name=row["name"], rrule=row["rrule"], lead_body=row["lead_body"],
                      note=row["lead_note"] or None, source_url=row["source_url"] or None,
                      slug=slugify(row["name"]))
