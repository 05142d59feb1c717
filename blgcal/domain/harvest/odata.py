"""InforMEA's wire formats: OData v1/v2 verbose JSON and the Drupal "D8 API 2.0".

What the MEAs' OData toolkits really serve (see :mod:`.informea` for how a
record becomes an event):

- the envelope is ``{"d": [...]}`` or ``{"d": {"results": [...], "__next":
  url}}`` (v4's ``{"value": [...], "@odata.nextLink": url}`` and a bare list
  are read too); pages follow ``__next``, else ``$top``/``$skip`` while a
  page comes back full, else the D8 ``page=N`` while a page has records;
- dates are ``/Date(1399388400000)/``, milliseconds since the epoch in UTC
  (an offset suffix, ``/Date(ms+0100)/``, is ignored as OData v2 does); the
  day is taken in the source's zone, else the venue's, so a local midnight
  stored as 22:00 UTC the day before keeps its day;
- ``title`` and ``description`` are a list of ``{"language", "value"}``,
  ``{"results": [...]}`` of the same, ``{"__deferred": {"uri": ...}}`` (read
  from the fetched pages given), or, in D8, ``{"en": ..., "fr": ...}``;
- ``country`` is ISO2, ISO3, empty, null, or (D8) a list of ISO3 codes;
- casing varies (``"MOP"``, ``"Public"``); producers add fields of their own.

:func:`normalise` turns such a record into the plain record
:func:`~.informea.parse_informea` reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pycountry

from blgcal.domain import geo
from blgcal.domain.harvest import json_text
from blgcal.domain.places import is_zone

DATE = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")
TEXT_FIELDS = ("id", "treaty", "url", "type", "access", "status", "location", "city", "kind",
               "virtual")


class WireError(ValueError):
    """A page that is not InforMEA JSON; the message says what was found."""


def records(page: object) -> list[Any]:
    """The records of one decoded page, whatever the envelope."""
    found = page
    if isinstance(found, Mapping) and "d" in found:
        found = found["d"]
    if isinstance(found, Mapping):
        found = found.get("results", found.get("value", found.get("data")))
    if not isinstance(found, list):
        raise WireError('expected InforMEA meetings: {"d": [...]}, {"d": {"results": [...]}},'
                        ' {"value": [...]} or a list')
    return found


def next_url(data: bytes, url: str) -> str | None:
    """The URL of the page after *data* (fetched from *url*), or None at the end."""
    try:
        page = json_text.loads(data)
        found = records(page)
    except (ValueError, WireError):
        return None
    envelope = page.get("d", page) if isinstance(page, Mapping) else None
    if isinstance(envelope, Mapping):
        link = envelope.get("__next") or envelope.get("@odata.nextLink")
        if isinstance(link, str) and link:
            return urljoin(url, link)
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if "$top" in query and found:
        top, skip = _int(query["$top"]), _int(query.get("$skip", "0"))
        return _with(url, {"$skip": str(skip + top)}) if top and len(found) >= top else None
    if "page" in query and found:
        return _with(url, {"page": str(_int(query["page"]) + 1)})
    return None


def deferred_uris(data: bytes) -> list[str]:
    """Every ``__deferred`` link in the title or description of a page's records."""
    try:
        found = records(json_text.loads(data))
    except (ValueError, WireError):
        return []
    return [value["__deferred"]["uri"] for record in found if isinstance(record, Mapping)
            for name in ("title", "description", "titles", "descriptions")
            if isinstance(value := record.get(name), Mapping)
            and isinstance(value.get("__deferred"), Mapping)
            and isinstance(value["__deferred"].get("uri"), str)]


def normalise(record: Mapping[str, Any], *, deferred: Mapping[str, bytes],
              zone: str | None) -> dict[str, Any]:
    """The plain record of an OData or D8 meeting (raises ValueError naming the field)."""
    plain: dict[str, Any] = {name: record.get(name) for name in TEXT_FIELDS if name in record}
    for name in ("type", "access", "status"):
        if isinstance(plain.get(name), str):
            plain[name] = plain[name].strip().lower()
    for name, plural in (("title", "titles"), ("description", "descriptions")):
        field = name if name in record else plural
        plain[plural] = _languages(record.get(field), field, deferred)
    plain["country"] = _country(record.get("country"))
    where = _zone(zone, plain.get("city"), plain["country"])
    for name in ("start", "end", "updated"):
        plain[name] = _moment(record.get(name), name, where, day=name != "updated")
    return plain


def _languages(value: object, name: str, deferred: Mapping[str, bytes]) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, Mapping) and isinstance(value.get("__deferred"), Mapping):
        uri = str(value["__deferred"].get("uri", ""))
        if uri not in deferred:
            raise ValueError(f"field {name!r}: deferred to {uri!r}, which was not fetched")
        try:
            value = records(json_text.loads(deferred[uri]))
        except (ValueError, WireError) as exc:
            raise ValueError(f"field {name!r}: {uri!r} did not give {name}s: {exc}") from None
    if isinstance(value, Mapping) and "results" in value:
        value = value["results"]
    if isinstance(value, Mapping):  # D8: {"en": "...", "fr": "..."}
        return [{"language": str(k), "value": v} for k, v in value.items() if isinstance(v, str)]
    if not isinstance(value, list):
        raise ValueError(f"field {name!r}: expected a list of {{language, value}},"
                         f" found {type(value).__name__}")
    # An entry with no value at all (OData's bare __metadata) says nothing: skipped.
    return [entry if not isinstance(entry, Mapping) else
            {"language": entry.get("language"), "value": entry.get("value")} for entry in value
            if not (isinstance(entry, Mapping) and entry.get("value") is None
                    and "language" not in entry)]


def _country(value: object) -> str:
    if isinstance(value, list):  # D8: ISO3 codes; the first is the host
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"field 'country': expected a code, found {type(value).__name__}")
    return value.strip()


def _zone(zone: str | None, city: object, country: str) -> str:
    """The source's zone, else the venue city's, else UTC."""
    if zone and is_zone(zone):
        return zone
    place = geo.locate(str(city), _alpha2(country)) if city and country else None
    return place.timezone if place else "UTC"


def _alpha2(code: str) -> str:
    if len(code) != 3:
        return code.upper()
    found = pycountry.countries.get(alpha_3=code.upper())
    return str(found.alpha_2) if found else code.upper()


def _moment(value: object, name: str, zone: str, *, day: bool) -> str | None:
    """An ISO date (or, for stamps, an ISO UTC date-time) from any InforMEA date form."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {name!r}: expected a date, found {type(value).__name__}")
    match = DATE.match(value.strip())
    if match is None:
        return value  # ISO text: the plain reader checks it
    instant = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(match.group(1)))
    if not day:
        return instant.isoformat()
    return instant.astimezone(ZoneInfo(zone)).date().isoformat()


def _int(text: str) -> int:
    try:
        return max(0, int(text))
    except ValueError:
        return 0


def _with(url: str, changes: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query, safe="$,'():")))
