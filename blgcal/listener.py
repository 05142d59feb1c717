"""A thread that LISTENs on a PostgreSQL channel, for a cache that must hear of other
processes' writes.

:class:`Listener` holds its own autocommit connection. It calls ``on_connect``
once ``LISTEN`` is in place, ``on_message`` with each notification's payload,
and ``on_lost`` as soon as the connection fails or closes; then it connects
again, waiting twice as long each time up to :data:`RETRY_MAX` seconds.
While no notification comes it pings the server every *heartbeat* seconds,
so a connection that died silently is noticed within that time. A cache that
trusts its entries only between ``on_connect`` and ``on_lost`` is told of
every commit made after it began listening.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)
RETRY_FIRST, RETRY_MAX = 0.1, 5.0
APPLICATION_NAME = "blgcal listener"


class Listener:
    """LISTEN on *channel* of the database at *conninfo* in a daemon thread (see the module)."""

    def __init__(self, conninfo: str, channel: str, *, on_connect: Callable[[], None],
                 on_message: Callable[[str], None], on_lost: Callable[[], None],
                 heartbeat: float = 5.0) -> None:
        self.conninfo, self.channel, self.heartbeat = conninfo, channel, heartbeat
        self.on_connect, self.on_message, self.on_lost = on_connect, on_message, on_lost
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"LISTEN {channel}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop listening (within *heartbeat* seconds; *timeout* bounds the wait for it)."""
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        wait = RETRY_FIRST
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5,
                                     application_name=APPLICATION_NAME) as connection:
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self.on_connect()
                    wait = RETRY_FIRST
                    self._listen(connection)
            except Exception as exc:  # noqa: BLE001  (the server went away, say: try again later)
                log.warning("listening on %s stopped (%s); again in %.1f s", self.channel,
                            str(exc).splitlines()[0] if str(exc) else type(exc).__name__, wait)
            finally:
                self.on_lost()
            self._stop.wait(wait)
            wait = min(wait * 2, RETRY_MAX)

    def _listen(self, connection: psycopg.Connection) -> None:
        while not self._stop.is_set():
            for notice in connection.notifies(timeout=self.heartbeat):
                self.on_message(notice.payload)
            connection.execute("SELECT 1")
