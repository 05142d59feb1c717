"""Read InforMEA Meeting records, in any of the wire formats of :mod:`.odata`.

Decisions, since InforMEA is loose where blgcal is strict:

- meetings are all-day: ``start``/``end`` are read as the dates they name
  (a time part, or an offset, is ignored rather than converted, so a meeting
  written as local midnight keeps its day); ``end`` missing means one day;
- status ``nodate`` is an undated event (tentative); ``over`` is a confirmed
  meeting in the past; ``postponed`` and ``cancelled`` keep their meaning;
- ``treaty`` names the body through :mod:`.treaties` (protocols and
  agreements go to their parent convention's secretariat). A treaty blgcal
  does not know, or a body not in *known_bodies*, falls back to
  *default_body* with a warning: the record is still the source's meeting,
  and the importing body is the one that vouches for it;
- ``access`` other than public makes the event visible to staff only;
- every title is kept in ``HarvestedItem.titles``; the English one (else the
  first) becomes the event's title.

A file with any bad record is rejected whole; each problem names the item:
``item 3 (id 'abc'): field 'start': '2025-13-01' is not a date (YYYY-MM-DD)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pycountry

from blgcal.domain.harvest import json_text, odata
from blgcal.domain.harvest.kinds import code_in, kind_of
from blgcal.domain.harvest.records import HarvestedItem, ParseError, ParseResult, Problem
from blgcal.domain.harvest.screen import screened
from blgcal.domain.harvest.treaties import body_for
from blgcal.domain.types import Event, Kind, Status, Visibility

STATUSES = {"tentative": Status.TENTATIVE, "confirmed": Status.CONFIRMED,
            "postponed": Status.POSTPONED, "cancelled": Status.CANCELLED,
            "canceled": Status.CANCELLED, "nodate": Status.TENTATIVE, "over": Status.CONFIRMED}
DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_informea(data: bytes | str, *, source: str, default_body: str,
                   known_bodies: frozenset[str] | None = None,
                   default_kind: Kind = Kind.GOVERNING_BODY, more: Sequence[bytes] = (),
                   deferred: Mapping[str, bytes] | None = None,
                   zone: str | None = None) -> ParseResult:
    """Parse InforMEA Meeting records; raise :class:`ParseError` naming each bad item.

    :param more: the pages after *data*, in order.
    :param deferred: the bodies fetched for ``__deferred`` titles, by URI.
    :param zone: the zone of the source's ``/Date()/`` stamps (else the venue's).
    """
    records = [record for page in (data, *more) for record in _records(page, source)]
    items, problems, warnings = [], [], []
    for number, record in enumerate(records, start=1):
        where = _where(number, record)
        try:
            if not isinstance(record, Mapping):
                raise ValueError(f"expected an object, found {type(record).__name__}")
            plain = odata.normalise(record, deferred=deferred or {}, zone=zone)
            item = screened(_item(plain, default_body, known_bodies, default_kind),
                            strict_urls=False)
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        items.append(item)
        warnings += [Problem(where, text) for text in item.warnings]
    if problems:
        raise ParseError(source, problems)
    _check_unique(items, source)
    return ParseResult(tuple(items), tuple(warnings))


def _records(data: bytes | str, source: str) -> list[Any]:
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        loaded = json_text.loads(text)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1 if isinstance(data, bytes) else 1
        raise ParseError(source, [Problem(f"line {line}", "invalid UTF-8")]) from None
    except json.JSONDecodeError as exc:
        raise ParseError(source, [Problem(f"line {exc.lineno} column {exc.colno}",
                                          f"not JSON: {exc.msg}")]) from None
    try:
        return odata.records(loaded)
    except odata.WireError as exc:
        raise ParseError(source, [Problem("line 1", str(exc))]) from None


def _where(number: int, record: object) -> str:
    ident = record.get("id") if isinstance(record, Mapping) else None
    return f"item {number} (id {str(ident)!r})" if ident not in (None, "") else f"item {number}"


def _item(record: object, default_body: str, known_bodies: frozenset[str] | None,
          default_kind: Kind) -> HarvestedItem:
    if not isinstance(record, Mapping):
        raise ValueError(f"expected an object, found {type(record).__name__}")
    ident = _text(record, "id")
    if not ident:
        raise ValueError("field 'id': empty")
    warnings: list[str] = []
    body = _body(_text(record, "treaty"), default_body, known_bodies, warnings)
    titles = _languages(record, "titles")
    if not titles:
        raise ValueError("field 'titles': no title in any language")
    status_text = _text(record, "status").lower() or "confirmed"
    if status_text not in STATUSES:
        raise ValueError(f"field 'status': {status_text!r} is not one of {', '.join(STATUSES)}")
    start, end = _dates(record, undated=status_text == "nodate")
    url = _text(record, "url") or None
    event = Event(
        uid=ident, title=_pick(titles), bodies=(body,), code=code_in(_pick(titles)),
        kind=kind_of(hint=_text(record, "type"), title=_pick(titles), default=default_kind),
        status=STATUSES[status_text], start_date=start, end_date=end,
        expected="dates to be announced" if start is None else None,
        city=_text(record, "city") or None, country=_country(_text(record, "country")),
        venue=_text(record, "location") or None, online=record.get("virtual") in (True, "true", 1),
        url=url, description=_pick(_languages(record, "descriptions")) or None,
        visibility=_visibility(_text(record, "access")), updated_dt=_updated(record),
    )
    return HarvestedItem(external_uid=ident, event=event, titles=titles, source_url=url,
                         warnings=tuple(warnings))


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if isinstance(value, (dict, list)):
        raise ValueError(f"field {name!r}: expected text, found {type(value).__name__}")
    return "" if value is None else str(value).strip()


def _body(treaty: str, default_body: str, known: frozenset[str] | None, warnings: list[str]) -> str:
    body = body_for(treaty)
    if body is None or (known is not None and body not in known):
        warnings.append(f"treaty {treaty!r} is not a body blgcal knows: organised by {default_body!r}")
        return default_body
    return body


def _languages(record: Mapping[str, Any], name: str) -> tuple[tuple[str, str], ...]:
    value = record.get(name) or []
    if not isinstance(value, list):
        raise ValueError(f"field {name!r}: expected a list of {{language, value}}")
    found = []
    for entry in value:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("value"), str):
            raise ValueError(f"field {name!r}: each entry needs 'language' and a text 'value'")
        if entry["value"].strip():
            found.append((str(entry.get("language") or "").lower(), entry["value"].strip()))
    return tuple(found)


def _pick(texts: tuple[tuple[str, str], ...]) -> str:
    return next((text for lang, text in texts if lang == "en"), texts[0][1] if texts else "")


def _dates(record: Mapping[str, Any], *, undated: bool) -> tuple[date | None, date | None]:
    if undated:
        return None, None
    start = _day(_text(record, "start"), "start")
    end = _day(_text(record, "end"), "end") if _text(record, "end") else start
    if end < start:
        raise ValueError(f"field 'end': {end} is before start {start}")
    return start, end


def _day(value: str, name: str) -> date:
    match = DAY.match(value)
    try:
        return date.fromisoformat(match.group(1)) if match else date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"field {name!r}: {value!r} is not a date (YYYY-MM-DD)") from None


def _country(value: str) -> str | None:
    if not value:
        return None
    found = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else \
        pycountry.countries.get(alpha_3=value.upper()) if len(value) == 3 else None
    if found is None:
        raise ValueError(f"field 'country': {value!r} is not an ISO 3166 country code")
    return str(found.alpha_2)


def _visibility(access: str) -> Visibility:
    return Visibility.PUBLIC if access.lower() in {"", "public", "open"} else Visibility.STAFF


def _updated(record: Mapping[str, Any]) -> datetime | None:
    text = _text(record, "updated")
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        raise ValueError(f"field 'updated': {text!r} is not an ISO 8601 date-time") from None
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _check_unique(items: list[HarvestedItem], source: str) -> None:
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if item.external_uid in seen:
            raise ParseError(source, [Problem(f"item {number} (id {item.external_uid!r})",
                                              f"repeats the id of item {seen[item.external_uid]}")])
        seen[item.external_uid] = number
