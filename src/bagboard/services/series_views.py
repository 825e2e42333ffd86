"""Komga's series and books as ``SeriesCatalog`` builds them: a series with its comics in
issue order and one user's readings of them, and the counts Komga derives from those.

A list shows twenty series of perhaps forty books each, and needs only their counts and the
facts of their comics; the books themselves (``BookView``: position, ``numberSort``, reading)
are built when a caller asks for them, once per view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from bagboard.domain.browse import ComicRow, display_name
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.komga_numbers import number_sorts
from bagboard.domain.progress import NOT_READ, ComicReading

__all__ = ["BookPage", "BookView", "SeriesRef", "SeriesView", "series_view"]


@dataclass(frozen=True, slots=True)
class BookView:
    comic: IndexedComic
    number: int  # 1-based position in the series
    number_sort: float
    reading: ComicReading


@dataclass(frozen=True, slots=True)
class SeriesRef:
    """A series by name only, for a page of its books."""

    id: int
    library_id: int
    key: str
    name: str
    publisher: str


@dataclass(frozen=True, slots=True)
class BookPage:
    """One page of a series' books with this user's readings, and the series' size."""

    series: SeriesRef
    books: tuple[BookView, ...]
    total: int


@dataclass(frozen=True)
class SeriesView:
    id: int
    library_id: int
    key: str
    name: str
    publisher: str
    # The series' comics in issue order.
    comics: tuple[IndexedComic, ...]
    # This user's readings of those comics; a comic never touched is absent.
    readings: Mapping[int, ComicReading]

    @cached_property
    def books(self) -> tuple[BookView, ...]:
        numbers = [c.comic_info.number if c.comic_info is not None else "" for c in self.comics]
        sorts = number_sorts(numbers)
        return tuple(
            BookView(comic, position, sorts[position - 1], self.readings.get(comic.id, NOT_READ))
            for position, comic in enumerate(self.comics, start=1)
        )

    @cached_property
    def read_count(self) -> int:
        return sum(1 for reading in self.readings.values() if reading.is_read)

    @cached_property
    def in_progress_count(self) -> int:
        return sum(1 for r in self.readings.values() if not r.is_read and r.has_progress)

    @property
    def status(self) -> str:
        if self.comics and self.read_count == len(self.comics):
            return "READ"
        return "IN_PROGRESS" if self.read_count or self.in_progress_count else "UNREAD"


def series_view(
    series_id: int,
    library_id: int,
    key: str,
    rows: Sequence[ComicRow],
    comics: Mapping[int, IndexedComic],
    readings: Mapping[int, ComicReading],
    named: tuple[str, str] | None = None,
) -> SeriesView:
    """The view of a series from its rows in issue order, with the comics and readings read
    for them (and perhaps others). ``named`` (name, publisher) when a facet already says;
    otherwise the most common spellings among the rows, as a facet would."""
    found = tuple(comics[row.id] for row in rows if row.id in comics)
    mine = {c.id: readings[c.id] for c in found if c.id in readings}
    if named is None:
        named = (_spelling(row.series for row in rows), _spelling(row.publisher for row in rows))
    return SeriesView(series_id, library_id, key, named[0], named[1], found, mine)


def _spelling(values: Iterable[str]) -> str:
    return display_name(Counter(value.strip() for value in values).items())
