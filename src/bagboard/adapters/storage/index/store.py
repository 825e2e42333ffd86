"""The library index on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.durability import rebuildable
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import comics, folders, library_scans
from bagboard.adapters.storage.index.generation import IndexVersion
from bagboard.adapters.storage.index.kept_comics import KeptComics, KeptPlaces
from bagboard.adapters.storage.index.rows import COMIC_READ_COLUMNS, indexed_comic
from bagboard.adapters.storage.index.statistics import refresh_statistics
from bagboard.adapters.storage.index.write import apply_changes
from bagboard.adapters.storage.progress.links import link_rows_at
from bagboard.domain.catalog import (
    ComicPlace,
    IndexChanges,
    IndexedComic,
    IndexSnapshot,
    IndexSummary,
    KnownComic,
    KnownFolder,
)
from bagboard.domain.errors import InvalidInput
from bagboard.ports.change_feed import ChangeFeed
from bagboard.ports.library_index import LibraryIndex

__all__ = ["SqlLibraryIndex"]

# Only what the incremental scan compares: at 100,000 comics the snapshot must stay a
# fraction of a second, so it never touches the metadata columns.
# Read through the lean path (rows as the driver's tuples): building 100,000 Core rows would
# cost more than the query.
_KNOWN_FOLDERS = Prepared(
    select(
        folders.c.id,
        folders.c.path,
        folders.c.depth,
        folders.c.mtime_ns,
        folders.c.has_thumbnail,
        folders.c.comic_count,
    ).where(folders.c.library_id == bindparam("library_id"))
)
_KNOWN_COMICS = Prepared(
    select(
        comics.c.id,
        comics.c.path,
        comics.c.size,
        comics.c.mtime_ns,
        comics.c.fingerprint,
        comics.c.error,
    ).where(comics.c.library_id == bindparam("library_id"))
)
# Through the partial index ix_comics_unnamed: nothing to read once names filled every comic.
_UNNAMED_COMICS = Prepared(
    select(comics.c.id).where(
        comics.c.library_id == bindparam("library_id"), comics.c.metadata_sources.is_(None)
    )
)
# COUNT(error) counts the unreadable files: their error is set, everyone else's is NULL.
# Through the partial index ix_comics_undigested, likewise empty once every comic has its ids.
_UNDIGESTED_COMICS = Prepared(
    select(comics.c.id).where(
        comics.c.library_id == bindparam("library_id"), comics.c.kosync_md5.is_(None)
    )
)
_COUNTS = Prepared(
    select(func.count(), func.count(comics.c.error)).where(
        comics.c.library_id == bindparam("library_id")
    )
)
_LAST_SCAN = Prepared(
    select(library_scans.c.last_scan_at).where(
        library_scans.c.library_id == bindparam("library_id")
    )
)
_COMIC = select(*(comics.c[name] for name in COMIC_READ_COLUMNS))
_COMIC_BY_ID = Prepared(_COMIC.where(comics.c.id == bindparam("id")))
_COMICS_BY_ID = Prepared(_COMIC.where(comics.c.id.in_(bindparam("ids", expanding=True))))
# Far below every driver's bound-parameter limit; a feed page asks for fifty.
_CHUNK = 1000
# Comics kept for one index generation (``KeptComics``): a few pages of Komga series lists;
# and places of the paths readers last saved positions in (``KeptPlaces``).
_COMICS_KEPT = 10_000
_PLACES_KEPT = 10_000
_COMIC_AT = Prepared(_COMIC.where(comics.c.path == bindparam("path")))
_PLACE_AT = Prepared(
    select(comics.c.id, comics.c.library_id, comics.c.path).where(
        comics.c.path == bindparam("path")
    )
)


class SqlLibraryIndex(LibraryIndex):
    def __init__(self, engine: Engine, changes: ChangeFeed | None = None) -> None:
        self._engine = engine
        self._version = IndexVersion(changes)
        self._written = 0  # rows changed by this process since statistics were refreshed
        self._kept = KeptComics(_COMICS_KEPT)
        self._places = KeptPlaces(_PLACES_KEPT)

    def snapshot(self, library_id: int) -> IndexSnapshot:
        # No shared read transaction: the scanner that asks is the index's only writer.
        with lean(self._engine) as conn:
            folder_rows = conn.all(_KNOWN_FOLDERS, library_id=library_id)
            comic_rows = conn.all(_KNOWN_COMICS, library_id=library_id)
            unnamed = {row[0] for row in conn.all(_UNNAMED_COMICS, library_id=library_id)}
            undigested = {row[0] for row in conn.all(_UNDIGESTED_COMICS, library_id=library_id)}
            last_scan_at = conn.scalar(_LAST_SCAN, library_id=library_id)
        known = {row[1]: KnownComic(*row) for row in comic_rows}
        if unnamed or undigested:
            for path, comic in known.items():
                if comic.id in unnamed or comic.id in undigested:
                    named, digested = comic.id not in unnamed, comic.id not in undigested
                    known[path] = replace(comic, named=named, digested=digested)
        return IndexSnapshot(
            folders={row[1]: KnownFolder(*row) for row in folder_rows},
            comics=known,
            last_scan_at=last_scan_at,
        )

    def summary(self, library_id: int) -> IndexSummary:
        with lean(self._engine) as conn:
            total, unreadable = conn.all(_COUNTS, library_id=library_id)[0]
            last_scan_at = conn.scalar(_LAST_SCAN, library_id=library_id)
        return IndexSummary(total - unreadable, unreadable, last_scan_at)

    def apply(self, library_id: int, changes: IndexChanges, at: datetime) -> None:
        if not changes:
            return
        # Both mean the scanner sent an inconsistent batch (a path indexed twice, a folder
        # removed while it still holds something); InvalidInput, as the memory index raises.
        duplicate = InvalidInput("a folder or comic with that path is already indexed")
        missing = InvalidInput("a folder still holds comics or folders")
        # A batch a power cut loses is found again by the next scan (``durability``). A first
        # import's batches checkpoint seldom; the ones that rebuild its facets as usual.
        with (
            translate_errors(duplicate=duplicate, missing=missing),
            rebuildable(self._engine, bulk=changes.defer_facets) as conn,
        ):
            apply_changes(conn, library_id, changes, at)
            arrived = [entry.path for entry, _ in changes.added]
            link_rows_at(conn, arrived + [move.entry.path for move in changes.moved])
        # Committed: this process's kept values go now, before the feed's notification.
        self._version.written()
        self._written += (
            len(changes.folders)
            + len(changes.added)
            + len(changes.changed)
            + len(changes.moved)
            + len(changes.removed_comics)
            + len(changes.removed_folders)
            + len(changes.digests)
        )

    def finish_scan(self, library_id: int, at: datetime) -> None:
        with translate_errors(), rebuildable(self._engine) as conn:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(library_scans).values(library_id=library_id, last_scan_at=at)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[library_scans.c.library_id],
                    set_={"last_scan_at": statement.excluded.last_scan_at},
                )
            )
        with translate_errors():
            if refresh_statistics(self._engine, self._written):
                self._written = 0

    def comic(self, comic_id: int) -> IndexedComic | None:
        # Kept for the index version, as ``comics`` are: every OPDS, Komga and KOReader
        # position write looks its comic up by id.
        def read(wanted: list[int]) -> dict[int, IndexedComic]:
            found = self._first(_COMIC_BY_ID, id=wanted[0])
            return {} if found is None else {found.id: found}

        return self._kept.get((comic_id,), self._version.now(self._engine), read).get(comic_id)

    def comics(self, ids: Sequence[int]) -> dict[int, IndexedComic]:
        # Comics kept for the index version borrow no connection (with the change feed).
        def read(wanted: list[int]) -> dict[int, IndexedComic]:
            found: dict[int, IndexedComic] = {}
            with lean(self._engine) as conn:
                for start in range(0, len(wanted), _CHUNK):
                    for row in conn.all(_COMICS_BY_ID, ids=wanted[start : start + _CHUNK]):
                        comic = indexed_comic(row)
                        found[comic.id] = comic
            return found

        return self._kept.get(ids, self._version.now(self._engine), read)

    def comic_at(self, path: str) -> IndexedComic | None:
        return self._first(_COMIC_AT, path=path)

    def place_at(self, path: str) -> ComicPlace | None:
        # Kept for the index version: a reader saves one position after another by path.
        def read(wanted: list[str]) -> dict[str, ComicPlace]:
            with lean(self._engine) as conn:
                row = conn.first(_PLACE_AT, path=wanted[0])
            return {} if row is None else {wanted[0]: ComicPlace(*row)}

        return self._places.get((path,), self._version.now(self._engine), read).get(path)

    def _first(self, statement: Prepared, **values: Any) -> IndexedComic | None:
        # The lean path: every detail, cover, page and progress request looks a comic up.
        with lean(self._engine) as conn:
            row = conn.first(statement, **values)
        return None if row is None else indexed_comic(row)
