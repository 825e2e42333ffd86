"""An online copy of a SQLite database: SQLite's backup API, while the server runs.

The copy is taken page by page through the same connection type the server uses, so a server
writing meanwhile is neither stopped nor able to tear the copy: SQLite restarts the copy of any
page a writer changed, and the result is the database as of one moment. It is written beside
the target under a temporary name and renamed into place when complete, so a backup cut short
(a full disk, a killed command) never leaves a file that looks whole.

PostgreSQL has its own tools for this (``pg_dump``); this module only copies SQLite files.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from bagboard.domain.errors import InvalidInput

__all__ = ["backup_sqlite"]

# Pages copied per step: other connections may write between steps.
_PAGES_PER_STEP = 1024


def backup_sqlite(engine: Engine, target: Path) -> int:
    """Copy the database behind ``engine`` to ``target`` (a new file); returns its size in
    bytes. ``InvalidInput`` for a database that is not SQLite, or a target that exists."""
    if engine.dialect.name != "sqlite":
        raise InvalidInput("db backup copies SQLite databases; back PostgreSQL up with pg_dump")
    if target.exists():
        raise InvalidInput(f"{target.name} exists already; give a new file name")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(f"no folder {folder.name!r} to write the backup in")
    handle, scratch = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(handle)
    try:
        with engine.connect() as conn:
            source = conn.connection.driver_connection
            if not isinstance(source, sqlite3.Connection):
                raise InvalidInput("db backup copies SQLite databases through sqlite3")
            copy = sqlite3.connect(scratch)
            try:
                source.backup(copy, pages=_PAGES_PER_STEP)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                copy.close()
        Path(scratch).replace(target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return target.stat().st_size
