from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import settings as settings_table
from bagboard.domain.model import BrowseMode, ServerSettings
from bagboard.ports.settings_store import SettingsStore

__all__ = ["BROWSE_MODE", "SqlSettingsStore"]

BROWSE_MODE = "browse_mode"


class SqlSettingsStore(SettingsStore):
    """One row per setting, so a new setting needs no migration and absent rows mean defaults."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def load(self) -> ServerSettings:
        with translate_errors(), self._engine.connect() as conn:
            rows = conn.execute(select(settings_table.c.key, settings_table.c.value))
            stored = {str(key): str(value) for key, value in rows}
        return _decode(stored)

    def save(self, settings: ServerSettings) -> None:
        rows = [{"key": key, "value": value} for key, value in _encode(settings).items()]
        with translate_errors(), self._engine.begin() as conn:
            insert = _upsert_dialect(conn.dialect.name)
            statement = insert.on_conflict_do_update(
                index_elements=[settings_table.c.key], set_={"value": insert.excluded.value}
            )
            conn.execute(statement, rows)


def _upsert_dialect(dialect: str) -> postgresql.Insert | sqlite.Insert:
    # Both dialects spell the upsert the same way, but through their own Insert classes.
    if dialect == "postgresql":
        return postgresql.insert(settings_table)
    return sqlite.insert(settings_table)


def _encode(settings: ServerSettings) -> dict[str, str]:
    return {BROWSE_MODE: settings.browse_mode.value}


def _decode(stored: dict[str, str]) -> ServerSettings:
    defaults = ServerSettings()
    try:
        mode = BrowseMode(stored.get(BROWSE_MODE, defaults.browse_mode.value))
    except ValueError:
        # A value written by a newer version (or by hand) must not stop the server from starting.
        mode = defaults.browse_mode
    return ServerSettings(browse_mode=mode)
