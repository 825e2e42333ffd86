"""Read progress as Komga's clients count and write it, over bagboard's one store.

A Komga book is read when it carries bagboard's read mark, in progress when it has a live
position and no mark, unread otherwise. Mihon's tracker syncs a whole series at once: it reads
how far the leading run of read books goes and writes "everything up to here is read". These
are the pure rules behind it (Komga's ``ReadProgressDtoDao``, ``SeriesController``,
``ReadListController`` and ``BookLifecycle``), so the service only reads states and writes.

Pages are 1-based everywhere here, as the store keeps them (see docs/komga-progress.md).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bagboard.domain.browse import ReadingState
from bagboard.domain.errors import InvalidInput
from bagboard.domain.progress import ComicReading, Device

__all__ = [
    "BookProgress",
    "BookState",
    "PageWrite",
    "ReadCounts",
    "SeriesBook",
    "TachiyomiV1",
    "TachiyomiV2",
    "book_progress",
    "book_state",
    "completed_write",
    "count_states",
    "first_to_mark",
    "in_number_order",
    "komga_page",
    "patch_write",
    "tachiyomi_v1",
    "tachiyomi_v2",
    "up_to_number_sort",
]


class BookState(Enum):
    READ = "read"
    IN_PROGRESS = "in_progress"
    UNREAD = "unread"


def book_state(state: ReadingState) -> BookState:
    """The read mark wins over a position: a finished book re-opened is still read."""
    if state.is_read:
        return BookState.READ
    return BookState.IN_PROGRESS if state.has_progress else BookState.UNREAD


@dataclass(frozen=True, slots=True)
class SeriesBook:
    """One book of a series or read list, with the user's reading of it."""

    comic_id: int
    number_sort: float
    page_count: int
    state: ReadingState

    @property
    def is_read(self) -> bool:
        return self.state.is_read


@dataclass(frozen=True, slots=True)
class ReadCounts:
    read: int = 0
    in_progress: int = 0
    unread: int = 0

    @property
    def total(self) -> int:
        return self.read + self.in_progress + self.unread


def count_states(books: Iterable[SeriesBook]) -> ReadCounts:
    """How many books of each state one user has."""
    tally = dict.fromkeys(BookState, 0)
    for book in books:
        tally[book_state(book.state)] += 1
    return ReadCounts(tally[BookState.READ], tally[BookState.IN_PROGRESS], tally[BookState.UNREAD])


@dataclass(frozen=True, slots=True)
class TachiyomiV2:
    """``GET /api/v2/series/{id}/read-progress/tachiyomi``."""

    counts: ReadCounts
    last_read_continuous_number_sort: float
    max_number_sort: float


@dataclass(frozen=True, slots=True)
class TachiyomiV1:
    """``GET /api/v1/readlists/{id}/read-progress/tachiyomi``."""

    counts: ReadCounts
    last_read_continuous_index: int


def in_number_order(books: Iterable[SeriesBook]) -> list[SeriesBook]:
    """Books by ``number_sort``; equal values keep the order they came in."""
    return sorted(books, key=lambda book: book.number_sort)


def _leading_read(books: Sequence[SeriesBook]) -> int:
    run = 0
    for book in books:
        if not book.is_read:
            break
        run += 1
    return run


def tachiyomi_v2(books: Iterable[SeriesBook]) -> TachiyomiV2:
    """Komga's series state for Mihon: ``last_read_continuous_number_sort`` is the number of
    the last book of the leading run of read books in number order (0 when the first book is
    not read, or there is none), ``max_number_sort`` the largest number (0 when none)."""
    ordered = in_number_order(books)
    run = _leading_read(ordered)
    last = ordered[run - 1].number_sort if run else 0.0
    largest = ordered[-1].number_sort if ordered else 0.0
    return TachiyomiV2(count_states(ordered), last, largest)


def tachiyomi_v1(books: Sequence[SeriesBook]) -> TachiyomiV1:
    """Komga's read-list state for Mihon: ``last_read_continuous_index`` is the 1-based
    position, in list order, of the last book of the leading run of read books; that is, how
    many books lead the list read (0 when the first is not)."""
    return TachiyomiV1(count_states(books), _leading_read(books))


def _single(value: float) -> float:
    """``value`` as a 32-bit float, as Komga holds ``numberSort`` and the value Mihon sends
    back (it decoded the number as a 32-bit float: 1.3 comes back as 1.2999999523)."""
    try:
        return float(struct.unpack("<f", struct.pack("<f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


def up_to_number_sort(books: Iterable[SeriesBook], value: float) -> list[SeriesBook]:
    """The books a v2 PUT ``{lastBookNumberSortRead: value}`` marks read: every book numbered
    at or below ``value`` that is not read yet, in number order. Read books are left alone
    (their read time stays) and nothing is ever unmarked."""
    if math.isnan(value):
        raise InvalidInput("lastBookNumberSortRead must be a number")
    limit = _single(value)
    return [
        book
        for book in in_number_order(books)
        if _single(book.number_sort) <= limit and not book.is_read
    ]


def first_to_mark(books: Sequence[SeriesBook], count: int) -> list[SeriesBook]:
    """The books a v1 PUT ``{lastBookRead: count}`` marks read: the first ``count`` in list
    order that are not read yet. Komga refuses a negative count."""
    if count < 0:
        raise InvalidInput("lastBookRead must not be negative")
    return [book for book in books[:count] if not book.is_read]


@dataclass(frozen=True, slots=True)
class PageWrite:
    """What a Komga progress write does to one book: the position to store (1-based; None
    stores none, for a book without pages) and whether the book ends up read. A book that
    does not end up read loses its read mark (Komga: reading it again)."""

    page: int | None
    read: bool


def completed_write(page_count: int) -> PageWrite:
    """Marking a book read puts its position at the last page."""
    return PageWrite(page_count if page_count > 0 else None, True)


def patch_write(page_count: int, page: int | None, completed: bool | None) -> PageWrite:
    """``PATCH /api/v1/books/{id}/read-progress {page?, completed?}`` as Komga applies it.

    ``completed: true`` marks the book read at its last page (a valid ``page`` is ignored).
    Otherwise ``page`` is required and must be a page of the book; the book is read when it
    is the last page, whatever ``completed`` says, else the position moves there unread.
    ``InvalidInput`` (400) for a page below 1, a missing one, or one past the last page.
    """
    if page is not None and page < 1:
        raise InvalidInput("page must be 1 or more")
    if completed:
        return completed_write(page_count)
    if page is None:
        raise InvalidInput("page must be specified if completed is false or null")
    if page > page_count:
        raise InvalidInput(f"page must be within 1 and the book's page count ({page_count})")
    return PageWrite(page, page == page_count)


def komga_page(page_number: int, page_count: int) -> int:
    """A stored position as Komga's 1-based ``readProgress.page``: the same number, kept
    within the book (an /api/v1 client may have stored 0 or a page past the end)."""
    if page_count < 1:
        return max(1, page_number)
    return min(max(1, page_number), page_count)


@dataclass(frozen=True, slots=True)
class BookProgress:
    """A book's ``readProgress`` as Komga shows it: ``page`` 1-based, ``completed`` the read
    mark, ``updated_at`` the server time of the position's last change (None for a book
    marked read without a position: one of no pages, or marked before marks moved positions),
    ``device`` its last writer."""

    page: int
    completed: bool
    updated_at: datetime | None
    device: Device | None


def book_progress(reading: ComicReading | None, page_count: int) -> BookProgress | None:
    """None (Komga's ``readProgress: null``) for a book the user never touched."""
    if reading is None or not (reading.is_read or reading.has_progress):
        return None
    position = reading.position
    if position is None:
        return BookProgress(max(1, page_count), True, None, None)
    page = komga_page(position.page_number, page_count)
    return BookProgress(page, reading.is_read, position.updated_at, position.device)
