"""What a Komga series list asks for, and the orders ``SeriesCatalog`` gives it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from bagboard.domain.browse import Facet, Sort
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.services.series_views import SeriesView

__all__ = ["SeriesQuery", "added", "facet_page", "ordered"]


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


# Sorts the index's series groups give in the general path's order: by name (natural order
# of the keys), and newest first (the latest comic added, ties by name).
_FACET_SORTS = {("", False): Sort.ALPHA, ("name", False): Sort.ALPHA}
_FACET_SORTS |= {(sort, True): Sort.RECENT for sort in ("created", "lastModified")}


def facet_page(
    query: SeriesQuery, visible: Sequence[int], offset: int, limit: int
) -> tuple[PageRequest, Sort] | None:
    """The index page (and its sort) that is exactly this slice of a list the index orders
    as the general path does (one library, nothing filtered), else ``None``."""
    plain = SeriesQuery(library_ids=query.library_ids, sort=query.sort, descending=query.descending)
    sort = _FACET_SORTS.get((query.sort, query.descending))
    if query != plain or sort is None or len(visible) != 1:
        return None
    if not 0 < limit <= MAX_PAGE_SIZE or offset % limit:
        return None
    page = PageRequest(offset // limit + 1, limit)
    return (page, sort) if (page.offset, page.page_size) == (offset, limit) else None


def added(view: SeriesView) -> float:
    return max((comic.added_at.timestamp() for comic in view.comics), default=0.0)


def ordered(
    found: Sequence[tuple[int, Facet]], query: SeriesQuery, ids: dict[tuple[int, str], int]
) -> list[tuple[int, Facet]]:
    rows = list(found)
    if query.sort == "random":
        # Stable within one request only: a seed drawn per call.
        random.Random(random.random()).shuffle(rows)  # noqa: S311 (an order, not a secret)
        return rows
    if query.sort in {"created", "lastModified"}:
        # By name first: ``SeriesCatalog`` then sorts by date, ties keeping this order.
        rows.sort(key=lambda r: (natural_sort_text(r[1].key), ids[(r[0], r[1].key)]))
        return rows
    if query.sort == "booksCount":
        rows.sort(key=lambda r: (r[1].count, ids[(r[0], r[1].key)]), reverse=query.descending)
        return rows
    rows.sort(
        key=lambda r: (natural_sort_text(r[1].key), ids[(r[0], r[1].key)]),
        reverse=query.descending,
    )
    return rows
