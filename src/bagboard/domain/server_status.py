"""What the status and library administration pages show: plain facts, computed by services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bagboard.domain.model import Library

__all__ = ["DatabaseFacts", "FolderChoice", "LibraryOverview", "ServerStatus"]


@dataclass(frozen=True, slots=True)
class DatabaseFacts:
    """The kind of database (``SQLite``, ``PostgreSQL``, ``memory``) and, for a database file,
    its size; never its address or credentials."""

    kind: str
    size_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class LibraryOverview:
    """A library with what its index holds: comics, unreadable files, the last complete scan."""

    library: Library
    comics: int
    unreadable: int
    last_scan_at: datetime | None


@dataclass(frozen=True, slots=True)
class ServerStatus:
    libraries: tuple[LibraryOverview, ...]
    comics: int
    series: int
    users: int
    tokens: int  # active API tokens
    database: DatabaseFacts
    cache_bytes: int


@dataclass(frozen=True, slots=True)
class FolderChoice:
    """A folder on the server as the folder picker shows it: its resolved path, its parent
    (None at the filesystem root) and the names of its visible subfolders, sorted."""

    path: str
    parent: str | None
    subfolders: tuple[str, ...]
    truncated: bool = False
