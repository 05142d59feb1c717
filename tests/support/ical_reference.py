"""The VEVENT piece and the feed header as ``icalendar`` itself writes them: the references
for ours.

:func:`blgcal.domain.ical.event.event_component` and
:func:`blgcal.domain.ical.feed.feed_header` write the same text directly, several
times faster; the tests prove them byte-identical and ``bench/bench_feeds.py``
uses the piece as the naive per-request baseline.
"""

from __future__ import annotations

from datetime import UTC

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.prop import vDuration

from blgcal.domain.ical import content
from blgcal.domain.ical.event import ICAL_STATUS, EventPiece, event_times
from blgcal.domain.ical.feed import FOOTER, PRODID, FeedMeta, parse_duration
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
    vevent.add("uid", SafeText(content.event_uid(event, uid_domain)))
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", SafeText(content.summary_text(event)))
    for name, value in (("location", content.location_text(event)),
                        ("description", content.description_text(event))):
        if value is not None:
            vevent.add(name, SafeText(value))
    if uri := content.web_uri(event.url):
        vevent.add("url", uri)
    if items := content.categories(event):
        vevent.add("categories", SafeCategories(items))
    vevent.add("status", ICAL_STATUS[event.status])
    vevent.add("class", "PRIVATE" if event.visibility is Visibility.STAFF else "PUBLIC")
    vevent.add("transp", "TRANSPARENT")
    return EventPiece(vevent.to_ical(sorted=False).decode("utf-8"), tzids)


def reference_header(meta: FeedMeta) -> bytes:
    """The header of a feed of *meta* through ``icalendar``'s ``Calendar.to_ical``."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("uid", SafeText(meta.calendar_uid))
    calendar.add("name", SafeText(meta.name))
    calendar.add("x-wr-calname", SafeText(meta.name))
    calendar.add("x-wr-caldesc", SafeText(meta.description))
    refresh = parse_duration(meta.refresh)
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    calendar.add("color", meta.color)
    if meta.last_modified_dt is not None:
        calendar.add("last-modified", meta.last_modified_dt.astimezone(UTC).replace(microsecond=0))
    text: bytes = calendar.to_ical(sorted=False)
    assert text.endswith(FOOTER)
    return text[: -len(FOOTER)]
