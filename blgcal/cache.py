"""One cache for everything built from the calendar: pages, feed parts, findings.

Each entry is a value built for one *version* of what it was read from (the
calendar's version and the day, or a finer fingerprint); asking with another
version is a miss, and putting a newer one replaces the entry, so nothing is
ever served for data it was not built from. The cache is bounded by bytes
(each cache weighs its own values), evicts the least recently used, and builds
single-flight: requests that miss the same key together wait for one build
instead of each running it (builds of other keys go on meanwhile). Each app keeps its own caches in
``app.extensions`` (see :func:`blgcal.web.caches.init_app`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class _Entry(Generic[V]):
    version: Hashable
    value: V
    size: int


class VersionedCache(Generic[K, V]):
    """An LRU of *K* to the *V* built for one version, holding at most *capacity*.

    *weigh* gives a value's weight in the unit of *capacity*: bytes for pages,
    parts and findings, 1 for a cache bounded by its number of entries. A
    value heavier than the whole cache is returned but not kept; a capacity
    of 0 keeps nothing.
    """

    def __init__(self, capacity: int, weigh: Callable[[V], int]) -> None:
        self.capacity = capacity
        self.weigh = weigh
        self.size = 0
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[K, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def get(self, key: K, version: Hashable) -> V | None:
        """The value of *key* built for *version*, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(key)
            return entry.value

    def put(self, key: K, version: Hashable, value: V) -> None:
        """Keep *value* as *key*'s for *version*, replacing what *key* held."""
        size = self.weigh(value)
        with self._lock:
            self._drop(key)
            if not self.enabled or size > self.capacity:
                return
            self._entries[key] = _Entry(version, value, size)
            self.size += size
            while self.size > self.capacity:
                self._drop(next(iter(self._entries)))

    def get_or_build(self, key: K, version: Hashable, build: Callable[[], V]) -> V:
        """*key*'s value for *version*, or *build*'s, built once however many ask together."""
        value = self.get(key, version)
        if value is not None:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            value = self.get(key, version)
            if value is None:
                value = build()
                self.put(key, version, value)
        with self._lock:
            if not building.locked():
                self._building.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

    def _drop(self, key: K) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.size -= entry.size
