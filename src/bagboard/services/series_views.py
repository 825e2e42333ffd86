"""Komga's series and books as ``SeriesCatalog`` builds them: a series with its books in
issue order and one user's readings of them, and the counts Komga derives from those."""

from __future__ import annotations

from dataclasses import dataclass

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.progress import ComicReading

__all__ = ["BookView", "SeriesView"]


@dataclass(frozen=True, slots=True)
class BookView:
    comic: IndexedComic
    number: int  # 1-based position in the series
    number_sort: float
    reading: ComicReading


@dataclass(frozen=True, slots=True)
class SeriesView:
    id: int
    library_id: int
    key: str
    name: str
    publisher: str
    books: tuple[BookView, ...]

    @property
    def read_count(self) -> int:
        return sum(1 for book in self.books if book.reading.is_read)

    @property
    def in_progress_count(self) -> int:
        return sum(1 for b in self.books if not b.reading.is_read and b.reading.has_progress)

    @property
    def status(self) -> str:
        if self.books and self.read_count == len(self.books):
            return "READ"
        return "IN_PROGRESS" if self.read_count or self.in_progress_count else "UNREAD"
