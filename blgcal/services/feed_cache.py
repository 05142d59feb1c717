"""Finished feeds kept in memory, keyed by feed, calendar version and day.

Any write changes the calendar's version, so an entry can never be served
stale; the day is in the key because the window rolls and cancellations
expire at midnight. The cache is bounded by bytes, not entries (a 10,000
event feed is megabytes), and a put for a newer version drops the entries
of older ones, which can never be asked for again.

Builds are single-flight: when a write invalidates a popular feed, the
requests that arrive together wait for one build instead of each running it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from blgcal.services.feeds import FeedBody


@dataclass(frozen=True, slots=True)
class CacheKey:
    feed: str
    version: str
    day: str


class FeedCache:
    """An LRU of :class:`FeedBody` values holding at most *max_bytes* of feeds."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[CacheKey, FeedBody] = OrderedDict()
        self.size = 0
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()

    def get(self, key: CacheKey) -> FeedBody | None:
        with self._lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
            return body

    def put(self, key: CacheKey, body: FeedBody) -> None:
        if len(body.data) > self.max_bytes:
            return
        with self._lock:
            for old in [k for k in self.entries if k.version != key.version or k.day != key.day]:
                self._drop(old)
            if key in self.entries:
                self._drop(key)
            self.entries[key] = body
            self.size += len(body.data)
            while self.size > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def get_or_build(self, key: CacheKey, build: Callable[[], FeedBody]) -> FeedBody:
        """The cached body for *key*, or *build*'s, built once however many ask."""
        body = self.get(key)
        if body is not None:
            return body
        with self._build_lock:
            body = self.get(key)
            if body is None:
                body = build()
                self.put(key, body)
            return body

    def _drop(self, key: CacheKey) -> None:
        self.size -= len(self.entries.pop(key).data)
