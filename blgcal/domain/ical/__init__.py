"""Build iCalendar feeds (RFC 5545, RFC 7986) without I/O or a clock.

Build each event's piece once when it changes with :func:`event_component`
(and :func:`observance_component` for international days), store the text
and its TZIDs, and answer each feed request with :func:`assemble_feed`.
"""

from blgcal.domain.ical.event import EventPiece, event_component
from blgcal.domain.ical.feed import FOOTER, PRODID, FeedMeta, assemble_components, assemble_feed, feed_header
from blgcal.domain.ical.observance import observance_component
from blgcal.domain.ical.text import sanitize_text
from blgcal.domain.ical.vtimezone import vtimezone_component

__all__ = [
    "FOOTER", "PRODID", "EventPiece", "FeedMeta", "assemble_components", "assemble_feed",
    "event_component", "feed_header",
    "observance_component", "sanitize_text", "vtimezone_component",
]
