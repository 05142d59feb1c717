"""The VEVENT piece as ``icalendar`` itself writes it: the reference for ours.

:func:`blgcal.domain.ical.event.event_component` writes the same text
directly, about ten times faster; the tests prove the two byte-identical and
``bench/bench_feeds.py`` uses this one as the naive per-request baseline.
"""

from __future__ import annotations

from datetime import UTC

from icalendar import Event as VEvent

from blgcal.domain.ical.content import (
    categories,
    description_text,
    event_uid,
    location_text,
    summary_text,
    web_uri,
)
from blgcal.domain.ical.event import ICAL_STATUS, EventPiece, event_times
from blgcal.domain.ical.text import SafeCategories, SafeText
from blgcal.domain.types import Event, Visibility


def reference_component(event: Event, *, uid_domain: str = "blgcal") -> EventPiece:
    """Build the piece of *event* with ``icalendar``'s ``Event.to_ical``."""
    if not event.dated:
        raise ValueError(f"event {event.uid!r} has no dates and cannot be in a feed")
    if event.updated_dt is None or event.updated_dt.utcoffset() is None:
        raise ValueError(f"event {event.uid!r} needs an aware updated_dt for DTSTAMP")
    stamp = event.updated_dt.astimezone(UTC).replace(microsecond=0)
    start, end, tzids = event_times(event)
    vevent = VEvent()
    vevent.add("uid", SafeText(event_uid(event, uid_domain)))
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", SafeText(summary_text(event)))
    for name, value in (("location", location_text(event)),
                        ("description", description_text(event))):
        if value is not None:
            vevent.add(name, SafeText(value))
    if uri := web_uri(event.url):
        vevent.add("url", uri)
    if items := categories(event):
        vevent.add("categories", SafeCategories(items))
    vevent.add("status", ICAL_STATUS[event.status])
    vevent.add("class", "PRIVATE" if event.visibility is Visibility.STAFF else "PUBLIC")
    vevent.add("transp", "TRANSPARENT")
    return EventPiece(vevent.to_ical(sorted=False).decode("utf-8"), tzids)
