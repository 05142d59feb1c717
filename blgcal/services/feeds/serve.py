"""Serving a feed: the one use case every ``.ics`` address goes through.

:func:`serve` answers a :class:`~blgcal.domain.feeds.FeedRequest` with what a
response needs (:class:`Served`: ETag, Last-Modified, header, and the content
whose part holds the bytes), resolving the request's spec only when this
process has not served the address since its bytes last changed. Three
:class:`~blgcal.cache.VersionedCache` instances make that cheap (:class:`FeedCaches`):

- *index*: per address, the :class:`Served` it last got, for the day;
- *fingerprints*: per content, its events' fingerprint under the calendar's
  version. A content restricted to bodies takes its bodies' fingerprints
  (:func:`~blgcal.services.versions.body_fingerprints`, one grouped query a
  version for every body, which the caller keeps); any other its own
  (:func:`~blgcal.services.feeds.build.fingerprint`, a scan of the events);
- *parts*: per content, the built part under the day and the fingerprint.

So a write elsewhere in the calendar costs a feed at most one query, and its
ETag (a hash of the header and the part) stays what subscribers hold; a write
to one of its events (or of its bodies', for a body feed) rebuilds its part
once, however many addresses share it.
Parts that hold the international days or the comms plan follow the
calendar's version instead, as those are not in the fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from blgcal.cache import VersionedCache
from blgcal.domain.feeds import FeedContent, FeedRequest
from blgcal.domain.ical.window import FeedSettings
from blgcal.services.feeds.build import (
    FeedBody,
    FeedPart,
    build_part,
    etag_of,
    fingerprint,
    finish,
)
from blgcal.services.feeds.specs import resolve
from blgcal.services.versions import bodies_stamp

FINGERPRINT_BYTES = 2**20  # a fingerprint weighs about 100 bytes: ten thousand contents


@dataclass(frozen=True, slots=True)
class Served:
    """What the index keeps of an address: enough for a 304, and where its bytes are."""

    version: str  # the calendar version it was last checked against
    fingerprint: str
    etag: str
    last_modified: datetime
    header: bytes
    content: FeedContent
    name: str


@dataclass(frozen=True, slots=True)
class FeedCaches:
    """A process's feed caches (see the module docstring)."""

    index: VersionedCache[str, Served]
    fingerprints: VersionedCache[FeedContent, str]
    parts: VersionedCache[FeedContent, FeedPart]

    @classmethod
    def sized(cls, *, addresses: int, part_bytes: int) -> FeedCaches:
        """An index of *addresses* (each a few hundred bytes) and *part_bytes* of parts."""
        return cls(index=VersionedCache(addresses, lambda _: 1),
                   fingerprints=VersionedCache(FINGERPRINT_BYTES, lambda stamp: len(stamp) + 64),
                   parts=VersionedCache(part_bytes, lambda part: len(part.data)))


@dataclass(frozen=True, slots=True)
class FeedContext:
    """What serving reads besides the request: the data's version, the clock, the settings,
    and the bodies' slugs (*known_bodies*, which the caller may keep). *open_session* gives
    the session, asked for only when the database must be read (a 304 from the caches
    opens none). *body_fingerprints* gives
    :func:`~blgcal.services.versions.body_fingerprints` for the version, which the
    caller may keep too."""

    open_session: Callable[[], Session]
    caches: FeedCaches
    version: str
    today: date
    now: datetime
    settings: FeedSettings
    site: str
    known_bodies: Callable[[], Collection[str]]
    body_fingerprints: Callable[[], Mapping[str, str]]

    @property
    def day(self) -> str:
        return self.today.isoformat()

    @property
    def session(self) -> Session:
        return self.open_session()


def serve(request: FeedRequest, context: FeedContext) -> Served:
    """*request*'s feed as it is now (raises what :func:`~blgcal.services.feeds.specs.resolve` raises)."""
    known = context.caches.index.get(request.address, context.day)
    if known is not None:
        current = still_current(request.address, known, context)
        if current is not None:
            return current
    spec = resolve(context.session, request, site=context.site, known_bodies=context.known_bodies)
    stamp = _fingerprint(spec.content, context)
    body = finish(spec.meta, _part(spec.content, stamp, context, name=spec.key))
    served = Served(context.version, stamp, body.etag, body.last_modified, body.header,
                    spec.content, spec.key)
    context.caches.index.put(request.address, context.day, served)
    return served


def still_current(address: str, served: Served, context: FeedContext) -> Served | None:
    """*served* brought to the calendar's version if its bytes are unchanged, else None."""
    if served.version == context.version:
        return served
    if _fingerprint(served.content, context) != served.fingerprint:
        return None
    served = replace(served, version=context.version)
    context.caches.index.put(address, context.day, served)
    return served


def body_of(served: Served, context: FeedContext) -> FeedBody:
    """The bytes behind *served*: its part from the cache, or built again if dropped.

    A part built again reads the data as it is now, so the ETag is the body's
    own (:func:`~blgcal.services.feeds.build.etag_of`), never *served*'s alone.
    """
    part = _part(served.content, served.fingerprint, context, name=served.name)
    return FeedBody(served.header, part, etag_of(served.header, part))


def _fingerprint(content: FeedContent, context: FeedContext) -> str:
    """The content's fingerprint under the calendar's version (its own, in the cache)."""
    def read() -> str:
        if content.flt.bodies and content.event_id is None:
            stamp = bodies_stamp(context.body_fingerprints(), content.flt.bodies)
        else:
            stamp = fingerprint(context.session, content, today=context.today,
                                settings=context.settings)
        return stamp if content.depends_on_events_only else f"{stamp}@{context.version}"
    return context.caches.fingerprints.get_or_build(content, (context.version, context.day), read)


def _part(content: FeedContent, stamp: str, context: FeedContext, *, name: str) -> FeedPart:
    def build() -> FeedPart:
        return build_part(context.session, content, today=context.today, now=context.now,
                          settings=context.settings, name=name)
    return context.caches.parts.get_or_build(content, (context.day, stamp), build)
