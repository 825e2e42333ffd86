"""Komga's read progress over the one progress store: a book's PATCH and DELETE, a series'
mark-all, and the Mihon tracker's series and read-list sync.

Everything goes through ``ProgressService``, so a page a Komga client writes is the position
``/api/v1/progress``, OPDS and the sync feed see, and the other way round. The rules are in
``domain/series_progress.py``; this class reads the user's states and writes what they say.

Callers pass comics they have already looked up for the user (scoping is theirs, as for
``ProgressService.save_in``), with each book's ``number_sort`` where order matters. Komga's
writes carry no client clock: each is stamped with the server's receipt time, so a conditional
``/api/v1`` write more than ``progress.CLOCK_TOLERANCE`` seconds older loses to it (409).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bagboard.domain.browse import ReadingState
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.model import User
from bagboard.domain.progress import ComicReading, Device, ProgressChange
from bagboard.domain.series_progress import (
    BookProgress,
    PageWrite,
    ReadCounts,
    SeriesBook,
    TachiyomiV1,
    TachiyomiV2,
    book_progress,
    completed_write,
    count_states,
    first_to_mark,
    patch_write,
    tachiyomi_v1,
    tachiyomi_v2,
    up_to_number_sort,
)
from bagboard.services.progress import ProgressService

__all__ = ["NumberedComic", "SeriesProgressService"]

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class NumberedComic:
    """A book of a series: the comic and its Komga ``numberSort`` (the catalogue's)."""

    comic: IndexedComic
    number_sort: float


class SeriesProgressService:
    def __init__(self, progress: ProgressService) -> None:
        self._progress = progress

    # --- reads -------------------------------------------------------------------------------

    def progress_of(
        self, user: User, comics: Sequence[IndexedComic]
    ) -> dict[int, BookProgress | None]:
        """Each book's Komga ``readProgress`` (None: never touched), by comic id, in one read."""
        readings = self._progress.readings(user, [comic.id for comic in comics])
        return {
            comic.id: book_progress(readings.get(comic.id), comic.page_count) for comic in comics
        }

    def counts(self, user: User, comics: Sequence[IndexedComic]) -> ReadCounts:
        """The user's read, in-progress and unread books among ``comics``."""
        return count_states(self._books(user, [NumberedComic(c, 0.0) for c in comics]))

    def counts_by(
        self, user: User, groups: Mapping[K, Sequence[IndexedComic]]
    ) -> dict[K, ReadCounts]:
        """``counts`` of many series (a page of a series list) in one read."""
        ids = [comic.id for comics in groups.values() for comic in comics]
        readings = self._progress.readings(user, ids)
        return {
            key: count_states(_book(NumberedComic(c, 0.0), readings) for c in comics)
            for key, comics in groups.items()
        }

    def tachiyomi_v2(self, user: User, books: Sequence[NumberedComic]) -> TachiyomiV2:
        """The series state Mihon's tracker reads."""
        return tachiyomi_v2(self._books(user, books))

    def tachiyomi_v1(self, user: User, comics: Sequence[IndexedComic]) -> TachiyomiV1:
        """The read-list state Mihon's tracker reads; ``comics`` in list order."""
        return tachiyomi_v1(self._books(user, _listed(comics)))

    # --- writes ------------------------------------------------------------------------------

    def put_tachiyomi_v2(
        self,
        user: User,
        books: Sequence[NumberedComic],
        last_number_sort_read: float,
        *,
        device: Device | None = None,
    ) -> int:
        """Mark read every book numbered at or below the value; never unmarks. Returns how
        many books it marked (those already read are left as they are)."""
        chosen = up_to_number_sort(self._books(user, books), last_number_sort_read)
        return self._complete(user, _by_id(books), chosen, device)

    def put_tachiyomi_v1(
        self,
        user: User,
        comics: Sequence[IndexedComic],
        last_book_read: int,
        *,
        device: Device | None = None,
    ) -> int:
        """Mark read the first ``last_book_read`` books of a list in list order; never
        unmarks; ``InvalidInput`` for a negative count. Returns how many it marked."""
        listed = _listed(comics)
        chosen = first_to_mark(self._books(user, listed), last_book_read)
        return self._complete(user, _by_id(listed), chosen, device)

    def patch_book(
        self,
        user: User,
        comic: IndexedComic,
        page: int | None,
        completed: bool | None,
        *,
        device: Device | None = None,
    ) -> PageWrite:
        """Komga's book PATCH (rules in ``patch_write``): ``InvalidInput`` (400) before
        anything is written for a body it refuses; returns what it wrote."""
        write = patch_write(comic.page_count, page, completed)
        self._write(user, comic, write, device)
        return write

    def clear_book(self, user: User, comic: IndexedComic) -> None:
        """Komga's book DELETE: the position and the read mark go; the sync feed reports both
        (a deleted position, an unread mark)."""
        self._progress.clear_in(user, comic)
        self._progress.set_read_in(user, comic, False)

    def mark_all(
        self,
        user: User,
        comics: Sequence[IndexedComic],
        read: bool,
        *,
        device: Device | None = None,
    ) -> int:
        """A series' POST (``read``: every book read at its last page, those already read
        left alone) or DELETE (every position and read mark cleared). Returns how many books
        it changed."""
        readings = self._progress.readings(user, [comic.id for comic in comics])
        if read:
            unread = [c for c in comics if not _reading(readings, c.id).is_read]
            for comic in unread:
                self._write(user, comic, completed_write(comic.page_count), device)
            return len(unread)
        touched = [c for c in comics if c.id in readings]
        for comic in touched:
            self.clear_book(user, comic)
        return len(touched)

    # --- helpers -----------------------------------------------------------------------------

    def _books(self, user: User, books: Sequence[NumberedComic]) -> list[SeriesBook]:
        readings = self._progress.readings(user, [book.comic.id for book in books])
        return [_book(book, readings) for book in books]

    def _complete(
        self,
        user: User,
        comics: Mapping[int, IndexedComic],
        chosen: Sequence[SeriesBook],
        device: Device | None,
    ) -> int:
        for book in chosen:
            comic = comics[book.comic_id]
            self._write(user, comic, completed_write(comic.page_count), device)
        return len(chosen)

    def _write(
        self, user: User, comic: IndexedComic, write: PageWrite, device: Device | None
    ) -> None:
        # The position first, in the mark's transaction: a reader polling the two never sees
        # a read book back at an old page. Komga writes the page it is given (a completed
        # book's last page, even over a later one), as its device's.
        change = None
        if write.page is not None:
            change = ProgressChange(
                page_number=write.page, total_pages=comic.page_count, device=device
            )
        self._progress.save_read_in(user, comic, change, write.read)


_UNTOUCHED = ComicReading()


def _reading(readings: Mapping[int, ComicReading], comic_id: int) -> ComicReading:
    return readings.get(comic_id, _UNTOUCHED)


def _book(book: NumberedComic, readings: Mapping[int, ComicReading]) -> SeriesBook:
    reading = _reading(readings, book.comic.id)
    state = ReadingState(reading.last_page, reading.is_read)
    return SeriesBook(book.comic.id, book.number_sort, book.comic.page_count, state)


def _listed(comics: Sequence[IndexedComic]) -> list[NumberedComic]:
    # A read list orders by position in the list; its number is the 1-based position.
    return [NumberedComic(comic, float(n)) for n, comic in enumerate(comics, start=1)]


def _by_id(books: Sequence[NumberedComic]) -> dict[int, IndexedComic]:
    return {book.comic.id: book.comic for book in books}
