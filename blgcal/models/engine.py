"""The engine: JSON through orjson; on SQLite, foreign keys, WAL and waiting on locks."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine; on SQLite enforce foreign keys and wait on locks."""
    options: dict[str, Any] = {"echo": echo, "future": True,
                               "json_serializer": _json_text, "json_deserializer": orjson.loads}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 30}
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _json_text(value: Any) -> str:
    """JSON columns through orjson: a harvest writes tens of thousands of them."""
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
