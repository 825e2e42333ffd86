"""How Komga book lists are ordered, and which books are "on deck".

``sort=key[,asc|desc]`` repeats; the first key decides first, unknown keys are ignored, and
the book id always breaks ties so pages never overlap. Without a sort, books come in series
order (series name, then the series' own issue order). ``relevance`` ranks the books by how
their title (or file name) matches the search (``relevance.py``), best first whatever the
direction, ties in series order; a search without a known sort key sorts by relevance, and
``relevance`` without a search is ignored. ``readList.number`` is the place in the read list
a search condition names (``readListId``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from bagboard.adapters.http.komga.book_filters import title_of
from bagboard.adapters.http.komga.paging import SortKey
from bagboard.adapters.http.komga.relevance import rank
from bagboard.adapters.http.komga.series_json import release_date
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.services.series_views import BookView, SeriesView

__all__ = ["Entry", "on_deck", "ordered"]

Entry = tuple[BookView, SeriesView]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LIST_NUMBER = "readlist.number"


def _modified(book: BookView) -> datetime:
    return max(book.comic.added_at, datetime.fromtimestamp(book.comic.mtime_ns / 1e9, UTC))


def _read_at(book: BookView) -> datetime:
    position = book.reading.position
    return position.updated_at if position is not None else _EPOCH


def _released(book: BookView) -> date:
    return release_date(book.comic.comic_info) or date.min


_KEYS: dict[str, Callable[[BookView, SeriesView], Any]] = {
    "metadata.numbersort": lambda b, s: b.number_sort,
    "metadata.title": lambda b, s: natural_sort_text(title_of(b)),
    "metadata.releasedate": lambda b, s: _released(b),
    "name": lambda b, s: natural_sort_text(b.comic.name),
    "series": lambda b, s: (natural_sort_text(s.name), s.id, b.number),
    "created": lambda b, s: b.comic.added_at,
    "createddate": lambda b, s: b.comic.added_at,
    "lastmodified": lambda b, s: _modified(b),
    "lastmodifieddate": lambda b, s: _modified(b),
    "readprogress.readdate": lambda b, s: _read_at(b),
    "readprogress.lastmodified": lambda b, s: _read_at(b),
    "filesize": lambda b, s: b.comic.size,
    "size": lambda b, s: b.comic.size,
    "media.pagescount": lambda b, s: b.comic.page_count,
    "metadata.pagescount": lambda b, s: b.comic.page_count,
}


def _series_order(entry: Entry) -> tuple[Any, ...]:
    return (natural_sort_text(entry[1].name), entry[1].id, entry[0].number)


def _relevance(folded: str) -> Callable[[Entry], int]:
    return lambda e: rank(folded, title_of(e[0]), e[0].comic.name.rsplit(".", 1)[0])


def ordered(
    entries: Sequence[Entry],
    sorts: Sequence[SortKey],
    search: str = "",
    positions: Mapping[int, int] | None = None,
) -> list[Entry]:
    """The entries in the order the sorts ask for (Python's sort is stable, so applying the
    keys from last to first makes the first decide first). ``positions``: each comic's place
    in the read list a search names, for ``readList.number`` (ignored without it)."""
    folded = search.strip().casefold()
    extra = {"random", "relevance"} if folded else {"random"}
    if positions is not None:
        extra.add(_LIST_NUMBER)
    known = [s for s in sorts if s.key.lower() in _KEYS or s.key.lower() in extra]
    if folded and not known:
        known = [SortKey("relevance")]
    rows = sorted(entries, key=lambda e: e[0].comic.id)
    if not known or any(s.key.lower() == "relevance" for s in known):
        rows.sort(key=_series_order)
    for sort in reversed(known):
        if sort.key.lower() == "random":
            random.Random(random.random()).shuffle(rows)  # noqa: S311 (an order, not a secret)
            continue
        if sort.key.lower() == "relevance":
            rows.sort(key=_relevance(folded))
            continue
        if sort.key.lower() == _LIST_NUMBER:
            place = positions or {}
            last = len(place)
            rows.sort(key=lambda e: place.get(e[0].comic.id, last), reverse=sort.descending)
            continue
        key = _KEYS[sort.key.lower()]
        rows.sort(key=lambda e, key=key: key(*e), reverse=sort.descending)  # type: ignore[misc]
    return rows


def on_deck(series: Sequence[SeriesView]) -> list[Entry]:
    """Komga's "on deck": for each series with at least one book read and none in progress,
    its first unread book; the series read most recently first."""
    found: list[tuple[datetime, Entry]] = []
    for view in series:
        if view.read_count == 0 or view.in_progress_count:
            continue
        book = next((b for b in view.books if not b.reading.is_read), None)
        if book is not None:
            latest = max((_read_at(b) for b in view.books), default=_EPOCH)
            found.append((latest, (book, view)))
    found.sort(key=lambda item: (-item[0].timestamp(), item[1][1].id))
    return [entry for _, entry in found]
