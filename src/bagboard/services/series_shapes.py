"""What a series' issues give, whoever reads them, kept between requests.

``MetadataBrowser.series_issues`` hands out the same tuple for a series only while the index
is unchanged, and a tuple never changes: so what is derived from one (its names, its
``numberSort``s and orders, the comics read for it) is kept with it and reused for as long as
the same object comes back. A kept value is never wrong, only sometimes missed.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from threading import Lock
from typing import Generic, TypeVar

from bagboard.domain.browse import ComicRow, display_name
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.komga_numbers import number_sorts

__all__ = ["BookOrder", "KeptSeries", "SeriesShape"]

Rows = tuple[ComicRow, ...]
Where = tuple[int, str]  # (library id, series key)
V = TypeVar("V")


class BookOrder(Enum):
    ISSUE = "issue"  # the series' issue order (Komga's order without a sort)
    NUMBER_SORT = "number_sort"  # ``numberSort`` ascending
    NUMBER_SORT_DESC = "number_sort_desc"


@dataclass(frozen=True, slots=True)
class SeriesShape:
    """A series' names (the most common spellings), each issue's ``numberSort`` and the
    positions of its issues by ``numberSort``."""

    name: str
    publisher: str
    sorts: list[float]
    by_number: list[int]  # positions in the rows by ``numberSort``

    @classmethod
    def of(cls, rows: Rows) -> SeriesShape:
        sorts = number_sorts([row.number for row in rows])
        name = display_name(Counter(row.series.strip() for row in rows).items())
        publisher = display_name(Counter(row.publisher.strip() for row in rows).items())
        by_number = sorted(range(len(rows)), key=lambda at: (sorts[at], rows[at].id))
        return cls(name, publisher, sorts, by_number)

    def order(self, order: BookOrder) -> Sequence[int]:
        if order is BookOrder.NUMBER_SORT:
            return self.by_number
        if order is BookOrder.NUMBER_SORT_DESC:
            return self.by_number[::-1]
        return range(len(self.sorts))


class _ByRows(Generic[V]):
    """The last ``size`` values by series, each kept with the rows it was derived from."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Where, tuple[Rows, V]] = OrderedDict()
        self._lock = Lock()

    def get(self, where: Where, rows: Rows) -> V | None:
        with self._lock:
            found = self._entries.get(where)
        return found[1] if found is not None and found[0] is rows else None

    def put(self, where: Where, rows: Rows, value: V) -> V:
        with self._lock:
            self._entries[where] = (rows, value)
            self._entries.move_to_end(where)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


class KeptSeries:
    """Shapes and comics of up to ``size`` series each, kept by the identity of their rows."""

    def __init__(self, size: int) -> None:
        self._shapes: _ByRows[SeriesShape] = _ByRows(size)
        self._comics: _ByRows[tuple[IndexedComic, ...]] = _ByRows(size)

    def shape(self, library_id: int, key: str, rows: Rows) -> SeriesShape:
        found = self._shapes.get((library_id, key), rows)
        if found is None:
            found = self._shapes.put((library_id, key), rows, SeriesShape.of(rows))
        return found

    def comics(self, where: Where, rows: Rows) -> tuple[IndexedComic, ...] | None:
        """The comics kept for these rows by ``keep_comics``, else None."""
        return self._comics.get(where, rows)

    def keep_comics(
        self, where: Where, rows: Rows, comics: tuple[IndexedComic, ...]
    ) -> tuple[IndexedComic, ...]:
        return self._comics.put(where, rows, comics)
