"""Applying the shipped Alembic migrations from code, with no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

from bagboard.adapters.storage.db.engine import make_engine
from bagboard.adapters.storage.db.errors import translate_errors

__all__ = ["MIGRATIONS", "alembic_config", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

# Any constant shared by every bagboard process: concurrent start-ups against one PostgreSQL
# database take turns instead of racing to create the same tables.
_PG_MIGRATION_LOCK = 0x6261_6762  # "bagb"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged migrations, optionally bound to ``connection``."""
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
            command.upgrade(alembic_config(connection), revision)
    finally:
        if engine is not target:
            engine.dispose()
