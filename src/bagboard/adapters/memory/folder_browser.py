"""``FolderBrowser`` over a ``MemoryLibraryIndex``: folders and the comics directly inside them,
computed from one consistent view of the index per call."""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from bagboard.adapters.memory.browse_rows import by_name, comic_row, page_of
from bagboard.adapters.memory.index import IndexContents, MemoryLibraryIndex
from bagboard.domain.browse import SERIES_DEPTH, ComicRow, FolderRow, FolderShape
from bagboard.domain.catalog import KnownFolder
from bagboard.domain.folder_layout import (
    PUBLISHER_DEPTH,
    has_own_series,
    lists_children,
    nested_series,
    row_key,
)
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.folder_browser import FolderBrowser

__all__ = ["MemoryFolderBrowser"]


def _folder_row(contents: IndexContents, folder: KnownFolder) -> FolderRow:
    parent = None if folder.depth == 0 else contents.folders.get(posixpath.dirname(folder.path))
    return FolderRow(
        id=folder.id,
        library_id=contents.folder_library[folder.path],
        parent_id=None if parent is None else parent.id,
        path=folder.path,
        name=posixpath.basename(folder.path) or folder.path,
        depth=folder.depth,
        has_thumbnail=folder.has_thumbnail,
        comic_count=folder.comic_count,
    )


class MemoryFolderBrowser(FolderBrowser):
    def __init__(self, index: MemoryLibraryIndex) -> None:
        self._index = index

    def _folders(self, library_ids: Sequence[int] | None = None) -> list[FolderRow]:
        contents = self._index.contents()
        return [
            _folder_row(contents, folder)
            for path, folder in contents.folders.items()
            if library_ids is None or contents.folder_library[path] in library_ids
        ]

    def _publishers(self, library_ids: Sequence[int]) -> list[FolderRow]:
        direct = self._direct()
        return [
            row if row.depth == PUBLISHER_DEPTH else replace(row, comic_count=direct[row.path])
            for row in self._folders(library_ids)
            if row.depth == PUBLISHER_DEPTH or (row.depth == 0 and direct[row.path])
        ]

    def _direct(self) -> Counter[str]:
        # Comics held directly, by folder path.
        return Counter(comic.folder_path for comic in self._index.contents().comics.values())

    def publishers(self, library_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        return page_of(self._publishers(library_ids), by_name, page)

    def named(
        self, library_ids: Sequence[int], parent_ids: Sequence[int] | None, name: str
    ) -> list[FolderRow]:
        if parent_ids is None:
            rows = [row for row in self._publishers(library_ids) if row.name == name]
        else:
            rows = [
                row
                for row in self._folders(library_ids)
                if row.name == name and row.parent_id in parent_ids
            ]
        return sorted(rows, key=by_name)

    def at(self, library_ids: Sequence[int], path: str) -> FolderRow | None:
        contents = self._index.contents()
        folder = contents.folders.get(path)
        if folder is None or contents.folder_library[path] not in library_ids:
            return None
        return _folder_row(contents, folder)

    def children(self, parent_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        rows = (row for row in self._folders() if row.parent_id in parent_ids)
        return page_of(rows, by_name, page)

    def series(self, publishers: Sequence[FolderRow], page: PageRequest) -> Page[FolderRow]:
        direct = self._direct()
        own = sorted(
            (
                replace(row, comic_count=direct[row.path])
                for row in publishers
                if has_own_series(row) and direct[row.path]
            ),
            key=row_key,
        )
        parents = {row.id for row in publishers if lists_children(row)}
        folders = self._folders()
        entries = list(own)
        for child in sorted((r for r in folders if r.parent_id in parents), key=row_key):
            entries.append(child)
            if child.depth == SERIES_DEPTH and direct[child.path]:
                base = child.path + "/"
                below = [r for r in folders if r.path.startswith(base) and direct[r.path]]
                entries += nested_series(child, below)
        return Page(entries[page.offset : page.offset + page.limit], len(entries), page)

    def shapes(self, paths: Sequence[str]) -> dict[str, FolderShape]:
        contents = self._index.contents()
        direct = self._direct()
        children: dict[str, list[FolderRow]] = defaultdict(list)
        for folder in contents.folders.values():
            if folder.depth > 0:
                children[posixpath.dirname(folder.path)].append(_folder_row(contents, folder))
        shapes = {}
        for path in paths:
            known = contents.folders.get(path)
            if known is None:
                continue
            deeper: tuple[str, ...] = ()
            if known.depth == SERIES_DEPTH and not direct[path]:
                deeper = tuple(
                    sorted(
                        other[len(path) + 1 :]
                        for other in contents.folders
                        if other.startswith(path + "/")
                        and "/" in other[len(path) + 1 :]
                        and direct[other]
                    )
                )
            shapes[path] = FolderShape(
                known.depth,
                direct[path],
                tuple(
                    (row.name, row.comic_count, direct[row.path])
                    for row in sorted(children[path], key=by_name)
                ),
                deeper,
            )
        return shapes

    def comics(self, folder_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        contents = self._index.contents()
        wanted = {folder.path for folder in contents.folders.values() if folder.id in folder_ids}
        rows = (
            comic_row(comic) for comic in contents.comics.values() if comic.folder_path in wanted
        )
        return page_of(rows, by_name, page)
