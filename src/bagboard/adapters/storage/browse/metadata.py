"""Metadata-mode browsing: comics grouped by their stored ``publisher_key`` and ``series_key``.

Publishers and series are read from the facet tables the index keeps with every write
(``facet_tables``; series lists in ``browse/series.py``), so a list costs its page rather than a
pass over every visible comic. Issues and recent comics are read from ``comics`` itself,
through its indexes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Integer, bindparam, cast, func, select

from bagboard.adapters.storage.browse.comic_search import ComicSearch
from bagboard.adapters.storage.browse.folders import COMIC, PAGES_KEPT, PagedStatement, empty
from bagboard.adapters.storage.browse.series import series_page
from bagboard.adapters.storage.db.facet_tables import publisher_facets
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import comics
from bagboard.adapters.storage.index.generation import GenerationCache, IndexVersion, kept, kept_on
from bagboard.domain.browse import ComicRow, Facet, Sort, display_name
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.change_feed import ChangeFeed
from bagboard.ports.metadata_browser import MetadataBrowser

__all__ = ["SqlMetadataBrowser"]

_publisher_key = comics.c.publisher_key
_series_key = comics.c.series_key


class SqlMetadataBrowser(MetadataBrowser):
    def __init__(self, engine: Engine, changes: ChangeFeed | None = None) -> None:
        self._engine = engine
        self._version = IndexVersion(changes)
        self._facets: GenerationCache[Page[Facet]] = GenerationCache(_FACETS_KEPT)
        self._kept_pages: GenerationCache[Page[ComicRow]] = GenerationCache(PAGES_KEPT)
        self._members: GenerationCache[tuple[ComicRow, ...]] = GenerationCache(_MEMBERS_KEPT)
        self._comic_search = ComicSearch(engine, self._version)

    def publishers(self, library_ids: Sequence[int], sort: Sort, page: PageRequest) -> Page[Facet]:
        if not library_ids:
            return empty(page)
        key = ("publishers", tuple(library_ids), sort, page)
        read = lambda: self._publishers(library_ids, sort, page)  # noqa: E731
        return kept(self._facets, key, self._version.now(self._engine), read)

    def _publishers(self, library_ids: Sequence[int], sort: Sort, page: PageRequest) -> Page[Facet]:
        statement, distinct = _PUBLISHERS[Sort.COUNT if sort is Sort.COUNT else Sort.ALPHA]
        with lean(self._engine) as conn:
            rows = conn.all(statement, libraries=library_ids, limit=page.limit, offset=page.offset)
            if rows:
                total = rows[0][2]
            elif page.offset == 0:
                total = 0
            else:  # past the end: only a count can tell how far
                total = conn.scalar(distinct, libraries=library_ids)
        spellings: dict[str, tuple[int, Counter[str]]] = {}
        for key, count, _, spelling, n in rows:
            spellings.setdefault(key, (count, Counter()))[1][spelling] += n
        items = [
            Facet(key, display_name(names.items()), n) for key, (n, names) in spellings.items()
        ]
        return Page(items, total, page)

    def series(
        self,
        library_ids: Sequence[int],
        publisher_key: str | None,
        query: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[Facet]:
        if not library_ids or publisher_key == "":
            return empty(page)
        # A page of series (a search reads an index of substrings and every series it finds)
        # is kept for as long as the index stays the same version: any index write, by any
        # process, moves it on; paging back or asking again costs a memory read.
        key = ("series", tuple(library_ids), publisher_key, query, sort, page)
        read = lambda: series_page(self._engine, library_ids, publisher_key, query, sort, page)  # noqa: E731
        return kept(self._facets, key, self._version.now(self._engine), read)

    def issues(
        self,
        library_ids: Sequence[int],
        series_key: str,
        publisher_key: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[ComicRow]:
        # Comics with an empty key belong to no group, so an empty key finds nothing.
        if not library_ids or not series_key or publisher_key == "":
            return empty(page)
        values: dict[str, Any] = {"libraries": library_ids, "series": series_key}
        if publisher_key is not None:
            values["publisher"] = publisher_key
        statement = _ISSUES[sort if sort in _ISSUE_ORDER else Sort.ALPHA, publisher_key is not None]
        key = ("issues", tuple(library_ids), series_key, publisher_key, sort, page)
        read = lambda conn: statement.page(conn, page, ComicRow, **values)  # noqa: E731
        return kept_on(self._kept_pages, key, self._version, self._engine, read)

    def series_issues(
        self, library_id: int, series_keys: Sequence[str]
    ) -> dict[str, tuple[ComicRow, ...]]:
        # Komga's lists show whole series, page after page: each series' comics are kept for
        # the index generation they were read at, so a page seen again reads none of them.
        wanted = sorted({key for key in series_keys if key})
        found: dict[str, tuple[ComicRow, ...]] = {}
        with lean(self._engine) as conn:
            generation = self._version.of(conn)
            missing = []
            for key in wanted:
                kept_rows = self._members.get((library_id, key), generation)
                if kept_rows is None:
                    missing.append(key)
                else:
                    found[key] = kept_rows
            for start in range(0, len(missing), _KEYS_PER_READ):
                keys = missing[start : start + _KEYS_PER_READ]
                groups: dict[str, list[ComicRow]] = {key: [] for key in keys}
                for row in conn.all(_MEMBERS, library=library_id, series=keys):
                    groups[row[0]].append(ComicRow(*row[1:]))
                for key, rows in groups.items():
                    found[key] = tuple(rows)
                    self._members.put((library_id, key), generation, found[key])
        return {key: rows for key, rows in found.items() if rows}

    def recent(
        self, library_ids: Sequence[int], since: datetime, page: PageRequest
    ) -> Page[ComicRow]:
        if not library_ids:
            return empty(page)
        key = ("recent", tuple(library_ids), since, page)
        read = lambda conn: _RECENT.page(conn, page, ComicRow, libraries=library_ids, since=since)  # noqa: E731
        return kept_on(self._kept_pages, key, self._version, self._engine, read)

    def search(self, library_ids: Sequence[int], query: str, page: PageRequest) -> Page[ComicRow]:
        return self._comic_search.page(library_ids, query, page)


def _publisher_statements(sort: Sort) -> tuple[Prepared, Prepared]:
    """A page of publishers and their count, for ``libraries``, ``limit`` and ``offset``.

    The page of groups is cut from the visible spellings' counts and joined back to its own
    spellings, in one statement; a library holds few publishers, so the counts are few rows
    whatever the number of comics. Built once: on a statement this small, building it again
    on every request would cost several times what running it does.
    """
    facets = publisher_facets.c
    spellings = (
        select(
            facets.publisher_key.label("key"),
            facets.publisher_sort.label("sort"),
            facets.publisher.label("spelling"),
            cast(func.sum(facets.comics), Integer).label("n"),
        )
        .where(facets.library_id.in_(bindparam("libraries", expanding=True)))
        .group_by(facets.publisher_sort, facets.publisher_key, facets.publisher)
        .cte("spellings")
    )
    count = cast(func.sum(spellings.c.n), Integer)
    natural = (spellings.c.sort, spellings.c.key)
    order = (count.desc(), *natural) if sort is Sort.COUNT else natural
    position = func.row_number().over(order_by=order).label("position")
    groups = (
        select(spellings.c.key, count.label("count"), func.count().over().label("total"), position)
        .group_by(*natural)
        .order_by(position)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery("groups")
    )
    page = (
        select(groups.c.key, groups.c.count, groups.c.total, spellings.c.spelling, spellings.c.n)
        .join_from(groups, spellings, spellings.c.key == groups.c.key)
        .order_by(groups.c.position)
    )
    return Prepared(page), Prepared(select(func.count(func.distinct(spellings.c.key))))


_PUBLISHERS = {sort: _publisher_statements(sort) for sort in (Sort.ALPHA, Sort.COUNT)}


# Pages of publishers and series (searches too), a few kilobytes each.
_FACETS_KEPT = 512


_LIBRARIES = comics.c.library_id.in_(bindparam("libraries", expanding=True))
_NATURAL = (comics.c.number_sort, comics.c.name_sort, comics.c.id)
_ISSUE_ORDER: dict[Sort, tuple[Any, ...]] = {
    Sort.ALPHA: _NATURAL,
    Sort.RECENT: (comics.c.added_at.desc(), comics.c.id.desc()),
    Sort.YEAR: (comics.c.year_int.desc().nulls_last(), *_NATURAL),
}


def _issues(sort: Sort, by_publisher: bool) -> PagedStatement:
    statement = COMIC.where(_LIBRARIES, _series_key == bindparam("series"))
    if by_publisher:
        statement = statement.where(_publisher_key == bindparam("publisher"))
    return PagedStatement(statement.order_by(*_ISSUE_ORDER[sort]))


_ISSUES = {(sort, split): _issues(sort, split) for sort in _ISSUE_ORDER for split in (False, True)}
_MEMBERS = Prepared(
    select(_series_key, *COMIC.selected_columns)
    .where(
        comics.c.library_id == bindparam("library"),
        _series_key.in_(bindparam("series", expanding=True)),
    )
    .order_by(_series_key, *_NATURAL)
)
# Series whose comics are kept between requests (a few pages of series lists, whole), and
# series keys per read (far below the bound on bound parameters).
_MEMBERS_KEPT = 512
_KEYS_PER_READ = 500
_RECENT = PagedStatement(
    COMIC.where(
        _LIBRARIES, comics.c.added_at >= bindparam("since", type_=comics.c.added_at.type)
    ).order_by(comics.c.added_at.desc(), comics.c.id.desc())
)
