"""Scan locks shared by the processes using one database (``ports/scan_locks.py``):
PostgreSQL advisory locks, or lock files beside a SQLite database."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from bagboard.adapters.storage.locks.files import FileScanLocks, lock_folder
from bagboard.ports.scan_locks import ScanLocks

__all__ = ["FileScanLocks", "lock_folder", "scan_locks_for"]


def scan_locks_for(database_url: str, holder: str) -> ScanLocks | None:
    """The scan locks of ``holder`` for the database at ``database_url``; None for a SQLite
    database in memory, which no other process can open (locks within the process do)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        # Imported here, as the change feed's: psycopg is for PostgreSQL's servers only.
        from bagboard.adapters.storage.locks.postgres import PgScanLocks

        return PgScanLocks(database_url, holder)
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return FileScanLocks(lock_folder(database), holder)
