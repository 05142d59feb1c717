"""Rendered pages shared by every worker and host through Redis (``REDIS_URL``).

The page cache of each process (:mod:`blgcal.web.caches`) asks here on a miss,
so after a write the agenda is rendered once for all workers instead of once
per worker. Each entry carries the calendar version and day it was rendered
for and is used only under that same version, so it is never stale; entries
expire after ``PAGE_CACHE_SHARED_SECONDS``, which bounds what the cache can
hold in Redis. If Redis cannot be reached, pages are rendered per process and
Redis is asked again after ``RETRY_SECONDS``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

import orjson
import redis

log = logging.getLogger("blgcal.pages")
PREFIX = "blgcal:page:"
TIMEOUT_SECONDS = 0.25  # a page is cheaper to render than to wait longer for
RETRY_SECONDS = 30
Version = tuple[str, str]


class SharedPages:
    """Pages in Redis under their URL, each with the version it was rendered for."""

    def __init__(self, client: redis.Redis, seconds: int) -> None:
        self.client, self.seconds = client, seconds
        self._down_until = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SharedPages | None:
        """Pages shared through ``REDIS_URL``, or None without it (or with 0 seconds)."""
        url, seconds = config.get("REDIS_URL"), int(config["PAGE_CACHE_SHARED_SECONDS"])
        if not url or seconds <= 0:
            return None
        client = redis.Redis.from_url(str(url), socket_timeout=TIMEOUT_SECONDS,
                                      socket_connect_timeout=TIMEOUT_SECONDS)
        return cls(client, seconds)

    def get(self, key: str, version: Version) -> str | None:
        """The page another process rendered for *key* under *version*, or None."""
        raw = self._call(lambda: self.client.get(_name(key)))
        if not isinstance(raw, bytes):
            return None
        stored, page = orjson.loads(raw)
        return str(page) if tuple(stored) == version else None

    def put(self, key: str, version: Version, page: str) -> None:
        self._call(lambda: self.client.set(_name(key), orjson.dumps([version, page]),
                                           ex=self.seconds))

    def _call(self, command: Any) -> Any:
        if time.monotonic() < self._down_until:
            return None
        try:
            return command()
        except redis.RedisError as exc:
            with self._lock:
                self._down_until = time.monotonic() + RETRY_SECONDS
            log.warning("pages are not shared for %d s: Redis failed (%s)", RETRY_SECONDS, exc)
            return None


def _name(key: str) -> str:
    return PREFIX + hashlib.sha256(key.encode()).hexdigest()
