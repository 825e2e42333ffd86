"""Favorites and want-to-read on SQLite or PostgreSQL."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Engine, bindparam, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import comics, shelf_entries
from bagboard.adapters.storage.index.moved_paths import PathHolder, free_path
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.shelves import Shelf, ShelfEntry, ShelfItem, ShelfKind
from bagboard.ports.shelves import Shelves

__all__ = ["SqlShelves"]


_entries = shelf_entries.c

# A file entry shows where its comic is now; the stored path is where it was when added.
_CURRENT_PATH = func.coalesce(comics.c.path, _entries.path)
# The same for the name order: a renamed comic sorts under its new name. Both columns hold
# sort keys built by the same function, so they compare alike.
_CURRENT_NAME_SORT = func.coalesce(comics.c.name_sort, _entries.name_sort)
_ORDER = {
    Shelf.FAVORITES: (_CURRENT_NAME_SORT, _entries.id),
    Shelf.TO_READ: (_entries.created_at.desc(), _entries.id.desc()),
}
_LIST = select(
    _entries.id, _entries.kind, _CURRENT_PATH, _entries.created_at, _entries.comic_id
).select_from(shelf_entries.outerjoin(comics, comics.c.id == _entries.comic_id))


def _lists(shelf: Shelf) -> tuple[Prepared, Prepared]:
    """The count and a page of one user's shelf within some libraries. An entry whose comic
    left the index went with it (ON DELETE CASCADE), so counting needs no join."""
    where = (
        _entries.user_id == bindparam("user"),
        _entries.shelf == bindparam("shelf"),
        _entries.library_id.in_(bindparam("libraries", expanding=True)),
    )
    count = select(func.count()).select_from(shelf_entries).where(*where)
    page = _LIST.where(*where).order_by(*_ORDER[shelf])
    return Prepared(count), Prepared(page.limit(bindparam("limit")).offset(bindparam("offset")))


_LISTS = {shelf: _lists(shelf) for shelf in Shelf}


class SqlShelves(Shelves):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, user_id: int, shelf: Shelf, item: ShelfItem, at: datetime) -> None:
        scope = _scope(user_id, shelf)
        # A file item's comic may be removed between the caller's lookup and this write.
        missing = ComicNotFound("that comic is no longer in the library")
        with translate_errors(missing=missing), self._engine.begin() as conn:
            if item.comic_id is not None:
                # A comic added again, under any path, keeps its first entry.
                shelved = select(_entries.id).where(*scope, _entries.comic_id == item.comic_id)
                if conn.execute(shelved).first() is not None:
                    return
            if free_path(conn, shelf_entries, _entries.path, scope, item.path) is not (
                PathHolder.NONE
            ):
                return  # the path is on the shelf already
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(shelf_entries).values(
                user_id=user_id,
                shelf=shelf.value,
                kind=item.kind.value,
                path=item.path,
                library_id=item.library_id,
                comic_id=item.comic_id,
                name_sort=natural_sort_text(posixpath.basename(item.path)),
                created_at=at,
            )
            # A concurrent add of the same item got there first: the first time stays.
            conn.execute(statement.on_conflict_do_nothing())

    def remove(self, user_id: int, shelf: Shelf, path: str) -> None:
        # The path a listing showed (a file's current path) or the one it was added under.
        moved_here = select(comics.c.id).where(comics.c.path == path).scalar_subquery()
        with translate_errors(), self._engine.begin() as conn:
            conn.execute(
                delete(shelf_entries).where(
                    *_scope(user_id, shelf),
                    or_(_entries.path == path, _entries.comic_id == moved_here),
                )
            )

    def list(
        self, user_id: int, shelf: Shelf, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ShelfEntry]:
        if not library_ids:
            return Page([], 0, page)
        count, query = _LISTS[shelf]
        values = {"user": user_id, "shelf": shelf.value, "libraries": library_ids}
        with lean(self._engine) as conn:
            total = conn.scalar(count, **values)
            if total > page.offset:
                rows = conn.all(query, limit=page.limit, offset=page.offset, **values)
            else:
                rows = []
        items = [
            ShelfEntry(
                id=row_id,
                kind=ShelfKind(kind),
                path=path,
                created_at=created_at,
                comic_id=comic_id,
            )
            for row_id, kind, path, created_at, comic_id in rows
        ]
        return Page(items, total, page)


def _scope(user_id: int, shelf: Shelf) -> tuple[ColumnElement[bool], ...]:
    return (_entries.user_id == user_id, _entries.shelf == shelf.value)
