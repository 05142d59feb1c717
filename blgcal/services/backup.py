"""Backups: SQLite's online backup API, or pg_dump / pg_restore on PostgreSQL.

Both print a digest of the database's content, so a restore can be checked
against the backup it came from.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from blgcal.models import Base


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def content_digest(engine: Engine) -> str:
    """SHA-256 over every row of every table, in a fixed order."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name):
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            for row in rows:
                digest.update(table.name.encode())
                digest.update(json.dumps(list(row), default=str).encode())
    return digest.hexdigest()


def backup(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the database to *target*."""
    if engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_path(engine), target)
    elif engine.dialect.name == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), _libpq_url(engine)])
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's content with the backup at *source*."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    if engine.dialect.name == "sqlite":
        _check_sqlite_backup(source)
        engine.dispose()
        _sqlite_copy(source, Path(_sqlite_path(engine)))
    elif engine.dialect.name == "postgresql":
        engine.dispose()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", _libpq_url(engine), str(source)], about=source)
    else:
        raise BackupError(f"no restore method for {engine.dialect.name}")


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return database


def _sqlite_copy(source: str | Path, target: Path) -> None:
    """Copy page by page while other connections may keep writing (sqlite3 backup API)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            connection.execute(text("SELECT version_num FROM alembic_version").text).fetchone()
        connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a blgcal SQLite backup: {exc}") from None


def _libpq_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str], *, about: Path | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        subject = f"{about}: " if about else ""
        raise BackupError(f"{subject}{command[0]} failed: {result.stderr.strip()}")
