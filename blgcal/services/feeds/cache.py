"""Finished feeds kept in memory: their parts by bytes, what answers a 304 by address.

A feed is a header (its name, calendar UID, colour) around a part (the
VTIMEZONEs and components of its events). :class:`FeedCache` keeps parts,
keyed by what they hold, the calendar version and the day, so the private
feeds of 10,000 subscribers following the same body share one part. Any write
changes the calendar's version, so an entry can never be served stale; the
day is in the key because the window rolls and cancellations expire at
midnight. It is bounded by bytes (a 10,000 event feed is megabytes), and a
put for a newer version drops the entries of older ones, which can never be
asked for again.

:class:`FeedIndex` keeps, per feed address, what a conditional request needs:
the version and day it was built for, its ETag and Last-Modified, its header
and the key of its part (not the part itself, so the index costs a few hundred
bytes a feed). Builds are single-flight: when a write invalidates a popular
feed, the requests that arrive together wait for one build instead of each
running it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from blgcal.services.feeds.build import FeedPart


@dataclass(frozen=True, slots=True)
class CacheKey:
    feed: str
    version: str
    day: str


class FeedCache:
    """An LRU of :class:`FeedPart` values holding at most *max_bytes* of feeds."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[CacheKey, FeedPart] = OrderedDict()
        self.size = 0
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()

    def get(self, key: CacheKey) -> FeedPart | None:
        with self._lock:
            part = self.entries.get(key)
            if part is not None:
                self.entries.move_to_end(key)
            return part

    def put(self, key: CacheKey, part: FeedPart) -> None:
        if len(part.data) > self.max_bytes:
            return
        with self._lock:
            for old in [k for k in self.entries if k.version != key.version or k.day != key.day]:
                self._drop(old)
            if key in self.entries:
                self._drop(key)
            self.entries[key] = part
            self.size += len(part.data)
            while self.size > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def get_or_build(self, key: CacheKey, build: Callable[[], FeedPart]) -> FeedPart:
        """The cached part for *key*, or *build*'s, built once however many ask."""
        part = self.get(key)
        if part is not None:
            return part
        with self._build_lock:
            part = self.get(key)
            if part is None:
                part = build()
                self.put(key, part)
            return part

    def _drop(self, key: CacheKey) -> None:
        self.size -= len(self.entries.pop(key).data)


@dataclass(frozen=True, slots=True)
class Served:
    """What :class:`FeedIndex` keeps of one feed address."""

    version: str
    day: str
    etag: str
    last_modified: datetime
    header: bytes
    part_key: str

    def current(self, version: str, day: str) -> bool:
        return self.version == version and self.day == day


class FeedIndex:
    """An LRU of :class:`Served` by feed address, at most *size* of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Served] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, feed: str) -> Served | None:
        with self._lock:
            served = self.entries.get(feed)
            if served is not None:
                self.entries.move_to_end(feed)
            return served

    def put(self, feed: str, served: Served) -> None:
        if not self.size:
            return
        with self._lock:
            self.entries[feed] = served
            self.entries.move_to_end(feed)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
