"""Read the CBD's public meetings index (Solr JSON at ``api.cbd.int``).

The CBD Secretariat also serves the meetings of the Cartagena and Nagoya
protocols. What its documents say, and how each is read:

- the envelope is ``{"responseHeader", "response": {"numFound", "start",
  "docs"}}``; a bare list of documents (a saved dump) is read too. Pages are
  read with ``rows``/``start`` against ``numFound`` (:func:`next_url`);
- ``startDate_dt``/``endDate_dt`` are midnight UTC with the end day
  included: all-day meetings on those dates;
- ``status_s`` is ``CONFIRM`` or ``TENTAT``;
- ``eventCountry_s`` is lower-case ISO2, absent for online meetings (city
  "Online");
- ``title_XX_t`` for AR, EN, ES, FR, RU and ZH; a title that only repeats
  the English is not kept as a translation;
- ``symbol_s`` is the code (``COP-17``, ``SBI-07``), unless it is a bare
  number (``006608``), which is an internal reference and no code;
- the page is ``url_ss[0]``; ``updatedDate_dt`` says when it changed;
- the protocol comes from ``themes_ss`` (``CBD-SUBJECT-CPB``,
  ``CBD-SUBJECT-ABS``) or the code prefix (``CP-``, ``NP-``), and becomes a
  tag; every meeting is organised by the CBD;
- drafts (``version_s``) and non-public states (``_state_s``) are left out.

Kinds and codes follow :mod:`.kinds`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from blgcal.domain.harvest import json_text
from blgcal.domain.harvest.kinds import kind_of
from blgcal.domain.harvest.records import HarvestedItem, ParseError, ParseResult, Problem
from blgcal.domain.harvest.screen import screened
from blgcal.domain.places import is_country
from blgcal.domain.types import Event, Kind, Status

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
STATUSES = {"CONFIRM": Status.CONFIRMED, "TENTAT": Status.TENTATIVE,
            "POSTPO": Status.POSTPONED, "CANCEL": Status.CANCELLED}
PROTOCOLS = {"CBD-SUBJECT-CPB": "cartagena-protocol", "CBD-SUBJECT-ABS": "nagoya-protocol"}
PREFIXES = {"CP-": "cartagena-protocol", "BCH-": "cartagena-protocol", "NP-": "nagoya-protocol"}
BARE_NUMBER = re.compile(r"^\d+$")


def parse_cbd_solr(data: bytes | str, *, source: str, default_body: str = "cbd",
                   more: Sequence[bytes] = (), default_kind: Kind = Kind.GOVERNING_BODY
                   ) -> ParseResult:
    """Parse the pages of a CBD meetings query; raise :class:`ParseError` naming each bad item."""
    docs = [doc for page in (data, *more) for doc in _docs(page, source)]
    items: list[HarvestedItem] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for number, doc in enumerate(docs, start=1):
        where = f"item {number}" + (f" (id {doc.get('id')!r})" if isinstance(doc, Mapping) else "")
        if isinstance(doc, Mapping) and (doc.get("version_s") or
                                         doc.get("_state_s", "public") != "public"):
            continue  # a draft, or not public
        try:
            item = screened(_item(doc, default_body, default_kind), strict_urls=False)
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        items.append(item)
        warnings += [Problem(where, text) for text in item.warnings]
    if problems:
        raise ParseError(source, problems)
    return ParseResult(tuple(items), tuple(warnings))


def next_url(data: bytes, url: str) -> str | None:
    """The next page's URL by ``rows``/``start`` against ``numFound``, or None."""
    try:
        response = json_text.loads(data).get("response", {})
        found, start = int(response["numFound"]), int(response.get("start", 0))
        count = len(response["docs"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    rows = int(query["rows"]) if query.get("rows", "").isdigit() else count
    if not count or start + count >= found:
        return None
    query.update(start=str(start + count), rows=str(rows))
    return urlunsplit(urlsplit(url)._replace(query=urlencode(query, safe="$:*,' ")))


def _docs(page: bytes | str, source: str) -> list[Any]:
    try:
        loaded = json_text.loads(page)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "line 1"
        raise ParseError(source, [Problem(where, f"not JSON: {exc}"[:200])]) from None
    if isinstance(loaded, Mapping):
        loaded = loaded.get("response", {}).get("docs") if isinstance(
            loaded.get("response"), Mapping) else None
    if not isinstance(loaded, list):
        raise ParseError(source, [Problem("line 1", 'expected a Solr answer {"response":'
                                          ' {"docs": [...]}} or a list of documents')])
    return loaded


def _item(doc: object, body: str, default_kind: Kind) -> HarvestedItem:
    if not isinstance(doc, Mapping):
        raise ValueError(f"expected a document, found {type(doc).__name__}")
    ident = str(doc.get("id") or "").strip()
    if not ident:
        raise ValueError("field 'id': empty")
    titles = _titles(doc)
    if not titles:
        raise ValueError("field 'title_EN_t': no title in any language")
    symbol = str(doc.get("symbol_s") or "").strip()
    code = symbol if symbol and not BARE_NUMBER.match(symbol) else None
    start = _day(doc, "startDate_dt")
    if start is None:
        raise ValueError("field 'startDate_dt': missing")
    end = _day(doc, "endDate_dt") or start
    if end < start:
        raise ValueError(f"field 'endDate_dt': {end} is before the start {start}")
    status_text = str(doc.get("status_s") or "CONFIRM").upper()
    if status_text not in STATUSES:
        raise ValueError(f"field 'status_s': {status_text!r} is not one of {', '.join(STATUSES)}")
    city = str(doc.get("eventCity_EN_t") or doc.get("eventCity_s") or "").strip() or None
    online = city is None or city.lower() == "online" or not doc.get("eventCountry_s")
    city = None if city and city.lower() == "online" else city
    country = str(doc.get("eventCountry_s") or "").strip().upper() or None
    if country and not is_country(country):
        raise ValueError(f"field 'eventCountry_s': {country!r} is not an ISO 3166 code")
    urls = doc.get("url_ss") or []
    url = str(urls[0]) if isinstance(urls, list) and urls else None
    title = titles[0][1]
    event = Event(
        uid=ident, title=title, code=code, bodies=(body,),
        kind=kind_of(code=symbol, title=title, default=default_kind),
        status=STATUSES[status_text], start_date=start, end_date=end, city=city,
        country=country, online=online,
        url=url, tags=_protocols(doc, symbol), updated_dt=_stamp(doc, "updatedDate_dt"))
    return HarvestedItem(external_uid=ident, event=event, titles=titles, source_url=url)


def _titles(doc: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    english = str(doc.get("title_EN_t") or "").strip()
    found = [("en", english)] if english else []
    for language in LANGUAGES[1:]:
        text = str(doc.get(f"title_{language.upper()}_t") or "").strip()
        if text and text != english:
            found.append((language, text))
    return tuple(found)


def _protocols(doc: Mapping[str, Any], symbol: str) -> tuple[str, ...]:
    themes = doc.get("themes_ss") or []
    found = {PROTOCOLS[t] for t in themes if t in PROTOCOLS} if isinstance(themes, list) else set()
    found |= {tag for prefix, tag in PREFIXES.items() if symbol.upper().startswith(prefix)}
    return tuple(sorted(found))


def _day(doc: Mapping[str, Any], name: str) -> date | None:
    moment = _stamp(doc, name)
    return moment.date() if moment else None


def _stamp(doc: Mapping[str, Any], name: str) -> datetime | None:
    text = str(doc.get(name) or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"field {name!r}: {text!r} is not an ISO 8601 date-time") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
