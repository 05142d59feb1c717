"""The private feeds a process's tokens opened, kept while it hears of every change to them.

A :class:`TokenCache` answers only while it is *listening*: between the
listener's connect and its loss (see :mod:`blgcal.listener`), when every
commit that may close a feed reaches :meth:`TokenCache.forget` or
:meth:`TokenCache.forget_all`. A lookup takes a :meth:`~TokenCache.ticket`
before it reads the database and puts what it read under that ticket; any
forgetting in between (or a lost connection) voids the ticket, so a feed read
just before its revocation, and put just after the notice of it, is never
kept. Bounded by entries, least recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from blgcal.services.feeds.private import Subscription

ALL = "*"  # the payload that means "forget every feed"


class TokenCache:
    """Live :class:`~blgcal.services.feeds.private.Subscription` by token hash, at most *capacity*."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._feeds: OrderedDict[str, Subscription] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0
        self._listening = False

    def __len__(self) -> int:
        return len(self._feeds)

    @property
    def listening(self) -> bool:
        return self._listening

    def ticket(self) -> int | None:
        """What a lookup about to read the database puts under; None while not listening."""
        with self._lock:
            return self._generation if self._listening else None

    def get(self, hashed: str) -> Subscription | None:
        with self._lock:
            feed = self._feeds.get(hashed) if self._listening else None
            if feed is not None:
                self._feeds.move_to_end(hashed)
            return feed

    def put(self, hashed: str, feed: Subscription, ticket: int | None) -> None:
        """Keep *feed*, read under *ticket*, unless anything was forgotten since."""
        with self._lock:
            if ticket is None or ticket != self._generation or not self.capacity:
                return
            self._feeds[hashed] = feed
            self._feeds.move_to_end(hashed)
            while len(self._feeds) > self.capacity:
                self._feeds.popitem(last=False)

    def forget(self, hashed: str) -> None:
        with self._lock:
            self._generation += 1
            self._feeds.pop(hashed, None)

    def forget_all(self) -> None:
        with self._lock:
            self._generation += 1
            self._feeds.clear()

    def heard(self, payload: str) -> None:
        """A notification: the token hash of a changed feed, or :data:`ALL`."""
        if payload == ALL:
            self.forget_all()
        else:
            self.forget(payload)

    def connected(self) -> None:
        """The listener is in place: from now on every change is heard of."""
        with self._lock:
            self._generation += 1
            self._feeds.clear()
            self._listening = True

    def lost(self) -> None:
        """The listener is gone: changes may go unheard, so keep nothing and answer nothing."""
        with self._lock:
            self._generation += 1
            self._feeds.clear()
            self._listening = False
