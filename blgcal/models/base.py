"""The declarative base of every model, its naming convention, the UTC column type, StrEnum columns.

Plain SQLAlchemy: importing the models loads no Flask (the web binding is :mod:`blgcal.db`).
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, Enum, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC; always hand back aware UTC datetimes.

    SQLite keeps no zone, so values are normalised to UTC on the way in and
    labelled UTC on the way out; naive values are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to a UTC column")
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(cls: type[enum.StrEnum]) -> Enum:
    """A StrEnum stored by value in a ``VARCHAR(16)``, guarded by :func:`one_of`."""
    return Enum(cls, native_enum=False, length=16, create_constraint=False,
                values_callable=lambda members: [m.value for m in members])


def one_of(column: str, cls: type[enum.StrEnum]) -> CheckConstraint:
    """The CHECK constraint ``ck_<table>_<column>``: ``column IN ('a', 'b')``, as migrated."""
    return CheckConstraint(f"{column} IN ({', '.join(repr(m.value) for m in cls)})", name=column)
