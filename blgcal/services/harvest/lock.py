"""One harvest at a time: a PostgreSQL advisory lock, or a lock row elsewhere.

The advisory lock belongs to a connection held for the whole harvest, so it
ends with the process however the process ends; a lock row beside it names the
holder for those who find the lock taken. On SQLite the lock row is the lock,
with an expiry: a harvest killed while holding it blocks others until then,
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
    """Another harvest holds the lock; ``holder`` names it when known."""

    def __init__(self, holder: str | None, until: datetime | None = None) -> None:
        self.holder = holder
        held = f" until {until:%Y-%m-%d %H:%M} UTC" if until is not None else ""
        super().__init__("another harvest is running" + (f" (held by {holder}{held})" if holder else ""))


class HarvestLock:
    """A held lock: :meth:`renew` extends a lock row's expiry, :meth:`release` gives it back."""

    def __init__(self, engine: Engine, holder: str, minutes: float,
                 connection: Connection | None = None) -> None:
        self.engine, self.holder, self.minutes = engine, holder, minutes
        self.connection = connection  # PostgreSQL: the advisory lock's session

    def renew(self, now: datetime) -> None:
        if self.connection is None:
            with self.engine.begin() as connection:
                connection.execute(update(LockRow).where(LockRow.holder == self.holder)
                                   .values(expires_dt=now + timedelta(minutes=self.minutes)))

    def release(self) -> None:
        if self.connection is None:
            with self.engine.begin() as connection:
                connection.execute(delete(LockRow).where(LockRow.holder == self.holder))
            return
        try:
            self.connection.execute(delete(LockRow).where(LockRow.holder == self.holder))
            self.connection.execute(select(func.pg_advisory_unlock(ADVISORY_KEY)))
            self.connection.commit()
        finally:
            self.connection.close()


def acquire(engine: Engine, *, now: datetime, holder: str, minutes: float = 60) -> HarvestLock:
    """Take the harvest lock for *holder*; raise LockHeld if another harvest has it."""
    if engine.dialect.name != "postgresql":
        _take_row(engine, now=now, holder=holder, minutes=minutes)
        return HarvestLock(engine, holder, minutes)
    connection = engine.connect()
    try:
        _advisory(connection, now=now, holder=holder, minutes=minutes)
    except BaseException:
        connection.close()
        raise
    return HarvestLock(engine, holder, minutes, connection)


@contextmanager
def harvest_lock(engine: Engine, *, now: datetime, holder: str,
                 minutes: float = 60) -> Iterator[HarvestLock]:
    """Hold the harvest lock inside the block; raise LockHeld if taken."""
    lock = acquire(engine, now=now, holder=holder, minutes=minutes)
    try:
        yield lock
    finally:
        lock.release()


def _advisory(connection: Connection, *, now: datetime, holder: str, minutes: float) -> None:
    got = connection.execute(select(func.pg_try_advisory_lock(ADVISORY_KEY))).scalar()
    if not got:
        row = connection.execute(select(LockRow.holder)).first()
        connection.commit()
        raise LockHeld(row[0] if row else None)
    connection.execute(delete(LockRow))  # a killed holder's name
    connection.execute(insert(LockRow).values(id=ROW_ID, holder=holder,
                                              expires_dt=now + timedelta(minutes=minutes)))
    connection.commit()


def _take_row(engine: Engine, *, now: datetime, holder: str, minutes: float) -> None:
    try:
        with engine.begin() as connection:
            connection.execute(delete(LockRow).where(LockRow.expires_dt < now))
            connection.execute(insert(LockRow).values(
                id=ROW_ID, holder=holder, expires_dt=now + timedelta(minutes=minutes)))
    except IntegrityError:
        with engine.connect() as connection:
            row = connection.execute(select(LockRow.holder, LockRow.expires_dt)).first()
        raise (LockHeld(row[0], row[1]) if row else LockHeld(None)) from None
