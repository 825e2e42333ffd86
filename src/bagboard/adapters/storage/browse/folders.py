"""Filesystem-mode browsing over the ``folders`` and ``comics`` tables.

Every list is one indexed ``LIMIT``/``OFFSET`` query in natural order (``name_sort``, then the
raw name, then the id, so pages never overlap); the total comes free when the page is not full
and from one ``COUNT`` otherwise (``PagedStatement``, shared with ``browse/metadata.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Engine, Select, bindparam, func, select

from bagboard.adapters.storage.browse.folder_layout import Layout, LayoutStatements, direct_count
from bagboard.adapters.storage.db.lean import LeanConnection, Prepared
from bagboard.adapters.storage.db.tables import comics, folders
from bagboard.adapters.storage.index.generation import (
    GenerationCache,
    IndexVersion,
    kept,
    kept_on,
    reading,
)
from bagboard.domain.browse import ComicRow, FolderRow, FolderShape
from bagboard.domain.folder_layout import (
    PUBLISHER_DEPTH,
    children_window,
    has_own_series,
    lists_children,
    merge_series,
)
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.change_feed import ChangeFeed
from bagboard.ports.folder_browser import FolderBrowser

__all__ = ["COMIC", "PAGES_KEPT", "PagedStatement", "SqlFolderBrowser", "bytewise", "empty"]

T = TypeVar("T")

_SHAPES_KEPT = 512  # pages of series folders
_LAYOUTS_KEPT = 256  # publishers' own series and nested series
_NAMES_KEPT = 2048  # folders looked up by name or path (every issues page looks up two)
# Pages of comics kept per browser: about 25 KB each (50 rows), a few megabytes in all.
PAGES_KEPT = 128

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


class PagedStatement:
    """An ordered statement cut into pages on the lean path, with its count."""

    def __init__(self, statement: Select[Any]) -> None:
        self._page = Prepared(statement.limit(bindparam("limit")).offset(bindparam("offset")))
        self._count = Prepared(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )

    def page(
        self, conn: LeanConnection, page: PageRequest, make: Callable[..., T], **values: Any
    ) -> Page[T]:
        """One page, counted only when the page alone cannot tell the total."""
        rows, total = self.window(conn, page.offset, page.limit, make, **values)
        return Page(rows, total, page)

    def window(
        self,
        conn: LeanConnection,
        offset: int,
        limit: int,
        make: Callable[..., T],
        **values: Any,
    ) -> tuple[list[T], int]:
        """``limit`` rows from ``offset`` on, and the total (counted only when needed)."""
        rows = conn.all(self._page, limit=limit, offset=offset, **values)
        total = offset + len(rows)
        if (rows and len(rows) == limit) or (not rows and offset > 0):
            total = conn.scalar(self._count, **values)
        return [make(*row) for row in rows], total


def empty(page: PageRequest) -> Page[Any]:
    return Page([], 0, page)


class SqlFolderBrowser(FolderBrowser):
    """Each statement is built once, for this engine's dialect, and run on the lean path
    (``lean``): a listing runs three to five of them, and building them again on every
    request cost more than running them."""

    def __init__(self, engine: Engine, changes: ChangeFeed | None = None) -> None:
        self._engine = engine
        self._version = IndexVersion(changes)
        self._kept_shapes: GenerationCache[dict[str, FolderShape]] = GenerationCache(_SHAPES_KEPT)
        self._kept_pages: GenerationCache[Page[ComicRow]] = GenerationCache(PAGES_KEPT)
        self._kept_folders: GenerationCache[Page[FolderRow]] = GenerationCache(PAGES_KEPT)
        self._kept_layouts: GenerationCache[Layout] = GenerationCache(_LAYOUTS_KEPT)
        self._kept_names: GenerationCache[list[Any]] = GenerationCache(_NAMES_KEPT)
        self._kept_children: GenerationCache[tuple[list[FolderRow], int]] = GenerationCache(
            _SHAPES_KEPT
        )
        # Series lists also read a publisher's own series and its mixed series folders
        # (``folder_layout.py``), kept while the index stays the same.
        self._layout = layout = LayoutStatements()
        dialect = engine.dialect.name
        folder_order = (folders.c.name_sort, bytewise(folders.c.name, dialect), folders.c.id)
        comic_order = (comics.c.name_sort, bytewise(comics.c.name, dialect), comics.c.id)
        libraries = folders.c.library_id.in_(bindparam("libraries", expanding=True))
        parents = folders.c.parent_id.in_(bindparam("parents", expanding=True))
        publishers = (libraries, *layout.is_publisher)
        self._publishers = PagedStatement(
            layout.publisher_columns.where(*publishers).order_by(*folder_order)
        )
        # The sort key narrows a name lookup to one entry of the (parent, name_sort) or
        # (library, depth, name_sort) index; the raw name makes the match exact.
        same_name = (
            folders.c.name_sort == bindparam("name_sort"),
            folders.c.name == bindparam("name"),
            libraries,
        )
        self._named_publisher = Prepared(
            layout.publisher_columns.where(*same_name, *layout.is_publisher).order_by(*folder_order)
        )
        self._named_child = Prepared(_FOLDER.where(*same_name, parents).order_by(*folder_order))
        self._at = Prepared(_FOLDER.where(folders.c.path == bindparam("path"), libraries))
        self._children = PagedStatement(_FOLDER.where(parents).order_by(*folder_order))
        self._own_shapes = Prepared(
            select(
                folders.c.id, folders.c.path, folders.c.depth, _direct_count(folders.c.id)
            ).where(folders.c.path.in_(bindparam("paths", expanding=True)))
        )
        child = folders.alias("child")
        self._child_shapes = Prepared(
            select(
                child.c.parent_id,
                child.c.name,
                child.c.comic_count,
                _direct_count(child.c.id),
                child.c.id,
            )
            .where(child.c.parent_id.in_(bindparam("parents", expanding=True)))
            .order_by(child.c.parent_id, child.c.name_sort, child.c.name, child.c.id)
        )
        self._comics = PagedStatement(
            COMIC.where(comics.c.folder_id.in_(bindparam("folders", expanding=True))).order_by(
                *comic_order
            )
        )

    def publishers(self, library_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        if not library_ids:
            return empty(page)
        read = lambda conn: self._publishers.page(conn, page, FolderRow, libraries=library_ids)  # noqa: E731
        key = ("publishers", tuple(library_ids), page)
        return kept_on(self._kept_folders, key, self._version, self._engine, read)

    def named(
        self, library_ids: Sequence[int], parent_ids: Sequence[int] | None, name: str
    ) -> list[FolderRow]:
        if not library_ids or (parent_ids is not None and not parent_ids):
            return []
        values: dict[str, Any] = {"name_sort": natural_sort_text(name), "name": name}
        values["libraries"] = library_ids
        kind, parents = ("named", None) if parent_ids is None else ("child", tuple(parent_ids))
        if parents is not None:
            values["parents"] = parents
        rows = self._kept_rows((kind, tuple(library_ids), parents, name), values)
        return [FolderRow(*row) for row in rows]

    def at(self, library_ids: Sequence[int], path: str) -> FolderRow | None:
        if not library_ids:
            return None
        values = {"path": path, "libraries": library_ids}
        rows = self._kept_rows(("at", tuple(library_ids), path), values)
        return FolderRow(*rows[0]) if rows else None

    def _kept_rows(self, key: tuple[Any, ...], values: dict[str, Any]) -> Any:
        # A lookup's rows, kept while the index stays the same (no connection when kept).
        statement = {"named": self._named_publisher, "child": self._named_child, "at": self._at}
        read = lambda conn: conn.all(statement[key[0]], **values)  # noqa: E731
        return kept_on(self._kept_names, key, self._version, self._engine, read)

    def children(self, parent_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        if not parent_ids:
            return empty(page)
        read = lambda conn: self._children.page(conn, page, FolderRow, parents=parent_ids)  # noqa: E731
        key = ("children", tuple(parent_ids), page)
        return kept_on(self._kept_folders, key, self._version, self._engine, read)

    def series(self, publishers: Sequence[FolderRow], page: PageRequest) -> Page[FolderRow]:
        own_ids = sorted({row.id for row in publishers if has_own_series(row)})
        parents = sorted({row.id for row in publishers if lists_children(row)})
        tops = sorted({row.id for row in publishers if row.depth == PUBLISHER_DEPTH})
        if not own_ids and not parents:
            return empty(page)
        # Kept for the index version: a page of series folders and their count too; with the
        # change feed, a kept page borrows no connection.
        generation = self._version.now(self._engine)
        own, nested = kept(
            self._kept_layouts,
            (tuple(own_ids), tuple(tops)),
            generation,
            reading(self._engine, lambda conn: self._layout.own_and_nested(conn, own_ids, tops)),
        )
        rows: list[FolderRow] = []
        total = 0
        start, limit = children_window(len(own), sum(len(n) for _, n in nested.values()), page)
        if parents:
            window = lambda conn: self._children.window(  # noqa: E731
                conn, start, limit, FolderRow, parents=parents
            )
            key = (tuple(parents), start, limit)
            rows, total = kept(self._kept_children, key, generation, reading(self._engine, window))
        return merge_series(own, nested, start, rows, total, page)

    def shapes(self, paths: Sequence[str]) -> dict[str, FolderShape]:
        if not paths:
            return {}
        wanted = tuple(sorted(set(paths)))
        # Two queries whatever the number of paths: the folders with their direct counts,
        # then all their children with theirs (and a third when comics lie deeper than the
        # children of a series folder without comics of its own). They count many index
        # entries for a few numbers, so the shapes are kept while the index stays the same.
        read = lambda conn: self._shapes(conn, wanted)  # noqa: E731
        return kept_on(self._kept_shapes, wanted, self._version, self._engine, read)

    def _shapes(self, conn: LeanConnection, wanted: Sequence[str]) -> dict[str, FolderShape]:
        own = conn.all(self._own_shapes, paths=wanted)
        rows = conn.all(self._child_shapes, parents=[row[0] for row in own]) if own else []
        children: dict[int, list[tuple[str, int, int]]] = {}
        # Volume detection looks below the subfolders of a series folder holding no comic
        # directly, when comics lie deeper than them.
        deep: dict[int, int] = {}  # subfolder id -> its parent's id
        for parent_id, name, count, direct, child_id in rows:
            children.setdefault(parent_id, []).append((name, count, direct))
            if count > direct:
                deep[child_id] = parent_id
        deeper = self._layout.deeper(conn, own, deep)
        return {
            path: FolderShape(
                depth,
                direct,
                tuple(children.get(folder_id, ())),
                tuple(sorted(deeper.get(path, ()))),
            )
            for folder_id, path, depth, direct in own
        }

    def comics(self, folder_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        if not folder_ids:
            return empty(page)

        read = lambda conn: self._comics.page(conn, page, ComicRow, folders=folder_ids)  # noqa: E731
        return kept_on(
            self._kept_pages, (tuple(folder_ids), page), self._version, self._engine, read
        )


_direct_count = direct_count
