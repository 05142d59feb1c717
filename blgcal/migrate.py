"""Run Alembic from inside blgcal: the only way the schema is created or changed."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from blgcal.models import Base


def alembic_config(engine: Engine) -> Config:
    """An Alembic config for *engine*, with the package's script location."""
    config = Config()
    config.set_main_option("script_location", str(files("blgcal") / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.set_main_option(
        "file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database at *engine* up to *revision* (every head by default)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def pending_differences(engine: Engine) -> list[object]:
    """What autogenerate would change: empty when models and migrations agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


@cache
def head_revisions() -> frozenset[str]:
    """The newest revisions the code has (read once per process)."""
    return frozenset(ScriptDirectory(str(files("blgcal") / "migrations")).get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    """The revisions the database at *connection* is at (empty: never migrated)."""
    return frozenset(MigrationContext.configure(connection).get_current_heads())
