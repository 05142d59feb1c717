"""One harvest at a time: a PostgreSQL advisory lock, or a lock row elsewhere.

The advisory lock belongs to a connection held for the whole harvest, so it
ends with the process however the process ends. The lock row (SQLite) has an
expiry instead: a harvest killed while holding it blocks others until then,
and :meth:`HarvestLock.renew` pushes the expiry on while a long harvest works.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from blgcal.models import HarvestLock as LockRow

ADVISORY_KEY = 0x626C6763616C  # "blgcal"
ROW_ID = 1


class LockHeld(RuntimeError):
    """Another harvest holds the lock."""


class HarvestLock:
    """A held lock; :meth:`renew` extends a lock row's expiry."""

    def __init__(self, engine: Engine, holder: str, minutes: float) -> None:
        self.engine, self.holder, self.minutes = engine, holder, minutes

    def renew(self, now: datetime) -> None:
        if self.engine.dialect.name != "postgresql":
            with self.engine.begin() as connection:
                connection.execute(update(LockRow).where(LockRow.holder == self.holder)
                                   .values(expires_dt=now + timedelta(minutes=self.minutes)))


@contextmanager
def harvest_lock(engine: Engine, *, now: datetime, holder: str,
                 minutes: float = 60) -> Iterator[HarvestLock]:
    """Hold the harvest lock inside the block; raise LockHeld if taken."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            _advisory(connection)
            try:
                yield HarvestLock(engine, holder, minutes)
            finally:
                connection.execute(select(func.pg_advisory_unlock(ADVISORY_KEY)))
                connection.commit()
        return
    _take_row(engine, now=now, holder=holder, minutes=minutes)
    try:
        yield HarvestLock(engine, holder, minutes)
    finally:
        with engine.begin() as connection:
            connection.execute(delete(LockRow).where(LockRow.holder == holder))


def _advisory(connection: Connection) -> None:
    got = connection.execute(select(func.pg_try_advisory_lock(ADVISORY_KEY))).scalar()
    connection.commit()
    if not got:
        raise LockHeld("another harvest is running (PostgreSQL advisory lock is held)")


def _take_row(engine: Engine, *, now: datetime, holder: str, minutes: float) -> None:
    try:
        with engine.begin() as connection:
            connection.execute(delete(LockRow).where(LockRow.expires_dt < now))
            connection.execute(insert(LockRow).values(
                id=ROW_ID, holder=holder, expires_dt=now + timedelta(minutes=minutes)))
    except IntegrityError:
        with engine.connect() as connection:
            row = connection.execute(select(LockRow.holder, LockRow.expires_dt)).first()
        until = f" (held by {row[0]} until {row[1]:%Y-%m-%d %H:%M} UTC)" if row else ""
        raise LockHeld(f"another harvest is running{until}") from None
