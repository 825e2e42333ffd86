"""Filesystem-mode browsing over the ``folders`` and ``comics`` tables.

Every list is one indexed ``LIMIT``/``OFFSET`` query in natural order (``name_sort``, then the
raw name, then the id, so pages never overlap); the total comes free when the page is not full
and from one ``COUNT`` otherwise. The comic row helpers are shared with ``browse_metadata``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    Select,
    func,
    select,
)

from bagboard.adapters.storage.errors import translate_errors
from bagboard.adapters.storage.tables import comics, folders
from bagboard.domain.browse import ComicRow, FolderRow, FolderShape
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.folder_browser import FolderBrowser

T = TypeVar("T")

# Named as the fields of the row dataclasses, so a result row maps straight onto one.
_FOLDER = select(
    folders.c.id,
    folders.c.library_id,
    folders.c.parent_id,
    folders.c.path,
    folders.c.name,
    folders.c.depth,
    folders.c.has_thumbnail,
    folders.c.comic_count,
)
COMIC = select(
    comics.c.id,
    comics.c.library_id,
    comics.c.path,
    comics.c.name,
    comics.c.size,
    comics.c.has_comicinfo,
    comics.c.page_count,
    comics.c.added_at,
    comics.c.title,
    comics.c.series,
    comics.c.number,
    comics.c.year,
    comics.c.publisher,
)


def bytewise(column: ColumnElement[str], dialect: str) -> ColumnElement[str]:
    """``column`` compared by code point, as Python compares ``str`` (the memory adapter).

    The ``*_sort`` columns already carry ``COLLATE "C"`` on PostgreSQL; plain text columns
    would follow the database's locale there. SQLite's default BINARY needs nothing (and
    knows no collation called "C").
    """
    return column.collate("C") if dialect == "postgresql" else column


def comic_row(row: RowMapping) -> ComicRow:
    return ComicRow(**row)


def folder_row(row: RowMapping) -> FolderRow:
    return FolderRow(**row)


def paged(
    conn: Connection,
    statement: Select[Any],
    page: PageRequest,
    make: Callable[[RowMapping], T],
    count: Select[Any] | None = None,
) -> Page[T]:
    """One page of an ordered ``statement``, counted (by ``count`` when given, a cheaper
    equivalent) only when the page alone cannot tell the total."""
    rows = conn.execute(statement.limit(page.limit).offset(page.offset)).mappings().all()
    total = page.offset + len(rows)
    if (rows and len(rows) == page.limit) or (not rows and page.offset > 0):
        if count is None:
            count = select(func.count()).select_from(statement.order_by(None).subquery())
        total = conn.execute(count).scalar_one()
    return Page([make(row) for row in rows], total, page)


def empty(page: PageRequest) -> Page[Any]:
    return Page([], 0, page)


class SqlFolderBrowser(FolderBrowser):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        dialect = engine.dialect.name
        self._folder_order = (folders.c.name_sort, bytewise(folders.c.name, dialect), folders.c.id)
        self._comic_order = (comics.c.name_sort, bytewise(comics.c.name, dialect), comics.c.id)

    def publishers(self, library_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        if not library_ids:
            return empty(page)
        statement = _FOLDER.where(
            folders.c.library_id.in_(library_ids), folders.c.depth == 1
        ).order_by(*self._folder_order)
        with translate_errors(), self._engine.connect() as conn:
            return paged(conn, statement, page, folder_row)

    def named(
        self, library_ids: Sequence[int], parent_ids: Sequence[int] | None, name: str
    ) -> list[FolderRow]:
        if not library_ids or (parent_ids is not None and not parent_ids):
            return []
        under = folders.c.depth == 1 if parent_ids is None else folders.c.parent_id.in_(parent_ids)
        statement = _FOLDER.where(
            # The sort key narrows the lookup to one entry of the (parent, name_sort) or
            # (library, depth, name_sort) index; the raw name makes the match exact.
            folders.c.name_sort == natural_sort_text(name),
            folders.c.name == name,
            folders.c.library_id.in_(library_ids),
            under,
        ).order_by(*self._folder_order)
        with translate_errors(), self._engine.connect() as conn:
            return [folder_row(row) for row in conn.execute(statement).mappings()]

    def at(self, library_ids: Sequence[int], path: str) -> FolderRow | None:
        if not library_ids:
            return None
        statement = _FOLDER.where(folders.c.path == path, folders.c.library_id.in_(library_ids))
        with translate_errors(), self._engine.connect() as conn:
            row = conn.execute(statement).mappings().first()
        return None if row is None else folder_row(row)

    def children(self, parent_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        if not parent_ids:
            return empty(page)
        statement = _FOLDER.where(folders.c.parent_id.in_(parent_ids)).order_by(*self._folder_order)
        with translate_errors(), self._engine.connect() as conn:
            return paged(conn, statement, page, folder_row)

    def shapes(self, paths: Sequence[str]) -> dict[str, FolderShape]:
        if not paths:
            return {}
        # Two queries whatever the number of paths: the folders with their direct counts,
        # then all their children with theirs (each count an index-only lookup).
        with translate_errors(), self._engine.connect() as conn:
            own = conn.execute(
                select(
                    folders.c.id, folders.c.path, folders.c.depth, _direct_count(folders.c.id)
                ).where(folders.c.path.in_(set(paths)))
            ).all()
            if not own:
                return {}
            child = folders.alias("child")
            rows = conn.execute(
                select(
                    child.c.parent_id, child.c.name, child.c.comic_count, _direct_count(child.c.id)
                )
                .where(child.c.parent_id.in_([row.id for row in own]))
                .order_by(child.c.parent_id, child.c.name_sort, child.c.name, child.c.id)
            ).all()
        children: dict[int, list[tuple[str, int, int]]] = {}
        for parent_id, name, count, direct in rows:
            children.setdefault(parent_id, []).append((name, count, direct))
        return {
            path: FolderShape(depth, direct, tuple(children.get(folder_id, ())))
            for folder_id, path, depth, direct in own
        }

    def comics(self, folder_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        if not folder_ids:
            return empty(page)
        statement = COMIC.where(comics.c.folder_id.in_(folder_ids)).order_by(*self._comic_order)
        with translate_errors(), self._engine.connect() as conn:
            return paged(conn, statement, page, comic_row)


def _direct_count(folder_id: ColumnElement[int]) -> ColumnElement[int]:
    return select(func.count()).where(comics.c.folder_id == folder_id).scalar_subquery()
