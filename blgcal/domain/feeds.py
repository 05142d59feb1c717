"""What a feed is, before and after anything is read: its request, its content, its spec.

A :class:`FeedRequest` is what an address asks for (kind, subject, query
parameters, who asks); its :attr:`~FeedRequest.identity` names the feed once,
and everything else is spelt from it: the spec's key in logs, the cache's
address and the calendar UID (RFC 7986 5.3: fixed per feed forever). A
:class:`FeedContent` is what the events part holds, the key feeds of the same
content share their part under; a :class:`FeedSpec` is a content with its name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlencode

from blgcal.domain.filters import EventFilter
from blgcal.domain.ical import FeedMeta

Params = Mapping[str, Sequence[str]]
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")  # what urlencode's quote_plus never changes


class FeedKind(StrEnum):
    ALL = "all"
    BODY = "body"
    CUSTOM = "custom"
    OBSERVANCES = "observances"
    PRIVATE = "private"  # a saved filter, behind a token
    COMMS_PLAN = "comms"  # the comms plan, behind a token
    EVENT = "event"


def canonical(params: Params) -> str:
    """The parameters as one stable string: same filter, same cache entry and calendar UID.

    ``urlencode`` of the sorted pairs; names and values it would leave as they are (the
    usual ``body=cbd``) are joined directly, as every private feed's poll spells its own.
    """
    pairs = sorted((name, value) for name, values in params.items() for value in values if value)
    if all(_UNQUOTED.fullmatch(name) and _UNQUOTED.fullmatch(value) for name, value in pairs):
        return "&".join(f"{name}={value}" for name, value in pairs)
    return urlencode(pairs)


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """The feed an address asks for. *subject* is the body's slug, the private feed's or
    the event's id; *params* the query string (a private feed's saved filter); *name* a
    private feed's own name; *include_staff* whether staff-only events are shown."""

    kind: FeedKind
    subject: str = ""
    params: Params = field(default_factory=dict)
    include_staff: bool = False
    name: str = ""

    @property
    def identity(self) -> str:
        """``all``, ``body-cbd``, ``custom-<digest>``, ``private-12``, ``event-5``..."""
        if self.kind is FeedKind.CUSTOM:
            return f"custom-{hashlib.sha256(canonical(self.params).encode()).hexdigest()[:16]}"
        if self.kind is FeedKind.COMMS_PLAN:
            return f"private-{self.subject}"
        return f"{self.kind}-{self.subject}" if self.subject else str(self.kind)

    @property
    def calendar_uid(self) -> str:
        return f"feed-{self.identity}@blgcal"

    @property
    def address(self) -> str:
        """Everything the feed's bytes depend on besides the data: the cache's key for it."""
        return (f"{self.identity}:{self.kind}:{int(self.include_staff)}:{self.name}"
                f"?{canonical(self.params)}")


@dataclass(frozen=True, slots=True)
class FeedContent:
    """What a feed's part holds: the events matching *flt* (staff-only ones too with
    *include_staff*), or one event (*event_id*); the international days; the comms plan."""

    flt: EventFilter = field(default_factory=EventFilter)
    include_staff: bool = False
    events: bool = True
    observances: bool = False
    comms_plan: bool = False
    event_id: int | None = None

    @property
    def depends_on_events_only(self) -> bool:
        """Whether the part changes only when one of its events does (no days, no plan)."""
        return self.events and not (self.observances or self.comms_plan)


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """A feed: *key* (its identity, for logs), its name and calendar UID, its content."""

    key: str
    meta: FeedMeta
    content: FeedContent = field(default_factory=FeedContent)
