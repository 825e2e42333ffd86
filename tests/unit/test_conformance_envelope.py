"""The kit's envelope arithmetic: what a page must say, from the raw query values sent."""

from __future__ import annotations

from typing import Any

import pytest

from bagboard.conformance.envelope import (
    arithmetic,
    duplicates,
    expected_page,
    items_on,
    walk_size,
)


def envelope(total: int, page: int, size: int, pages: int, more: bool, n: int) -> dict[str, Any]:
    return {
        "items": list(range(n)),
        "total": total,
        "page": page,
        "page_size": size,
        "total_pages": pages,
        "has_more": more,
    }


@pytest.mark.parametrize(
    ("raw_page", "raw_size", "page", "size"),
    [
        (None, None, 1, 50),
        ("2", "10", 2, 10),
        (1, "0", 1, 1),
        (1, "1000", 1, 200),
        (1, "abc", 1, 50),
        ("0", 5, 1, 5),
        ("-3", 5, 1, 5),
        ("abc", 5, 1, 5),
    ],
)
def test_the_expected_page_clamps_as_the_contract_says(
    raw_page: object, raw_size: object, page: int, size: int
) -> None:
    want = expected_page(42, raw_page, raw_size)
    assert (want.page, want.page_size) == (page, size)


def test_items_on_a_page_are_full_then_the_rest_then_none() -> None:
    assert items_on(expected_page(7, 1, 3)) == 3
    assert items_on(expected_page(7, 3, 3)) == 1
    assert items_on(expected_page(7, 4, 3)) == 0
    assert items_on(expected_page(0, 1, 3)) == 0


def test_a_correct_envelope_has_no_mismatch() -> None:
    assert arithmetic(envelope(7, 1, 3, 3, True, 3), 1, 3) is None
    assert arithmetic(envelope(7, 3, 3, 3, False, 1), 3, 3) is None
    assert arithmetic(envelope(0, 1, 50, 0, False, 0), 1, 50) is None
    # past the end: no items, no more, the same total
    assert arithmetic(envelope(7, 9, 3, 3, False, 0), 9, 3) is None
    # a clamped size is echoed clamped
    assert arithmetic(envelope(7, 1, 200, 1, False, 7), 1, "1000") is None


def test_a_wrong_total_pages_is_shown_observed_against_expected() -> None:
    mismatch = arithmetic(envelope(7, 1, 3, 4, True, 3), 1, 3)
    assert mismatch is not None
    assert mismatch.observed == "total_pages=4"
    assert mismatch.expected.startswith("total_pages=3 (total=7, page=1, page_size=3 sent)")


def test_every_wrong_field_is_named() -> None:
    mismatch = arithmetic(envelope(7, 3, 3, 3, True, 3), 3, 3)
    assert mismatch is not None
    assert mismatch.observed == "has_more=true, len(items)=3"
    assert mismatch.expected.startswith("has_more=false, len(items)=1")


def test_an_unclamped_page_size_is_a_mismatch() -> None:
    mismatch = arithmetic(envelope(7, 1, 1000, 1, False, 7), 1, "1000")
    assert mismatch is not None
    assert mismatch.observed == "page_size=1000"
    assert mismatch.expected.startswith("page_size=200")


def test_total_pages_is_zero_for_an_empty_list() -> None:
    mismatch = arithmetic(envelope(0, 1, 50, 1, False, 0), 1, 50)
    assert mismatch is not None and mismatch.observed == "total_pages=1"


@pytest.mark.parametrize(("total", "size"), [(1, 1), (2, 1), (3, 1), (7, 3), (200, 67), (5000, 67)])
def test_a_walk_spreads_at_most_200_items_over_about_three_pages(total: int, size: int) -> None:
    assert walk_size(total) == size


def test_duplicates_are_listed_once_in_order_of_their_second_sighting() -> None:
    assert duplicates(["a", "b", "a", "c", "b", "a"]) == ["a", "b"]
    assert duplicates(["a", "b"]) == []
