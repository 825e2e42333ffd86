"""Browsing computed from a ``MemoryLibraryIndex``'s current contents.

Each call takes one consistent view of the index and works on it in Python. The orders, keys
and search rules are those of the SQL adapters (the contract suite runs both): natural order is
``natural_sort_text`` of the name, then the raw name, then the id; groups are keyed by
``grouping_key`` and listed in natural order of their key, then by the key itself.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from bagboard.adapters.memory.index import IndexContents, MemoryLibraryIndex
from bagboard.domain.browse import (
    ComicRow,
    Facet,
    FolderRow,
    FolderShape,
    Sort,
    display_name,
    grouping_key,
)
from bagboard.domain.catalog import IndexedComic, KnownFolder
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.folder_browser import FolderBrowser
from bagboard.ports.metadata_browser import MetadataBrowser

T = TypeVar("T")
_NO_INFO = ComicInfo()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _page(items: Iterable[T], key: Callable[[T], Any], page: PageRequest) -> Page[T]:
    ordered = sorted(items, key=key)
    return Page(ordered[page.offset : page.offset + page.limit], len(ordered), page)


def _natural(name: str, row_id: int) -> tuple[str, str, int]:
    return (natural_sort_text(name), name, row_id)


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


def comic_row(comic: IndexedComic) -> ComicRow:
    info = comic.comic_info or _NO_INFO
    return ComicRow(
        id=comic.id,
        library_id=comic.library_id,
        path=comic.path,
        name=comic.name,
        size=comic.size,
        has_comicinfo=comic.has_comicinfo,
        page_count=comic.page_count,
        added_at=comic.added_at,
        title=info.title,
        series=info.series,
        number=info.number,
        year=info.year,
        publisher=info.publisher,
    )


def _by_name(row: FolderRow | ComicRow) -> tuple[str, str, int]:
    return _natural(row.name, row.id)


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

    def publishers(self, library_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        rows = (row for row in self._folders(library_ids) if row.depth == 1)
        return _page(rows, _by_name, page)

    def named(
        self, library_ids: Sequence[int], parent_ids: Sequence[int] | None, name: str
    ) -> list[FolderRow]:
        rows = [
            row
            for row in self._folders(library_ids)
            if row.name == name
            and (row.depth == 1 if parent_ids is None else row.parent_id in parent_ids)
        ]
        return sorted(rows, key=_by_name)

    def at(self, library_ids: Sequence[int], path: str) -> FolderRow | None:
        contents = self._index.contents()
        folder = contents.folders.get(path)
        if folder is None or contents.folder_library[path] not in library_ids:
            return None
        return _folder_row(contents, folder)

    def children(self, parent_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        rows = (row for row in self._folders() if row.parent_id in parent_ids)
        return _page(rows, _by_name, page)

    def shapes(self, paths: Sequence[str]) -> dict[str, FolderShape]:
        contents = self._index.contents()
        direct = Counter(comic.folder_path for comic in contents.comics.values())
        children: dict[str, list[FolderRow]] = defaultdict(list)
        for folder in contents.folders.values():
            if folder.depth > 0:
                children[posixpath.dirname(folder.path)].append(_folder_row(contents, folder))
        return {
            path: FolderShape(
                contents.folders[path].depth,
                direct[path],
                tuple(
                    (row.name, row.comic_count, direct[row.path])
                    for row in sorted(children[path], key=_by_name)
                ),
            )
            for path in paths
            if path in contents.folders
        }

    def comics(self, folder_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        contents = self._index.contents()
        wanted = {folder.path for folder in contents.folders.values() if folder.id in folder_ids}
        rows = (
            comic_row(comic) for comic in contents.comics.values() if comic.folder_path in wanted
        )
        return _page(rows, _by_name, page)


class _Tagged(NamedTuple):
    """A comic with the derived values the SQL index stores beside it."""

    comic: IndexedComic
    info: ComicInfo
    publisher_key: str
    series_key: str
    year: int | None


def _tagged(comic: IndexedComic) -> _Tagged:
    info = comic.comic_info or _NO_INFO
    publisher, series = grouping_key(info.publisher), grouping_key(info.series)
    return _Tagged(comic, info, publisher, series, _year(info.year))


def _year(year: str) -> int | None:
    # The SQL index's rule: only plain years become numbers ("c. 1985" stays unknown).
    if year.isascii() and year.isdigit() and len(year) <= 4:
        return int(year)
    return None


def _micros(moment: datetime) -> int:
    # Exact integer time for negated (newest first) sort keys; a float would round.
    return (moment - _EPOCH) // _MICROSECOND


def _matcher(query: str) -> Callable[[_Tagged], bool]:
    key, text = grouping_key(query), query.lower()
    return lambda c: (
        key in c.series_key or text in c.info.title.lower() or text in c.comic.name.lower()
    )


def _publisher_name(group: Sequence[_Tagged]) -> str:
    """The largest publisher group among the comics (ties: the smaller key), by its most
    common spelling; comics without a publisher don't vote."""
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for c in group:
        if c.publisher_key:
            by_key[c.publisher_key][c.info.publisher] += 1
    if not by_key:
        return ""
    key = min(by_key, key=lambda k: (-by_key[k].total(), k))
    return display_name(by_key[key].items())


def _natural_key(facet: Facet) -> tuple[str, str]:
    return (natural_sort_text(facet.key), facet.key)  # the key breaks ties ("01", "1")


# Series are listed with the time their newest comic came; natural order breaks ties.
_SERIES_ORDER: dict[Sort, Callable[[tuple[Facet, int]], Any]] = {
    Sort.ALPHA: lambda item: _natural_key(item[0]),
    Sort.COUNT: lambda item: (-item[0].count, *_natural_key(item[0])),
    Sort.YEAR: lambda item: (item[0].year is None, item[0].year or 0, *_natural_key(item[0])),
    Sort.RECENT: lambda item: (-item[1], *_natural_key(item[0])),
}


def _issue_order(c: _Tagged) -> tuple[str, str, int]:
    return (natural_sort_text(c.info.number), natural_sort_text(c.comic.name), c.comic.id)


def _search_order(c: _Tagged) -> tuple[str, str, str, str, int]:
    return (natural_sort_text(c.series_key), c.series_key, *_issue_order(c))


_ISSUE_ORDER: dict[Sort, Callable[[_Tagged], Any]] = {
    Sort.YEAR: lambda c: (c.year is None, -(c.year or 0), *_issue_order(c)),
    Sort.RECENT: lambda c: (-_micros(c.comic.added_at), -c.comic.id),
}


class MemoryMetadataBrowser(MetadataBrowser):
    def __init__(self, index: MemoryLibraryIndex) -> None:
        self._index = index

    def _visible(self, library_ids: Sequence[int]) -> list[_Tagged]:
        comics = self._index.contents().comics.values()
        return [_tagged(comic) for comic in comics if comic.library_id in library_ids]

    def publishers(self, library_ids: Sequence[int], sort: Sort, page: PageRequest) -> Page[Facet]:
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for c in self._visible(library_ids):
            if c.publisher_key:
                groups[c.publisher_key][c.info.publisher] += 1
        facets = [Facet(key, display_name(sp.items()), sp.total()) for key, sp in groups.items()]
        if sort is Sort.COUNT:
            return _page(facets, lambda f: (-f.count, *_natural_key(f)), page)
        return _page(facets, _natural_key, page)

    def series(
        self,
        library_ids: Sequence[int],
        publisher_key: str | None,
        query: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[Facet]:
        if publisher_key == "":
            return Page([], 0, page)  # comics without a publisher are in no publisher group
        groups: dict[str, list[_Tagged]] = defaultdict(list)
        for c in self._visible(library_ids):
            if c.series_key and publisher_key in (None, c.publisher_key):
                groups[c.series_key].append(c)
        if query:
            matches = _matcher(query)
            groups = {key: group for key, group in groups.items() if any(map(matches, group))}
        facets: list[tuple[Facet, int]] = []
        for key, group in groups.items():
            years = [c.year for c in group if c.year is not None]
            facet = Facet(
                key=key,
                name=display_name(Counter(c.info.series for c in group).items()),
                count=len(group),
                year=min(years) if years else None,
                publisher=_publisher_name(group),
            )
            facets.append((facet, max(_micros(c.comic.added_at) for c in group)))
        result = _page(facets, _SERIES_ORDER.get(sort, _SERIES_ORDER[Sort.ALPHA]), page)
        return Page([facet for facet, _ in result.items], result.total, page)

    def issues(
        self,
        library_ids: Sequence[int],
        series_key: str,
        publisher_key: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[ComicRow]:
        rows = [
            c
            for c in self._visible(library_ids)
            if series_key
            and c.series_key == series_key
            and publisher_key != ""
            and publisher_key in (None, c.publisher_key)
        ]
        result = _page(rows, _ISSUE_ORDER.get(sort, _issue_order), page)
        return Page([comic_row(c.comic) for c in result.items], result.total, page)

    def recent(
        self, library_ids: Sequence[int], since: datetime, page: PageRequest
    ) -> Page[ComicRow]:
        rows = (
            comic_row(comic)
            for comic in self._index.contents().comics.values()
            if comic.library_id in library_ids and comic.added_at >= since
        )
        return _page(rows, lambda row: (-_micros(row.added_at), -row.id), page)

    def search(self, library_ids: Sequence[int], query: str, page: PageRequest) -> Page[ComicRow]:
        result = _page(filter(_matcher(query), self._visible(library_ids)), _search_order, page)
        return Page([comic_row(c.comic) for c in result.items], result.total, page)
