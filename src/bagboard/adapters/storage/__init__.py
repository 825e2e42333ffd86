"""SQLAlchemy 2 storage: SQLite and PostgreSQL adapters for the persistence ports.

``make_engine`` builds a tuned engine, ``upgrade`` applies the shipped Alembic migrations and the
``Sql*Store`` classes implement the ports on top of them.
"""

from __future__ import annotations

from bagboard.adapters.storage.admin.libraries import SqlLibraryStore
from bagboard.adapters.storage.admin.problems import SqlProblemList
from bagboard.adapters.storage.admin.settings import SqlSettingsStore
from bagboard.adapters.storage.admin.tokens import SqlTokenStore
from bagboard.adapters.storage.admin.users import SqlUserStore
from bagboard.adapters.storage.arcs.story_arcs import SqlStoryArcs
from bagboard.adapters.storage.browse.folders import SqlFolderBrowser
from bagboard.adapters.storage.browse.metadata import SqlMetadataBrowser
from bagboard.adapters.storage.db.engine import make_engine
from bagboard.adapters.storage.db.loans import shared_reads
from bagboard.adapters.storage.db.migrate import upgrade
from bagboard.adapters.storage.index.store import SqlLibraryIndex
from bagboard.adapters.storage.komga.series_ids import SqlSeriesIds
from bagboard.adapters.storage.lists.reading_lists import SqlReadingLists
from bagboard.adapters.storage.lists.shelves import SqlShelves
from bagboard.adapters.storage.progress.store import SqlProgressStore

__all__ = [
    "SqlFolderBrowser",
    "SqlLibraryIndex",
    "SqlLibraryStore",
    "SqlMetadataBrowser",
    "SqlProblemList",
    "SqlProgressStore",
    "SqlReadingLists",
    "SqlSeriesIds",
    "SqlSettingsStore",
    "SqlShelves",
    "SqlStoryArcs",
    "SqlTokenStore",
    "SqlUserStore",
    "make_engine",
    "shared_reads",
    "upgrade",
]
