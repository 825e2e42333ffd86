"""Libraries, series and books as Komga's API names them, over the existing stores.

Komga's series are bagboard's metadata-mode series (contract §4) split per library, each with
a persistent integer id (``SeriesIds``, assigned in bulk as series are listed); its books are
comics in the series' issue order; its libraries are the user's visible libraries. Scoping
is ``visible_scope``'s: a library the user may not see, and everything in it, is
``NotFound``, exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence

from bagboard.domain.browse import Facet, Sort, grouping_key
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import NotFound
from bagboard.domain.images import parse_id
from bagboard.domain.model import Library, User
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.domain.progress import NOT_READ, ComicReading
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.metadata_browser import MetadataBrowser
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.series_ids import SeriesIds
from bagboard.services.komga_books import gather_series, series_has
from bagboard.services.series_query import SeriesQuery, added, facet_page, ordered
from bagboard.services.series_shapes import BookOrder, KeptSeries
from bagboard.services.series_views import (
    BookPage,
    BookView,
    SeriesRef,
    SeriesView,
)

__all__ = ["BookOrder", "BookPage", "BookView", "SeriesCatalog", "SeriesQuery", "SeriesView"]

# Ids per bulk read: far below SQLite's bound on bound parameters.
_CHUNK = 2000
# Series whose shape and comics are kept between requests (``KeptSeries``).
_SERIES_KEPT = 512


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
        self._kept = KeptSeries(_SERIES_KEPT)

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
        plain = facet_page(query, visible, offset, limit)
        if plain is not None:
            return self._facet_list(user, visible[0], *plain)
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
        found = ordered(found, query, ids)
        if query.read_status or query.sort in {"created", "lastModified"}:
            views = self._views(user, [(ids[(lib, f.key)], lib, f) for lib, f in found])
            if query.read_status:
                views = [v for v in views if v.status in query.read_status]
            if query.sort in {"created", "lastModified"}:
                views.sort(key=added, reverse=query.descending)
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

    def touched_series(
        self, user: User, library_ids: Sequence[int] = (), touched: Sequence[int] | None = None
    ) -> list[SeriesView]:
        """Every series of the visible libraries (of ``library_ids`` among them, when given)
        holding a comic the user has read or started (``ProgressStore.touched``), each with
        all its books: what lists limited to read or started books, and "on deck", draw
        from, at a cost that follows the user's reading rather than the libraries' size.
        ``touched``: what ``ProgressStore.touched`` answered for those libraries, when the
        caller has read it already."""
        visible = [lib.id for lib in self.libraries(user)]
        if library_ids:
            visible = [lib for lib in visible if lib in library_ids]
        ids = list(touched) if touched is not None else self._progress.touched(user.id, visible)
        keys: set[tuple[int, str]] = set()
        for start in range(0, len(ids), _CHUNK):
            for comic in self._index.comics(ids[start : start + _CHUNK]).values():
                info = comic.comic_info
                key = grouping_key(info.series if info is not None else "")
                if key:
                    keys.add((comic.library_id, key))
        wanted = sorted(keys)
        assigned = self._ids.ids(wanted) if wanted else {}
        return self._views(user, [(assigned[key], key[0], key[1]) for key in wanted])

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
        shape = self._kept.shape(library_id, key, rows)
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
        self, user: User, library_id: int, page: PageRequest, sort: Sort
    ) -> tuple[list[SeriesView], int]:
        """Komga's default list (one library, by name) and its newest series: one page of
        the index's series groups, already in the order the general path gives, and their
        total, instead of every series of the library listed, given ids and sorted here for
        the twenty shown."""
        facets = self._metadata.series([library_id], None, None, sort, page)
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
        kept = {where: self._kept.comics(where, rows) for where, rows in members.items()}
        missing = [
            row.id for where, found in kept.items() if found is None for row in members[where]
        ]
        comics: dict[int, IndexedComic] = {}
        for start in range(0, len(missing), _CHUNK):
            comics.update(self._index.comics(missing[start : start + _CHUNK]))
        for where, held in kept.items():
            if held is None:
                rows = members[where]
                kept[where] = self._kept.keep_comics(
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
                shape = self._kept.shape(library_id, key, rows)
                name, publisher = shape.name, shape.publisher
            books = kept.get((library_id, key)) or ()
            mine = {c.id: readings[c.id] for c in books if c.id in readings}
            views.append(SeriesView(series_id, library_id, key, name, publisher, books, mine))
        return views


def _key(found: str | Facet) -> str:
    return found.key if isinstance(found, Facet) else found
