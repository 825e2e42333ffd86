"""Series sorts the catalogue does not apply, applied to its answer: ``relevance`` (also
the order of a search without a sort) and ``booksMetadata.releaseDate`` (by the series'
earliest release year, series without one last in either direction).

Both need the whole matching list, read with the catalogue's own order for the other sort
keys, which then breaks ties (Python's sort is stable).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bagboard.adapters.http.komga.paging import SortKey
from bagboard.adapters.http.komga.relevance import rank
from bagboard.adapters.http.komga.series_json import release_date
from bagboard.services.series_views import SeriesView

__all__ = ["CATALOG_SORTS", "reordered", "route_sort"]

# Sort keys (lower-cased) the catalogue applies, by its own names.
CATALOG_SORTS = {
    "metadata.titlesort": "name",
    "name": "name",
    "created": "created",
    "createddate": "created",
    "lastmodified": "lastModified",
    "lastmodifieddate": "lastModified",
    "bookscount": "booksCount",
    "random": "random",
}
_RELEVANCE = "relevance"
_RELEASE = "booksmetadata.releasedate"


def route_sort(sorts: Sequence[SortKey], search: str) -> SortKey | None:
    """The sort to apply here, when the first known key is one of ours; a search without
    any known key sorts by relevance, and relevance without a search is the default order."""
    ours = {_RELEASE} | ({_RELEVANCE} if search.strip() else set())
    known = [s for s in sorts if s.key.lower() in CATALOG_SORTS or s.key.lower() in ours]
    if not known:
        return SortKey(_RELEVANCE) if search.strip() else None
    first = known[0]
    return first if first.key.lower() in ours else None


def _earliest(view: SeriesView) -> date | None:
    found = [release_date(book.comic.comic_info) for book in view.books]
    return min((day for day in found if day is not None), default=None)


def reordered(views: Sequence[SeriesView], sort: SortKey, search: str) -> list[SeriesView]:
    if sort.key.lower() == _RELEVANCE:
        folded = search.strip().casefold()
        return sorted(views, key=lambda view: rank(folded, view.name))
    dated = [(day, view) for view in views if (day := _earliest(view)) is not None]
    dated.sort(key=lambda item: item[0], reverse=sort.descending)
    return [view for _, view in dated] + [view for view in views if _earliest(view) is None]
