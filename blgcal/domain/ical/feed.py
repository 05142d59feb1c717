"""Whole feeds, assembled from stored pieces by joining bytes.

Serving a feed is the hottest path: each VEVENT is built once when its event
changes (:func:`~blgcal.domain.ical.event.event_component`) and a request
only concatenates. The header and VTIMEZONE blocks are cached, so the same
inputs give the same bytes and a request parses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from icalendar.prop import vDuration

from blgcal.domain.ical.colors import CSS3_COLORS
from blgcal.domain.ical.text import escape_text, fold, sanitize_text
from blgcal.domain.ical.vtimezone import vtimezone_component

PRODID = "-//BLG//blgcal//EN"
FOOTER = b"END:VCALENDAR\r\n"


@dataclass(frozen=True, slots=True)
class FeedMeta:
    """What a feed says about itself (RFC 7986 5).

    *calendar_uid* must stay the same for a feed forever (RFC 7986 5.3);
    *color* is a CSS3 colour name (RFC 7986 5.9); *refresh* is an RFC 5545
    3.3.6 duration, sent as REFRESH-INTERVAL (RFC 7986 5.7) and as Outlook's
    X-PUBLISHED-TTL. *last_modified_dt*, when given, becomes LAST-MODIFIED.
    """

    name: str
    description: str
    calendar_uid: str
    color: str = "darkgreen"
    refresh: str = "PT4H"
    last_modified_dt: datetime | None = None

    def __post_init__(self) -> None:
        if self.color not in CSS3_COLORS:
            raise ValueError(f"COLOR must be a CSS3 colour name, not {self.color!r}")
        if not self.refresh.startswith("P"):
            raise ValueError(f"refresh must be a duration such as PT4H, not {self.refresh!r}")
        parse_duration(self.refresh)
        if self.last_modified_dt is not None and self.last_modified_dt.utcoffset() is None:
            raise ValueError("last_modified_dt must be aware")


def assemble_feed(pieces: Iterable[str | bytes], *, meta: FeedMeta,
                  tzids: Iterable[str]) -> bytes:
    """Join the header, the VTIMEZONEs for *tzids* (sorted) and *pieces*.

    Pieces go in as they are, in the given order: each must be a complete
    component ending in CRLF. A TZID without a VTIMEZONE raises ValueError,
    because a piece that names it would be an hour off in Outlook.
    """
    return feed_header(meta) + assemble_components(pieces, tzids=tzids) + FOOTER


def assemble_components(pieces: Iterable[str | bytes], *, tzids: Iterable[str]) -> bytes:
    """The middle of a feed: the VTIMEZONEs for *tzids* (sorted), then *pieces*.

    It does not depend on the feed's name, so feeds holding the same events
    (private feeds of one filter) share it and differ only in the header.
    """
    parts = [_vtimezone_bytes(tzid) for tzid in sorted(set(tzids))]
    parts.extend(p if isinstance(p, bytes) else p.encode("utf-8") for p in pieces)
    return b"".join(parts)


# Room for every private feed's header, each a few hundred bytes.
@lru_cache(maxsize=16_384)
def feed_header(meta: FeedMeta) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar properties, up to the components.

    Written line by line, byte for byte what ``icalendar``'s ``Calendar`` writes
    for the same properties (``tests/domain/test_ical_feed_header.py``): a worker
    writes one for each private feed it serves, so it must be cheap.
    """
    refresh = vDuration(parse_duration(meta.refresh)).to_ical().decode("ascii")  # type: ignore[no-untyped-call]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + PRODID, "CALSCALE:GREGORIAN",
             # PUBLISH, not REQUEST: Outlook treats REQUEST as an invitation (RFC 5546 3.2.1).
             "METHOD:PUBLISH", "UID:" + _text(meta.calendar_uid), "NAME:" + _text(meta.name),
             "X-WR-CALNAME:" + _text(meta.name), "X-WR-CALDESC:" + _text(meta.description),
             # RFC 7986 5.7 requires VALUE=DURATION; strict parsers reject the feed without it.
             "REFRESH-INTERVAL;VALUE=DURATION:" + refresh, "X-PUBLISHED-TTL:" + refresh,
             "COLOR:" + _text(meta.color)]
    if meta.last_modified_dt is not None:
        stamp = meta.last_modified_dt.astimezone(UTC)
        lines.append(f"LAST-MODIFIED:{stamp:%Y%m%dT%H%M%SZ}")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def _text(value: str) -> str:
    return escape_text(sanitize_text(value))


def parse_duration(text: str) -> timedelta:
    """Read an RFC 5545 3.3.6 duration such as ``PT4H``; ValueError if malformed."""
    value: timedelta = vDuration.from_ical(text)  # type: ignore[no-untyped-call]
    return value


@lru_cache(maxsize=1024)
def _vtimezone_bytes(tzid: str) -> bytes:
    text = vtimezone_component(tzid)
    if text is None:
        raise ValueError(f"no VTIMEZONE can be written for {tzid!r}; write its events in UTC")
    return text.encode("utf-8")
