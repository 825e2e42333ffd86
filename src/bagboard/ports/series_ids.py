from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["SeriesIds", "SeriesKey"]

# A series as the Komga API names it: (library id, ``browse.grouping_key`` of its name).
SeriesKey = tuple[int, str]


class SeriesIds(Protocol):
    """Persistent integer ids for series, which bagboard otherwise names only by their key.

    Komga clients keep a series' id (Mihon stores it in its library, the tracker syncs by
    it), so an id must survive rescans: it is kept for as long as its library exists, even
    while no comic belongs to the series. Ids are never reused.
    """

    def ids(self, keys: Sequence[SeriesKey]) -> dict[SeriesKey, int]:
        """The id of every key, assigning new ids to keys never seen before; one round trip
        for the keys already known, plus one write when some are new. Concurrent callers
        assigning the same new key get the same id."""
        ...

    def key(self, series_id: int) -> SeriesKey | None:
        """The key an id was assigned to; None for an id never assigned (or whose library
        was removed)."""
        ...
