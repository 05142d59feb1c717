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

T = TypeVar("T")
BODY_COLUMNS = ("slug", "short_name", "name", "blg_member", "secretariat_city",
                "secretariat_country", "timezone", "website")
OBSERVANCE_COLUMNS = ("name", "rrule", "lead_body", "lead_note", "source_url")


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
            items.append(make({k: (v or "").strip() for k, v in row.items()}))
        except ValueError as exc:
            problems.append(Problem(f"line {reader.line_num}", str(exc)))
    if problems:
        raise ParseError(source, problems)
    return items


def _body(row: dict[str, str]) -> Body:
    if not row["slug"] or row["slug"] != row["slug"].lower() or not row["slug"].isalnum():
        raise ValueError(f"column 'slug': {row['slug']!r} must be lower-case letters and digits")
    if row["secretariat_country"] and not is_country(row["secretariat_country"]):
        raise ValueError(f"column 'secretariat_country': {row['secretariat_country']!r} is not "
                         "an ISO 3166 alpha-2 code")
    if row["timezone"] and not is_zone(row["timezone"]):
        raise ValueError(f"column 'timezone': {row['timezone']!r} is not an IANA time zone")
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
    return Observance(name=row["name"], rrule=row["rrule"], lead_body=row["lead_body"],
                      note=row["lead_note"] or None, source_url=row["source_url"] or None,
                      slug=slugify(row["name"]))
