"""What an event says in a feed: the human-readable property values.

Each function returns sanitized text (see :mod:`blgcal.domain.ical.text`);
the serializer only escapes it. Kept apart from the serializer so the
wording can be tested and changed without touching the wire format.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from blgcal.domain.ical.text import sanitize_text
from blgcal.domain.places import country_name
from blgcal.domain.types import Event, Status

# A status word that clients ignoring STATUS (Outlook shows subscribed
# cancelled events normally; several ignore TENTATIVE) still show in the title.
STATUS_PREFIXES = {Status.POSTPONED: "Postponed: ", Status.CANCELLED: "Cancelled: "}
# RFC 3986 2.2 reserved and 2.3 unreserved characters, plus "%" for escapes.
_TRAILING = re.compile(r"[\s\\]+$")
_URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


def event_uid(event: Event, uid_domain: str = "blgcal") -> str:
    """The event's UID, given a domain part if it has none (RFC 5545 3.8.4.7).

    Harvested UIDs keep their own ``@domain``; ours are stable slugs that
    become ``<uid>@<uid_domain>``. Either way the result never changes for an
    event, so clients never see duplicates.
    """
    uid = sanitize_text(event.uid)
    return uid if "@" in uid else f"{uid}@{uid_domain}"


def summary_text(event: Event) -> str:
    """The title, led by the code when the title lacks it, then the status.

    ``CITES CoP20`` + ``20th meeting of the Conference of the Parties`` gives
    ``CITES CoP20: 20th meeting of the Conference of the Parties``; a title
    already naming the code (compared case-insensitively) is left alone.
    Postponed and cancelled events are prefixed, e.g. ``Postponed: ...``.
    """
    title = sanitize_text(event.title)
    code = sanitize_text(event.code or "").strip()
    if code and code.casefold() not in title.casefold():
        title = f"{code}: {title}"
    return STATUS_PREFIXES.get(event.status, "") + title


def location_text(event: Event) -> str | None:
    """Venue, city and country name; "Online", or "... and online" when hybrid."""
    parts = [event.venue, event.city, country_name(event.country)]
    place = ", ".join(p for p in (sanitize_text(x or "").strip() for x in parts) if p)
    if event.online:
        return f"{place} and online" if place else "Online"
    return place or None


def description_text(event: Event) -> str | None:
    """The description, the web page and the organisers, a blank line apart."""
    parts = [sanitize_text(event.description or ""), sanitize_text(event.url or "").strip()]
    if event.bodies:
        parts.append("Organised by: " + ", ".join(body_label(b) for b in event.bodies))
    text = "\n\n".join(p for p in parts if p.strip())
    return text or None


def body_label(slug: str) -> str:
    """A body as feeds name it: the upper-case slug (``cites`` -> ``CITES``)."""
    return sanitize_text(slug).strip().upper()


def categories(event: Event) -> tuple[str, ...]:
    """Kind label, bodies, then tags (RFC 5545 3.8.1.2), without repeats.

    Items are cut where parsers would cut them anyway, so every parser reads
    the same list:

    * at each comma: the escaped ``\\,`` is valid, but the strict ``ical``
      parser (Home Assistant's) splits on it and keeps the backslash;
    * trailing backslashes are dropped: ``ical.js`` 2.2 reads ``a\\\\,b``
      (the item ``a\\`` then ``b``) as one item ``a\\,b``;
    * surrounding spaces are stripped and empty items dropped, as several
      parsers trim category values.
    """
    items = [event.kind.label, *(body_label(b) for b in event.bodies), *event.tags]
    pieces = (_TRAILING.sub("", piece).strip()
              for item in items for piece in sanitize_text(item).split(","))
    return tuple(dict.fromkeys(piece for piece in pieces if piece))


def web_uri(url: str | None) -> str | None:
    """The event's http(s) address as a URI (RFC 3986), or None.

    Spaces and non-ASCII are percent-encoded (RFC 3987 3.1) because URI values
    are not escaped like TEXT; anything else stays only in the description.
    """
    if not url:
        return None
    uri = quote(sanitize_text(url).strip(), safe=_URI_SAFE)
    try:
        parts = urlsplit(uri)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    return uri if parts.scheme in ("http", "https") and parts.netloc else None
