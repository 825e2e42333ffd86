"""What the status page may say of the database: its kind, and a SQLite file's size."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from bagboard.domain.server_status import DatabaseFacts

__all__ = ["database_probe", "memory_database"]


def database_probe(url: str) -> Callable[[], DatabaseFacts]:
    """A function telling the database's kind (and, for a SQLite file, its size on disk,
    with its write-ahead log) each time it is called. The URL stays in here."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return lambda: DatabaseFacts("PostgreSQL")
    if backend != "sqlite":
        return lambda: DatabaseFacts(backend)
    path = parsed.database or ""
    if not path or path == ":memory:":
        return lambda: DatabaseFacts("SQLite")

    def sqlite_facts() -> DatabaseFacts:
        size = 0
        for name in (path, path + "-wal"):
            try:
                size += Path(name).stat().st_size
            except OSError:
                continue
        return DatabaseFacts("SQLite", size)

    return sqlite_facts


def memory_database() -> DatabaseFacts:
    return DatabaseFacts("memory")
