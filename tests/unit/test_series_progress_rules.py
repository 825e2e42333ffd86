"""The pure Komga progress rules: counts, Mihon's tracker state and writes, a book's PATCH."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bagboard.domain.browse import ReadingState
from bagboard.domain.errors import InvalidInput
from bagboard.domain.progress import ComicReading, Device, ReadingProgress
from bagboard.domain.series_progress import (
    BookProgress,
    BookState,
    PageWrite,
    ReadCounts,
    SeriesBook,
    TachiyomiV1,
    TachiyomiV2,
    book_progress,
    book_state,
    count_states,
    first_to_mark,
    komga_page,
    patch_write,
    tachiyomi_v1,
    tachiyomi_v2,
    up_to_number_sort,
)

READ = ReadingState(last_page=None, is_read=True)
READ_AT_PAGE = ReadingState(last_page=4, is_read=True)
STARTED = ReadingState(last_page=3)
UNREAD = ReadingState()
AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def book(comic_id: int, number_sort: float, state: ReadingState = UNREAD) -> SeriesBook:
    return SeriesBook(comic_id, number_sort, 20, state)


def ids(books: list[SeriesBook]) -> list[int]:
    return [b.comic_id for b in books]


# --- states and counts -----------------------------------------------------------------------


def test_the_read_mark_wins_over_a_position() -> None:
    assert book_state(READ) is BookState.READ
    assert book_state(READ_AT_PAGE) is BookState.READ
    assert book_state(STARTED) is BookState.IN_PROGRESS
    assert book_state(ReadingState(last_page=0)) is BookState.IN_PROGRESS
    assert book_state(UNREAD) is BookState.UNREAD


def test_counts_per_state() -> None:
    books = [book(1, 1, READ), book(2, 2, READ_AT_PAGE), book(3, 3, STARTED), book(4, 4)]
    assert count_states(books) == ReadCounts(read=2, in_progress=1, unread=1)
    assert count_states(books).total == 4
    assert count_states([]) == ReadCounts(0, 0, 0)


# --- Mihon's series state (v2) ---------------------------------------------------------------


def test_v2_the_leading_read_run_in_number_order_whatever_the_input_order() -> None:
    books = [book(5, 10.0), book(1, 1.0, READ), book(3, 2.5, READ), book(2, 2.0, READ)]
    state = tachiyomi_v2(books)
    assert state == TachiyomiV2(ReadCounts(3, 0, 1), 2.5, 10.0)


def test_v2_gaps_in_the_numbers_do_not_break_the_run() -> None:
    books = [book(1, 1, READ), book(2, 5, READ), book(3, 9), book(4, 12, READ)]
    state = tachiyomi_v2(books)
    assert (state.last_read_continuous_number_sort, state.max_number_sort) == (5.0, 12.0)


def test_v2_a_book_in_progress_ends_the_run() -> None:
    books = [book(1, 1, READ), book(2, 2, STARTED), book(3, 3, READ)]
    state = tachiyomi_v2(books)
    assert state.last_read_continuous_number_sort == 1.0
    assert state.counts == ReadCounts(2, 1, 0)


def test_v2_all_read_none_read_and_leading_unread() -> None:
    everything = [book(1, 1, READ), book(2, 2, READ), book(3, 3, READ)]
    assert tachiyomi_v2(everything).last_read_continuous_number_sort == 3.0
    nothing = [book(1, 1), book(2, 2)]
    assert tachiyomi_v2(nothing) == TachiyomiV2(ReadCounts(0, 0, 2), 0.0, 2.0)
    leading_unread = [book(1, 1), book(2, 2, READ), book(3, 3, READ)]
    assert tachiyomi_v2(leading_unread).last_read_continuous_number_sort == 0.0


def test_v2_of_an_empty_series_is_all_zeros() -> None:
    assert tachiyomi_v2([]) == TachiyomiV2(ReadCounts(0, 0, 0), 0.0, 0.0)


# --- Mihon's read-list state (v1) ------------------------------------------------------------


def test_v1_counts_the_leading_read_books_in_list_order() -> None:
    # List order, not number order: the list puts number 9 first.
    listed = [book(9, 9, READ), book(1, 1, READ), book(2, 2), book(3, 3, READ)]
    assert tachiyomi_v1(listed) == TachiyomiV1(ReadCounts(3, 0, 1), 2)
    assert tachiyomi_v1([book(1, 1), book(2, 2, READ)]).last_read_continuous_index == 0
    assert tachiyomi_v1([book(1, 1, READ)]).last_read_continuous_index == 1
    assert tachiyomi_v1([]) == TachiyomiV1(ReadCounts(), 0)


# --- the tracker's writes --------------------------------------------------------------------


def test_v2_put_marks_every_unread_book_at_or_below_the_value_with_gaps() -> None:
    books = [book(4, 7), book(1, 1), book(2, 2, READ), book(3, 5, STARTED), book(5, 12)]
    assert ids(up_to_number_sort(books, 7.0)) == [1, 3, 4]
    assert ids(up_to_number_sort(books, 6.9)) == [1, 3]
    assert ids(up_to_number_sort(books, 0.5)) == []
    assert ids(up_to_number_sort(books, float("inf"))) == [1, 3, 4, 5]


def test_v2_put_never_unmarks_read_books_above_the_value() -> None:
    books = [book(1, 1), book(2, 2), book(3, 3, READ), book(4, 4, READ)]
    chosen = up_to_number_sort(books, 1.0)
    assert ids(chosen) == [1]
    assert all(not b.is_read for b in chosen)


def test_v2_put_compares_as_mihon_sends_the_number_back() -> None:
    # Mihon decoded numberSort 1.3 as a 32-bit float and sends back 1.2999999523162842.
    books = [book(1, 1.0), book(2, 1.3), book(3, 1.4)]
    assert ids(up_to_number_sort(books, 1.2999999523162842)) == [1, 2]
    with pytest.raises(InvalidInput):
        up_to_number_sort(books, float("nan"))


def test_v1_put_marks_the_first_n_in_list_order() -> None:
    listed = [book(9, 9), book(1, 1, READ), book(2, 2), book(3, 3)]
    assert ids(first_to_mark(listed, 3)) == [9, 2]
    assert ids(first_to_mark(listed, 0)) == []
    assert ids(first_to_mark(listed, 99)) == [9, 2, 3]
    with pytest.raises(InvalidInput):
        first_to_mark(listed, -1)


# --- a book's PATCH --------------------------------------------------------------------------


def test_patch_completed_marks_read_at_the_last_page() -> None:
    assert patch_write(20, None, True) == PageWrite(20, True)
    assert patch_write(20, 5, True) == PageWrite(20, True)
    assert patch_write(20, 99, True) == PageWrite(20, True)  # Komga checks range only for pages
    assert patch_write(0, None, True) == PageWrite(None, True)


def test_patch_a_page_moves_the_position_and_the_last_page_marks_read() -> None:
    assert patch_write(20, 1, None) == PageWrite(1, False)
    assert patch_write(20, 19, None) == PageWrite(19, False)
    assert patch_write(20, 20, None) == PageWrite(20, True)
    assert patch_write(20, 7, False) == PageWrite(7, False)
    # Komga: completed is only looked at when true; the last page reads as finished anyway.
    assert patch_write(20, 20, False) == PageWrite(20, True)


@pytest.mark.parametrize(
    ("page_count", "page", "completed"),
    [
        (20, None, None),  # neither key
        (20, None, False),  # not completed and no page
        (20, 0, None),
        (20, -3, None),
        (20, 0, True),  # a page must be positive even beside completed
        (20, 21, None),
        (20, 21, False),
        (0, 1, None),  # a book without pages has no page 1
    ],
)
def test_patch_bodies_komga_refuses(
    page_count: int, page: int | None, completed: bool | None
) -> None:
    with pytest.raises(InvalidInput):
        patch_write(page_count, page, completed)


# --- what a stored position shows as ---------------------------------------------------------


def test_komga_page_is_the_stored_page_kept_within_the_book() -> None:
    assert komga_page(7, 20) == 7
    assert komga_page(1, 20) == 1
    assert komga_page(0, 20) == 1
    assert komga_page(25, 20) == 20
    assert komga_page(3, 0) == 3


def position(page: int) -> ReadingProgress:
    return ReadingProgress("/c/a.cbz", page, 20, 0, AT, device=Device("t1", "phone"))


def test_book_progress_from_a_reading() -> None:
    assert book_progress(None, 20) is None
    assert book_progress(ComicReading(), 20) is None
    assert book_progress(ComicReading(False, position(6)), 20) == BookProgress(
        6, False, AT, Device("t1", "phone")
    )
    assert book_progress(ComicReading(True, position(20)), 20) == BookProgress(
        20, True, AT, Device("t1", "phone")
    )
    # Marked read through /api/v1, which keeps no page: the last page, no time of its own.
    assert book_progress(ComicReading(True, None), 20) == BookProgress(20, True, None, None)
