from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bagboard.domain.browse import ComicRow, Facet, Sort
from bagboard.domain.pagination import Page, PageRequest

__all__ = ["MetadataBrowser"]


class MetadataBrowser(Protocol):
    """Metadata-mode reads: comics grouped by ComicInfo publisher and series.

    Keys are ``browse.grouping_key`` of the field (comics with an empty field belong to no
    group). Group names are the most common spelling (``browse.display_name``). Every order
    ends with a unique tie-break, so pages never overlap.
    """

    def publishers(self, library_ids: Sequence[int], sort: Sort, page: PageRequest) -> Page[Facet]:
        """``alpha``: by key in natural order; ``count``: largest first."""
        ...

    def series(
        self,
        library_ids: Sequence[int],
        publisher_key: str | None,
        query: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[Facet]:
        """Series groups, optionally of one publisher, optionally only those holding a comic
        whose series, title or file name contains ``query`` (case-insensitive, literally).
        ``year``: earliest year first; ``recent``: most recently added first; each Facet
        carries ``year`` (earliest) and ``publisher`` (most common spelling)."""
        ...

    def issues(
        self,
        library_ids: Sequence[int],
        series_key: str,
        publisher_key: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[ComicRow]:
        """``alpha``: issue number in natural order; ``year``: newest year first; ``recent``:
        most recently added first."""
        ...

    def series_issues(
        self, library_id: int, series_keys: Sequence[str]
    ) -> dict[str, tuple[ComicRow, ...]]:
        """Every comic of each of these series of one library, in ``issues``' ``alpha`` order,
        in one read whatever the number of series (a page of a series list). A key with no
        comics (or an empty key) is left out. An adapter may hand out the same tuple again
        for a series only while the index is unchanged (no write since), so a caller may
        keep what it derives from that series' comics for as long as it gets the same
        object."""
        ...

    def recent(
        self, library_ids: Sequence[int], since: datetime, page: PageRequest
    ) -> Page[ComicRow]:
        """Comics first indexed at or after ``since``, newest first."""
        ...

    def search(self, library_ids: Sequence[int], query: str, page: PageRequest) -> Page[ComicRow]:
        """Comics whose series, title or file name contains ``query``, by the rule of the
        ``series`` search (case-insensitive, literally), comics in no series included.
        Ordered by series key in natural order (no series first), then as ``issues`` orders
        ``alpha``: issue number, then file name, in natural order, then id."""
        ...
