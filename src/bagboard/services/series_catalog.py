"""Libraries, series and books as Komga's API names them, over the existing stores.

Komga's series are bagboard's metadata-mode series (contract §4) split per library, each with
a persistent integer id (``SeriesIds``, assigned in bulk as series are listed); its books are
comics in the series' issue order; its libraries are the user's visible libraries. Scoping
is ``visible_scope``'s: a library the user may not see, and everything in it, is
``NotFound``, exactly like a missing one.
"""

from __future__ import annotations

import random
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from threading import Lock

from bagboard.domain.browse import ComicRow, Facet, Sort, display_name, grouping_key
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import NotFound
from bagboard.domain.images import parse_id
from bagboard.domain.komga_numbers import number_sorts
from bagboard.domain.model import Library, User
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.domain.progress import NOT_READ, ComicReading
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.metadata_browser import MetadataBrowser
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.series_ids import SeriesIds
from bagboard.services.komga_books import gather_series, series_has
from bagboard.services.series_views import (
    BookPage,
    BookView,
    SeriesRef,
    SeriesView,
)

__all__ = ["BookOrder", "BookPage", "BookView", "SeriesCatalog", "SeriesQuery", "SeriesView"]

# Ids per bulk read: far below SQLite's bound on bound parameters.
_CHUNK = 2000
# Series whose shape (names, numbers, orders) is kept between requests.
_SHAPES_KEPT = 512


class BookOrder(Enum):
    ISSUE = "issue"  # the series' issue order (Komga's order without a sort)
    NUMBER_SORT = "number_sort"  # ``numberSort`` ascending
    NUMBER_SORT_DESC = "number_sort_desc"


@dataclass(frozen=True, slots=True)
class _Shape:
    rows: tuple[ComicRow, ...]
    name: str
    publisher: str
    sorts: list[float]
    by_number: list[int]  # positions in ``rows`` by ``numberSort``

    @classmethod
    def of(cls, rows: tuple[ComicRow, ...]) -> _Shape:
        sorts = number_sorts([row.number for row in rows])
        name = display_name(Counter(row.series.strip() for row in rows).items())
        publisher = display_name(Counter(row.publisher.strip() for row in rows).items())
        by_number = sorted(range(len(rows)), key=lambda at: (sorts[at], rows[at].id))
        return cls(rows, name, publisher, sorts, by_number)

    def order(self, order: BookOrder) -> Sequence[int]:
        if order is BookOrder.NUMBER_SORT:
            return self.by_number
        if order is BookOrder.NUMBER_SORT_DESC:
            return self.by_number[::-1]
        return range(len(self.rows))


@dataclass(frozen=True, slots=True)
class SeriesQuery:
    """What a series list asks for: every filter is OR within, AND across; empty = any."""

    library_ids: tuple[int, ...] = ()
    search: str = ""
    publishers: tuple[str, ...] = ()
    read_status: tuple[str, ...] = ()  # UNREAD, IN_PROGRESS, READ
    series_ids: tuple[int, ...] = ()
    genres: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sort: str = ""  # name, booksCount, created, lastModified, random
    descending: bool = False


class SeriesCatalog:
    def __init__(
        self,
        libraries: LibraryStore,
        metadata: MetadataBrowser,
        progress: ProgressStore,
        index: LibraryIndex,
        series_ids: SeriesIds,
    ) -> None:
        self._libraries = libraries
        self._metadata = metadata
        self._progress = progress
        self._index = index
        self._ids = series_ids
        self._shapes: OrderedDict[tuple[int, str], _Shape] = OrderedDict()
        self._comics_of: OrderedDict[
            tuple[int, str], tuple[tuple[ComicRow, ...], tuple[IndexedComic, ...]]
        ] = OrderedDict()
        self._lock = Lock()

    def libraries(self, user: User) -> list[Library]:
        """The enabled libraries this user may see, by id."""
        return [lib for lib in self._libraries.list(enabled_only=True) if user.may_see(lib.id)]

    def library(self, user: User, raw_id: str) -> Library:
        """One visible library; ``NotFound`` for a hidden, disabled, missing or non-numeric id."""
        library_id = parse_id(raw_id)
        found = next((lib for lib in self.libraries(user) if lib.id == library_id), None)
        if found is None:
            raise NotFound("no such library")
        return found

    # --- series ------------------------------------------------------------------------------

    def series_list(
        self, user: User, query: SeriesQuery, offset: int, limit: int
    ) -> tuple[list[SeriesView], int]:
        """One slice of the series matching ``query`` and the total. Ids are assigned to the
        whole matching list in one call; books are read for the series shown only, unless a
        read-status filter or a count sort needs them all."""
        visible = [lib.id for lib in self.libraries(user)]
        if query.library_ids:
            visible = [lib for lib in visible if lib in query.library_ids]
        page = _facet_page(query, visible, offset, limit)
        if page is not None:
            return self._facet_list(user, visible[0], page)
        found = [
            (lib, facet)
            for lib in visible
            for facet in self._facets(lib, query.search.strip() or None)
        ]
        if query.publishers:
            wanted = {grouping_key(p) for p in query.publishers}
            found = [row for row in found if grouping_key(row[1].publisher) in wanted]
        if query.genres or query.tags or query.languages:
            keys = {
                (view.library_id, view.key)
                for view in self.all_series(user, visible)
                if series_has(view, "genre", query.genres)
                and series_has(view, "tags", query.tags)
                and series_has(view, "language_iso", query.languages)
            }
            found = [row for row in found if (row[0], row[1].key) in keys]
        ids = self._ids.ids([(lib, facet.key) for lib, facet in found])
        if query.series_ids:
            found = [row for row in found if ids[(row[0], row[1].key)] in query.series_ids]
        found = _ordered(found, query, ids)
        if query.read_status or query.sort in {"created", "lastModified"}:
            views = self._views(user, [(ids[(lib, f.key)], lib, f) for lib, f in found])
            if query.read_status:
                views = [v for v in views if v.status in query.read_status]
            if query.sort in {"created", "lastModified"}:
                views.sort(key=_added, reverse=query.descending)
            return views[offset : offset + limit], len(views)
        shown = found[offset : offset + limit]
        return self._views(user, [(ids[(lib, f.key)], lib, f) for lib, f in shown]), len(found)

    def all_series(self, user: User, library_ids: Sequence[int] = ()) -> list[SeriesView]:
        """Every series of the visible libraries (of ``library_ids`` among them, when given)
        with its books, read in a few queries whatever the number of series."""
        visible = [lib.id for lib in self.libraries(user)]
        if library_ids:
            visible = [lib for lib in visible if lib in library_ids]
        return gather_series(
            self._metadata, self._index, self._progress, self._ids, user.id, visible
        )

    def series(self, user: User, raw_id: str) -> SeriesView:
        """One series with its books and this user's readings; ``NotFound`` when hidden."""
        series_id, library_id, series_key = self._visible_series(user, raw_id)
        # The series' own comics name it, as its facet would (the most common spellings),
        # without listing every series of the library to find that facet.
        found = self._views(user, [(series_id, library_id, series_key)])
        if not found:
            raise NotFound("no such series")
        return found[0]

    def book_page(
        self, user: User, raw_id: str, offset: int, limit: int, order: BookOrder
    ) -> BookPage:
        """One page of a series' books in issue order or by ``numberSort``, reading the
        comics and readings of that page only; ``NotFound`` as ``series``."""
        series_id, library_id, key = self._visible_series(user, raw_id)
        rows = self._metadata.series_issues(library_id, [key]).get(key)
        if not rows:
            raise NotFound("no such series")
        shape = self._shape(library_id, key, rows)
        positions = shape.order(order)[offset : offset + limit]
        ids = [rows[at].id for at in positions]
        comics = self._index.comics(ids)
        readings = self._progress.readings(user.id, ids)
        books = tuple(
            BookView(comics[row.id], at + 1, shape.sorts[at], readings.get(row.id, NOT_READ))
            for at in positions
            if (row := rows[at]).id in comics
        )
        ref = SeriesRef(series_id, library_id, key, shape.name, shape.publisher)
        return BookPage(ref, books, len(rows))

    def series_of(self, user: User, comic: IndexedComic) -> SeriesView:
        """The series a comic (already looked up for ``user``) belongs to."""
        name = comic.comic_info.series if comic.comic_info is not None else ""
        key = (comic.library_id, grouping_key(name))
        series_id = self._ids.ids([key])[key]
        return self.series(user, str(series_id))

    # --- helpers -----------------------------------------------------------------------------

    def _visible_series(self, user: User, raw_id: str) -> tuple[int, int, str]:
        """(series id, library id, series key) of a series the user may see, else
        ``NotFound``."""
        series_id = parse_id(raw_id)
        key = None if series_id is None else self._ids.key(series_id)
        if (
            key is None
            or series_id is None
            or key[0] not in {lib.id for lib in self.libraries(user)}
        ):
            raise NotFound("no such series")
        return series_id, key[0], key[1]

    def _assembled(
        self, where: tuple[int, str], rows: tuple[ComicRow, ...]
    ) -> tuple[IndexedComic, ...] | None:
        """The comics of a series' issues kept with ``_keep_assembled``, while the index hands
        out the same ``rows`` (``MetadataBrowser.series_issues``: only while unchanged)."""
        with self._lock:
            found = self._comics_of.get(where)
        return found[1] if found is not None and found[0] is rows else None

    def _keep_assembled(
        self, where: tuple[int, str], rows: tuple[ComicRow, ...], comics: tuple[IndexedComic, ...]
    ) -> tuple[IndexedComic, ...]:
        with self._lock:
            self._comics_of[where] = (rows, comics)
            self._comics_of.move_to_end(where)
            while len(self._comics_of) > _SHAPES_KEPT:
                self._comics_of.popitem(last=False)
        return comics

    def _shape(self, library_id: int, key: str, rows: tuple[ComicRow, ...]) -> _Shape:
        """What a series' issues give, whoever reads them: kept by the identity of ``rows``,
        which the index hands out again while nothing changed (an immutable tuple: the same
        object means the same issues, so a kept shape is never wrong, only sometimes missed)."""
        with self._lock:
            kept = self._shapes.get((library_id, key))
        if kept is not None and kept.rows is rows:
            return kept
        shape = _Shape.of(rows)
        with self._lock:
            self._shapes[(library_id, key)] = shape
            self._shapes.move_to_end((library_id, key))
            while len(self._shapes) > _SHAPES_KEPT:
                self._shapes.popitem(last=False)
        return shape

    def _facets(self, library_id: int, search: str | None) -> list[Facet]:
        rows: list[Facet] = []
        request = PageRequest(1, MAX_PAGE_SIZE)
        while True:
            page = self._metadata.series([library_id], None, search, Sort.ALPHA, request)
            rows.extend(page.items)
            if not page.has_more:
                return rows
            request = PageRequest(request.page + 1, MAX_PAGE_SIZE)

    def _facet_list(
        self, user: User, library_id: int, page: PageRequest
    ) -> tuple[list[SeriesView], int]:
        """Komga's default list (one library, by name): one page of the index's series groups,
        already in the order ``_ordered`` gives, and their total, instead of every series of
        the library listed, given ids and sorted here for the twenty shown."""
        facets = self._metadata.series([library_id], None, None, Sort.ALPHA, page)
        ids = self._ids.ids([(library_id, facet.key) for facet in facets.items])
        shown = [(ids[(library_id, f.key)], library_id, f) for f in facets.items]
        return self._views(user, shown), facets.total

    def _views(
        self, user: User, wanted: Sequence[tuple[int, int, str] | tuple[int, int, Facet]]
    ) -> list[SeriesView]:
        """(series id, library id, facet or series key) as views, in that order: the issues
        of the series of each library at once, then the comics and this user's readings of
        all of them at once. A series given by its key is named from its comics; one without
        comics is left out."""
        keys: dict[int, list[str]] = {}
        for _, library_id, found in wanted:
            keys.setdefault(library_id, []).append(_key(found))
        members = {
            (library_id, key): rows
            for library_id, wanted_keys in keys.items()
            for key, rows in self._metadata.series_issues(library_id, wanted_keys).items()
        }
        kept = {where: self._assembled(where, rows) for where, rows in members.items()}
        missing = [
            row.id for where, found in kept.items() if found is None for row in members[where]
        ]
        comics: dict[int, IndexedComic] = {}
        for start in range(0, len(missing), _CHUNK):
            comics.update(self._index.comics(missing[start : start + _CHUNK]))
        for where, held in kept.items():
            if held is None:
                rows = members[where]
                kept[where] = self._keep_assembled(
                    where, rows, tuple(comics[row.id] for row in rows if row.id in comics)
                )
        ids = [comic.id for held in kept.values() if held is not None for comic in held]
        readings: dict[int, ComicReading] = {}
        for start in range(0, len(ids), _CHUNK):
            readings.update(self._progress.readings(user.id, ids[start : start + _CHUNK]))
        views: list[SeriesView] = []
        for series_id, library_id, found in wanted:
            key = _key(found)
            rows = members.get((library_id, key), ())
            if not rows and not isinstance(found, Facet):
                continue
            if isinstance(found, Facet):
                name, publisher = found.name, found.publisher
            else:
                shape = self._shape(library_id, key, rows)
                name, publisher = shape.name, shape.publisher
            books = kept.get((library_id, key)) or ()
            mine = {c.id: readings[c.id] for c in books if c.id in readings}
            views.append(SeriesView(series_id, library_id, key, name, publisher, books, mine))
        return views


def _facet_page(
    query: SeriesQuery, visible: Sequence[int], offset: int, limit: int
) -> PageRequest | None:
    """The index page that is exactly this slice of a list the index orders as the general
    path does (one library, natural order of the keys, nothing filtered), else ``None``."""
    plain = SeriesQuery(library_ids=query.library_ids, sort=query.sort)
    if query != plain or query.sort not in {"", "name"} or len(visible) != 1:
        return None
    if not 0 < limit <= MAX_PAGE_SIZE or offset % limit:
        return None
    page = PageRequest(offset // limit + 1, limit)
    return page if (page.offset, page.page_size) == (offset, limit) else None


def _key(found: str | Facet) -> str:
    return found.key if isinstance(found, Facet) else found


def _added(view: SeriesView) -> float:
    return max((comic.added_at.timestamp() for comic in view.comics), default=0.0)


def _ordered(
    found: Sequence[tuple[int, Facet]], query: SeriesQuery, ids: dict[tuple[int, str], int]
) -> list[tuple[int, Facet]]:
    rows = list(found)
    if query.sort == "random":
        # Stable within one request only: a seed drawn per call.
        random.Random(random.random()).shuffle(rows)  # noqa: S311 (an order, not a secret)
        return rows
    if query.sort == "booksCount":
        rows.sort(key=lambda r: (r[1].count, ids[(r[0], r[1].key)]), reverse=query.descending)
        return rows
    rows.sort(
        key=lambda r: (natural_sort_text(r[1].key), ids[(r[0], r[1].key)]),
        reverse=query.descending,
    )
    return rows
