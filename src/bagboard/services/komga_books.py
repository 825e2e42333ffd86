"""Every Komga series of some libraries with its books, read in a few queries.

Lists of books across series (Komga's ``books/list``, ``ondeck``, ``latest``) and the
referential lists (genres, tags, authors...) need every comic of the user's libraries with
its series. Reading them series by series would cost queries per series; instead one search
with an empty query pages through every comic already ordered by series key and then as a
series orders its issues, and the comics, the readings and the series ids are read in bulk.
The views built here equal ``SeriesCatalog.series``'s for the same series.
"""

from __future__ import annotations

from collections.abc import Sequence

from bagboard.domain.browse import ComicRow, grouping_key
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.domain.progress import ComicReading
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.metadata_browser import MetadataBrowser
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.series_ids import SeriesIds, SeriesKey
from bagboard.services.series_views import SeriesView, series_view

__all__ = ["gather_series"]

# Ids per bulk read: far below SQLite's bound on bound parameters.
_CHUNK = 2000


def _rows(metadata: MetadataBrowser, library_ids: Sequence[int]) -> list[ComicRow]:
    rows: list[ComicRow] = []
    request = PageRequest(1, MAX_PAGE_SIZE)
    while True:
        page = metadata.search(library_ids, "", request)
        rows.extend(page.items)
        if not page.has_more:
            return rows
        request = PageRequest(request.page + 1, MAX_PAGE_SIZE)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


def gather_series(
    metadata: MetadataBrowser,
    index: LibraryIndex,
    progress: ProgressStore,
    series_ids: SeriesIds,
    user_id: int,
    library_ids: Sequence[int],
) -> list[SeriesView]:
    """Every series of these libraries (comics in no series left out), each with its books
    in issue order and this user's readings, in series-key order."""
    if not library_ids:
        return []
    groups: dict[SeriesKey, list[ComicRow]] = {}
    for row in _rows(metadata, library_ids):
        key = grouping_key(row.series)
        if key:
            groups.setdefault((row.library_id, key), []).append(row)
    ids = [row.id for members in groups.values() for row in members]
    comics: dict[int, IndexedComic] = {}
    readings: dict[int, ComicReading] = {}
    for chunk in _chunks(ids):
        comics.update(index.comics(chunk))
        readings.update(progress.readings(user_id, chunk))
    assigned = series_ids.ids(list(groups)) if groups else {}
    views = [
        series_view(assigned[(library_id, key)], library_id, key, members, comics, readings)
        for (library_id, key), members in groups.items()
    ]
    return views


def listed(text: str) -> list[str]:
    """A comma-separated ComicInfo field (``Genre``, ``Tags``) as trimmed values."""
    return [part.strip() for part in text.split(",") if part.strip()]


def series_has(view: SeriesView, field: str, wanted: Sequence[str]) -> bool:
    """Whether any book of the series carries one of ``wanted`` (compared case-insensitively)
    in ComicInfo ``field`` (``genre``, ``tags`` or ``language_iso``); nothing wanted = yes."""
    if not wanted:
        return True
    keys = {value.strip().casefold() for value in wanted}
    return any(
        value.casefold() in keys
        for book in view.books
        if book.comic.comic_info is not None
        for value in listed(getattr(book.comic.comic_info, field))
    )
