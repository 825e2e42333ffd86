"""What the ``ComicLibrary`` facade does to its database as a whole: kept apart so the facade
stays small."""

from __future__ import annotations

from pathlib import Path

from bagboard.adapters.storage.db.backup import backup_sqlite
from bagboard.bootstrap import SQL, Container
from bagboard.domain.errors import InvalidInput

__all__ = ["DatabaseSteps"]


class DatabaseSteps:
    """Gives ``ComicLibrary`` its ``backup``."""

    _container: Container

    def backup(self, target: str | Path) -> int:
        """Copy the SQLite database to ``target``, a new file, while the server may keep
        using it (SQLite's online backup); returns the copy's size in bytes. ``InvalidInput``
        for a library in memory or on PostgreSQL (``pg_dump`` backs that up), or a target
        that exists. Restoring is putting the copy back in the data folder as
        ``bagboard.db`` while no server runs, with any ``bagboard.db-wal`` and
        ``bagboard.db-shm`` left there deleted (SQLite would apply them to the copy)."""
        if self._container.config.storage() != SQL:
            raise InvalidInput("a library kept in memory has no database to back up")
        return backup_sqlite(self._container.engine(), Path(target).expanduser().resolve())
