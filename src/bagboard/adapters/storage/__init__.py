"""SQLAlchemy 2 storage: SQLite and PostgreSQL adapters for the persistence ports.

``make_engine`` builds a tuned engine, ``upgrade`` applies the shipped Alembic migrations and the
``Sql*Store`` classes implement the ports on top of them.
"""

from __future__ import annotations

from bagboard.adapters.storage.browse_folders import SqlFolderBrowser
from bagboard.adapters.storage.browse_metadata import SqlMetadataBrowser
from bagboard.adapters.storage.engine import make_engine
from bagboard.adapters.storage.index import SqlLibraryIndex
from bagboard.adapters.storage.libraries import SqlLibraryStore
from bagboard.adapters.storage.migrate import upgrade
from bagboard.adapters.storage.reading import SqlReadingStates
from bagboard.adapters.storage.settings import SqlSettingsStore
from bagboard.adapters.storage.shelves import SqlShelves
from bagboard.adapters.storage.tokens import SqlTokenStore
from bagboard.adapters.storage.users import SqlUserStore

__all__ = [
    "SqlFolderBrowser",
    "SqlLibraryIndex",
    "SqlLibraryStore",
    "SqlMetadataBrowser",
    "SqlReadingStates",
    "SqlSettingsStore",
    "SqlShelves",
    "SqlTokenStore",
    "SqlUserStore",
    "make_engine",
    "upgrade",
]
