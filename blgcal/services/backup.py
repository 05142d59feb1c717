"""Backups: SQLite's online backup API, or pg_dump / pg_restore on PostgreSQL.

Both print a digest of the database's content, so a restore can be checked
against the backup it came from.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.engine import URL, Engine

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


def backup(engine: Engine, target: Path, *, replace: bool = False) -> None:
    """Write a consistent copy of the database to *target*, readable by its owner only.

    The copy is written beside *target* under a temporary name and moved into
    place when complete, so a failure (a full disk, a killed process) never
    leaves a half-written backup. An existing *target* is kept unless *replace*.
    """
    if target.exists() and not replace:
        raise BackupError(f"{target} already exists: choose another name, or --force to replace it")
    partial = _private_partial(target)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_copy(_sqlite_path(engine), partial)
            _self_contained(partial)
        elif engine.dialect.name == "postgresql":
            with partial.open("wb") as out:
                _run(["pg_dump", "--format=custom", "--no-owner", "--dbname", _libpq_url(engine)],
                     engine=engine, stdout=out)
        else:
            raise BackupError(f"no backup method for {engine.dialect.name}")
        _check_backup(engine, partial, shown_as=target)
        os.replace(partial, target) if replace else _link_new(partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"cannot write the backup to {target}: {_reason(exc)}") from None
    finally:
        partial.unlink(missing_ok=True)


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's content with the backup at *source*.

    *source* is checked first: a file that is not a complete blgcal backup
    (every table of the current schema) is refused and nothing is touched.
    """
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    _check_backup(engine, source, shown_as=source)
    if engine.dialect.name == "sqlite":
        engine.dispose()
        try:
            _sqlite_copy(source, Path(_sqlite_path(engine)))
        except sqlite3.Error as exc:
            raise BackupError(f"cannot restore {source}: {exc}") from None
    elif engine.dialect.name == "postgresql":
        engine.dispose()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", _libpq_url(engine), str(source)], engine=engine, about=source)
    else:
        raise BackupError(f"no restore method for {engine.dialect.name}")


def _private_partial(target: Path) -> Path:
    """An empty file beside *target*, mode 0600: backups hold password hashes and tokens."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                            dir=target.parent)
    except OSError as exc:
        raise BackupError(f"cannot write the backup to {target}: {_reason(exc)}") from None
    os.close(descriptor)
    return Path(name)


def _link_new(partial: Path, target: Path) -> None:
    """Move *partial* to *target* only if *target* still does not exist."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise BackupError(f"{target} already exists: choose another name, or --force to replace it"
                          ) from None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


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


#: Tables every blgcal database has had since its first migrations. A backup
#: missing any of them is not one (an older backup may lack newer tables: the
#: restore migrates it forward).
CORE_TABLES = frozenset({"alembic_version", "body", "event", "event_body", "event_tag",
                         "observance", "user_account", "user_body", "revision"})


def _self_contained(path: Path) -> None:
    """Turn a copied WAL database into one file, with no ``-wal`` or ``-shm`` beside it."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()


def _check_backup(engine: Engine, source: Path, *, shown_as: Path) -> None:
    """Refuse *source* unless it holds blgcal's core tables."""
    if engine.dialect.name == "sqlite":
        tables = _sqlite_tables(source, shown_as)
    elif engine.dialect.name == "postgresql":
        tables = _pg_dump_tables(engine, source, shown_as)
    else:
        return
    missing = sorted(CORE_TABLES - tables)
    if missing:
        raise BackupError(f"{shown_as} is not a complete blgcal backup: it has no table "
                          f"{', '.join(missing)}; nothing was changed")


def _sqlite_tables(source: Path, shown_as: Path) -> set[str]:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {name for (name,) in rows}
        connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{shown_as} is not a blgcal SQLite backup: {exc}") from None
    return tables


def _pg_dump_tables(engine: Engine, source: Path, shown_as: Path) -> set[str]:
    """The tables whose data a custom-format dump holds (``pg_restore --list``)."""
    listing = _run(["pg_restore", "--list", str(source)], engine=engine, about=shown_as)
    entries = (line.split(" TABLE DATA ", 1)[1].split() for line in listing.splitlines()
               if " TABLE DATA " in line)
    return {entry[1] for entry in entries if len(entry) >= 2}


def _libpq_url(engine: Engine) -> str:
    """The connection URL for libpq tools, without its password (see :func:`_pg_env`)."""
    url = engine.url
    return URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                      database=url.database, query=url.query).render_as_string()


def _pg_env(engine: Engine) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the password travels in PGPASSWORD.

    Never on the command line, where every local user can read it in ``ps``.
    """
    env = dict(os.environ)
    if engine.url.password:
        env["PGPASSWORD"] = str(engine.url.password)
    return env


def _run(command: list[str], *, engine: Engine, about: Path | None = None,
         stdout: IO[bytes] | None = None) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    result = subprocess.run(command, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_pg_env(engine), check=False)
    if result.returncode != 0:
        subject = f"{about}: " if about else ""
        message = result.stderr.decode(errors="replace").strip()
        raise BackupError(f"{subject}{command[0]} failed: {message}")
    return (result.stdout or b"").decode(errors="replace")
