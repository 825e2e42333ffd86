from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bagboard.domain.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    Page,
    PageRequest,
)


@pytest.mark.parametrize(
    ("page", "page_size", "expected"),
    [
        (None, None, (1, 50)),
        ("3", "20", (3, 20)),
        ("0", "0", (1, 1)),
        ("-4", "-1", (1, 1)),
        ("abc", "x", (1, 50)),
        ("2.5", "10.0", (1, 50)),
        ("", "", (1, 50)),
        (" 7 ", " 9 ", (7, 9)),
        ("5", "999", (5, 200)),
        ("99999999999999999999999999", "20", (MAX_PAGE, 20)),
        ("1" * 500, "1" * 500, (1, 50)),
        ("٣", "٣", (1, 50)),  # non-ASCII digits are not numbers on the wire
        (True, False, (1, 50)),
        (4, 30, (4, 30)),
    ],
)
def test_from_raw_clamps_and_defaults(
    page: object, page_size: object, expected: tuple[int, int]
) -> None:
    request = PageRequest.from_raw(page, page_size)
    assert (request.page, request.page_size) == expected


def test_defaults() -> None:
    assert PageRequest() == PageRequest(1, DEFAULT_PAGE_SIZE)
    assert PageRequest(1, 10_000).page_size == MAX_PAGE_SIZE


def test_offset_and_limit() -> None:
    request = PageRequest(3, 20)
    assert (request.offset, request.limit) == (40, 20)


@pytest.mark.parametrize(
    ("total", "page", "size", "total_pages", "has_more"),
    [
        (0, 1, 50, 0, False),
        (1, 1, 50, 1, False),
        (50, 1, 50, 1, False),
        (51, 1, 50, 2, True),
        (51, 2, 50, 2, False),
        (42, 9, 5, 9, False),
        (42, 8, 5, 9, True),
        (10, 7, 5, 2, False),  # past the end
    ],
)
def test_envelope_arithmetic(
    total: int, page: int, size: int, total_pages: int, has_more: bool
) -> None:
    result: Page[int] = Page(items=[], total=total, request=PageRequest(page, size))
    assert result.total_pages == total_pages
    assert result.has_more is has_more
    assert (result.page, result.page_size) == (page, size)


@given(total=st.integers(0, 10_000), page=st.integers(-5, 500), size=st.integers(-5, 500))
def test_walking_pages_covers_total_exactly(total: int, page: int, size: int) -> None:
    request = PageRequest(page, size)
    result: Page[int] = Page(items=[], total=total, request=request)
    assert result.total_pages * request.page_size >= total
    assert (result.total_pages - 1) * request.page_size < max(total, 1)
    assert result.has_more == (request.page * request.page_size < total)
