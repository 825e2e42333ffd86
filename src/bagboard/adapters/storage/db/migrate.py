"""Applying the shipped Alembic migrations from code, with no alembic.ini.

A database already at the newest migration (``HEAD``) is told so by one query, without
loading Alembic: its import (Mako and Pygments with it) takes about 10 MiB, which a server
would otherwise keep for its whole life after a start-up check that changed nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from bagboard.adapters.storage.db.engine import make_engine
from bagboard.adapters.storage.db.errors import translate_errors

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["HEAD", "MIGRATIONS", "alembic_config", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
# The newest revision in ``migrations/versions`` (tests/integration/test_sql_migrations.py
# checks it against Alembic's own answer).
HEAD = "0021"

# Any constant shared by every bagboard process: concurrent start-ups against one PostgreSQL
# database take turns instead of racing to create the same tables.
_PG_MIGRATION_LOCK = 0x6261_6762  # "bagb"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged migrations, optionally bound to ``connection``."""
    from alembic.config import Config

    config = Config()
    # The option goes through configparser interpolation, where '%' is special.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(target: Engine | str, revision: str = "head") -> None:
    """Bring the database at ``target`` (an engine or a URL) up to ``revision``.

    Safe on every start-up: an up-to-date database is left untouched. Raises
    ``StorageUnavailable`` when the database cannot be reached or stays locked.
    """
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with translate_errors(), engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            if revision == "head" and _revisions(connection) == [HEAD]:
                return
            from alembic import command

            command.upgrade(alembic_config(connection), revision)
    finally:
        if engine is not target:
            engine.dispose()


def _revisions(connection: Connection) -> list[str]:
    """The revisions Alembic recorded in the database; none in a new one."""
    if not inspect(connection).has_table("alembic_version"):
        return []
    rows = connection.execute(text("SELECT version_num FROM alembic_version"))
    return [str(revision) for revision in rows.scalars()]
