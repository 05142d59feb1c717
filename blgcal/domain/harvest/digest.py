"""The key of a source's content: a harvest reads the file again only when it changes.

Indico writes every DTSTAMP as the moment of the request (ICAL.md), so its
bytes differ on every fetch while nothing in them does. DTSTAMP says when
the file was made, not anything about a meeting (RFC 5545 3.8.7.2), and no
parser here reads it for an item: the key of an iCalendar file leaves those
lines out, so an Indico feed that has not changed costs no parse at all.
"""

from __future__ import annotations

import hashlib
import re

from blgcal.domain.harvest.detect import kind_for
from blgcal.domain.harvest.sources import SourceKind

# A DTSTAMP content line and its folded continuations (RFC 5545 3.1).
DTSTAMP = re.compile(rb"^DTSTAMP[;:][^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", re.MULTILINE | re.IGNORECASE)


def content_digest(data: bytes, kind: str) -> str:
    """The SHA-256 of *data* as *kind* reads it: iCalendar DTSTAMP lines aside."""
    if kind_for(kind) is SourceKind.ICS:
        data = DTSTAMP.sub(b"", data)
    return hashlib.sha256(data).hexdigest()
