"""Checks on an event that forms and imports share: field limits, web addresses, clean text.

Every way text enters blgcal (the event form, the meetings CSV, iCalendar,
InforMEA and CBD feeds, the other forms) goes through :func:`clean_text` and
is held to :data:`FIELD_LIMITS`; every address a visitor may follow goes
through :func:`web_url`. What is already stored is made safe on the way out
by :func:`xml_text` (SVG) and :func:`printable` (the terminal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType
from urllib.parse import urlsplit

from blgcal.domain.types import Event, Kind

# Characters, the longest value of each text field (the database's column
# widths, so PostgreSQL never refuses what passed). ``tag`` is each tag or
# audience word; ``tags`` all of them written out comma-separated, as the
# form and the CSV take them; ``uid`` a source's own identity of an item.
FIELD_LIMITS = MappingProxyType({
    "title": 500, "code": 80, "expected": 80, "timezone": 64, "city": 120, "venue": 300,
    "url": 1000, "source_url": 1000, "description": 20_000, "tag": 64, "tags": 500,
    "uid": 1000, "language": 16,
})
TEXT_FIELDS = ("title", "code", "expected", "timezone", "city", "venue", "url", "source_url",
               "description")
MULTILINE_FIELDS = frozenset({"description"})
WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:\S", re.IGNORECASE)

_BREAK = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# C0 but tab and newline, DEL, C1, lone surrogates, and the two non-characters
# XML 1.0 (2.2) also refuses.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """*value* without control characters; line breaks become ``\\n``, or spaces on one line.

    Tabs stay; so do newlines when *multiline*. NUL, ESC, BEL, DEL, C1 and
    lone surrogates are removed: they are never meant, and would reach an
    SVG (not well-formed XML) or a terminal (escape sequences) raw.
    """
    text = _BREAK.sub("\n", value)
    if multiline:
        return _CONTROL_BUT_NEWLINE.sub("", text)
    return _CONTROL.sub("", text.replace("\n", " "))


def length_problem(name: str, value: str, *, limit: int | None = None) -> str | None:
    """``title is 9,000,000 characters, the limit is 500``, or None when it fits."""
    most = FIELD_LIMITS[name] if limit is None else limit
    if len(value) <= most:
        return None
    return f"{name} is {len(value):,} characters, the limit is {most:,}"


def web_url(value: str) -> str:
    """*value* (stripped) if it is an absolute ``http://`` or ``https://`` address with a host.

    :raises ValueError: for ``javascript:``, ``data:``, ``vbscript:``,
        ``ftp:``, relative and scheme-less addresses, saying which.
    """
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        parts = None
    if parts is None or parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        raise ValueError(f"{preview(url)} is not a web address (only http:// and https:// "
                         "with a host)")
    return url


def is_web_url(value: str | None) -> bool:
    """Whether *value* passes :func:`web_url`."""
    try:
        web_url(value or "")
    except ValueError:
        return False
    return True


def source_reference(value: str) -> str:
    """*value* (stripped) if it is a web address (:func:`web_url`) or a citation in words.

    A source may be named rather than linked ("Report of the meeting, 8
    September 2025, Geneva"); such text is never made a link. What has no
    space, or starts like an address (``javascript:alert(1) x``), must be a
    web address.

    :raises ValueError: saying why.
    """
    text = value.strip()
    if _SCHEME.match(text) or not any(char.isspace() for char in text):
        return web_url(text)
    return text


def preview(value: str, size: int = 60) -> str:
    """*value* quoted, cut to *size* characters: safe to put in a message."""
    return repr(value if len(value) <= size else value[:size] + "\u2026")


def event_problems(event: Event) -> list[str]:
    """What in *event* is over :data:`FIELD_LIMITS`, or empty (cleaning is :func:`clean_event`)."""
    found = [length_problem(name, getattr(event, name) or "") for name in TEXT_FIELDS]
    if not event.title.strip():
        found.append("title is empty")
    for name, word_name in (("tags", "tag"), ("audience", "audience word")):
        words: tuple[str, ...] = getattr(event, name)
        written = len(", ".join(words))
        if written > FIELD_LIMITS["tags"]:
            found.append(f"{name}: {written:,} characters in all, the limit is {FIELD_LIMITS['tags']:,}")
        found += [f"{word_name} {preview(word)} is {len(word):,} characters, the limit is "
                  f"{FIELD_LIMITS['tag']:,}" for word in words if len(word) > FIELD_LIMITS["tag"]]
    return [problem for problem in found if problem]


def clean_event(event: Event) -> Event:
    """*event* with :func:`clean_text` applied to every text field, tags included."""
    changes: dict[str, object] = {}
    for name in TEXT_FIELDS:
        value = getattr(event, name)
        if value:
            cleaned = clean_text(value, multiline=name in MULTILINE_FIELDS).strip()
            if cleaned != value:
                changes[name] = cleaned if name == "title" else cleaned or None
    for name in ("tags", "audience"):
        words = clean_words(getattr(event, name))
        if words != getattr(event, name):
            changes[name] = words
    return replace(event, **changes) if changes else event  # type: ignore[arg-type]


def clean_words(words: Iterable[str]) -> tuple[str, ...]:
    """Tags or audience words, cleaned, without the empty ones, in their order."""
    cleaned = (clean_text(word).strip() for word in words)
    return tuple(dict.fromkeys(word for word in cleaned if word))


def xml_text(value: str) -> str:
    """*value* without the characters XML 1.0 refuses (and DEL, C1): for stored text in SVG."""
    return _CONTROL_BUT_NEWLINE.sub("", value)


def printable(value: str) -> str:
    """*value* with control characters shown as ``\\u001b``: for stored text on a terminal.

    Newlines and tabs stay. The notation is a JSON escape too, so JSON
    output stays valid and means the same.
    """
    return _CONTROL_BUT_NEWLINE.sub(lambda match: f"\\u{ord(match.group()):04x}", value)


def side_event_problem(event: Event, parent: Event | None) -> str | None:
    """Why *event* cannot sit inside *parent*, or None when it can."""
    if parent is None:
        return None
    if parent.id is not None and parent.id == event.id:
        return "An event cannot be part of itself."
    if parent.kind is Kind.SIDE_EVENT:
        return "A side event belongs to a meeting, not to another side event."
    inner, outer = event.local_days(), parent.local_days()
    if inner is None or outer is None:
        return None
    if inner[0] < outer[0] or inner[1] > outer[1]:
        return (f"A side event must fall within its meeting's dates "
                f"({outer[0].isoformat()} to {outer[1].isoformat()}).")
    return None
