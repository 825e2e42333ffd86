"""``MetadataBrowser`` over a ``MemoryLibraryIndex``: comics grouped by ComicInfo publisher and
series, computed from one consistent view of the index per call. Groups are keyed by
``grouping_key`` and listed in natural order of their key, then by the key itself, as the SQL
adapter lists them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from bagboard.adapters.memory.browse_rows import NO_INFO, comic_row, page_of
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.domain.browse import ComicRow, Facet, Sort, display_name, grouping_key
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.metadata_browser import MetadataBrowser

__all__ = ["MemoryMetadataBrowser"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class _Tagged(NamedTuple):
    """A comic with the derived values the SQL index stores beside it."""

    comic: IndexedComic
    info: ComicInfo
    publisher_key: str
    series_key: str
    year: int | None


def _tagged(comic: IndexedComic) -> _Tagged:
    info = comic.comic_info or NO_INFO
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
            return page_of(facets, lambda f: (-f.count, *_natural_key(f)), page)
        return page_of(facets, _natural_key, page)

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
        result = page_of(facets, _SERIES_ORDER.get(sort, _SERIES_ORDER[Sort.ALPHA]), page)
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
        result = page_of(rows, _ISSUE_ORDER.get(sort, _issue_order), page)
        return Page([comic_row(c.comic) for c in result.items], result.total, page)

    def series_issues(
        self, library_id: int, series_keys: Sequence[str]
    ) -> dict[str, tuple[ComicRow, ...]]:
        wanted = {key for key in series_keys if key}
        groups: dict[str, list[_Tagged]] = {}
        for c in self._visible([library_id]):
            if c.series_key in wanted:
                groups.setdefault(c.series_key, []).append(c)
        return {
            key: tuple(comic_row(c.comic) for c in sorted(rows, key=_issue_order))
            for key, rows in groups.items()
        }

    def recent(
        self, library_ids: Sequence[int], since: datetime, page: PageRequest
    ) -> Page[ComicRow]:
        rows = (
            comic_row(comic)
            for comic in self._index.contents().comics.values()
            if comic.library_id in library_ids and comic.added_at >= since
        )
        return page_of(rows, lambda row: (-_micros(row.added_at), -row.id), page)

    def search(self, library_ids: Sequence[int], query: str, page: PageRequest) -> Page[ComicRow]:
        result = page_of(filter(_matcher(query), self._visible(library_ids)), _search_order, page)
        return Page([comic_row(c.comic) for c in result.items], result.total, page)
