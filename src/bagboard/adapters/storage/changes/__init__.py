"""Change feeds over the storage's own database (``ports/change_feed.py``)."""

from __future__ import annotations

from sqlalchemy import Engine

from bagboard.adapters.storage.changes.sqlite import SqliteChangeFeed
from bagboard.ports.change_feed import ChangeFeed

__all__ = ["SqliteChangeFeed", "change_feed"]


def change_feed(engine: Engine) -> ChangeFeed:
    """The feed of ``engine``'s database."""
    if engine.dialect.name == "postgresql":
        # Imported here: psycopg and its libpq take about 20 MiB a server on SQLite never uses.
        from bagboard.adapters.storage.changes.postgresql import PostgresChangeFeed

        return PostgresChangeFeed(engine)
    return SqliteChangeFeed(engine)
