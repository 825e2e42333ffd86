"""The pure rules of ``domain.folder_layout``: names, order, and cutting the merged series list
into pages from a window of children (what the SQL adapter does)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bagboard.domain.browse import FolderRow
from bagboard.domain.folder_layout import (
    children_window,
    merge_series,
    nested_series,
    path_parts,
    row_key,
)
from bagboard.domain.pagination import PageRequest


def row(row_id: int, path: str, depth: int = 2) -> FolderRow:
    return FolderRow(row_id, 1, None, path, path.rsplit("/", 1)[-1], depth, False, 1)


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("Arc 1/v2", ["Arc 1", "v2"]),
        ("v1985/", ["v1985"]),
        ("./a//b", ["a", "b"]),
        ("a\\b", ["a\\b"]),
    ],
)
def test_path_parts(raw: str, parts: list[str]) -> None:
    assert path_parts(raw) == parts


def test_nested_series_are_named_below_the_publisher_in_tree_order() -> None:
    top = row(1, "/r/P/Watchmen")
    below = [
        row(5, "/r/P/Watchmen/Extras 2", 3),
        row(4, "/r/P/Watchmen/extras", 3),
        row(3, "/r/P/Watchmen/Extras/More", 4),
        row(2, "/r/P/Watchmen/Extras", 3),
        row(6, "/r/P/Watchmen 2/x", 3),  # not below Watchmen
    ]
    assert [r.name for r in nested_series(top, below)] == [
        "Watchmen/Extras",
        "Watchmen/Extras/More",
        "Watchmen/extras",
        "Watchmen/Extras 2",
    ]


@given(
    own=st.integers(0, 2),
    tops=st.sets(st.integers(0, 7)),
    sizes=st.lists(st.integers(0, 3), min_size=8, max_size=8),
    children=st.integers(0, 8),
    page=st.integers(1, 12),
    page_size=st.integers(1, 5),
)
def test_a_page_from_a_window_of_children_is_the_page_of_the_whole_list(
    own: int, tops: set[int], sizes: list[int], children: int, page: int, page_size: int
) -> None:
    selfs = [row(100 + i, f"/r/Self {i}", 1) for i in range(own)]
    kids = sorted((row(i + 1, f"/r/P/S{i}") for i in range(children)), key=row_key)
    nested = {
        kid.id: (kid, [row(1000 * kid.id + j, f"{kid.path}/x{j}", 3) for j in range(sizes[n])])
        for n, kid in enumerate(kids)
        if n in tops
    }
    whole = list(selfs)
    for kid in kids:
        whole += [kid, *nested.get(kid.id, (kid, []))[1]]
    request = PageRequest(page, page_size)
    start, limit = children_window(own, sum(len(n) for _, n in nested.values()), request)
    merged = merge_series(selfs, nested, start, kids[start : start + limit], children, request)
    assert merged.total == len(whole)
    assert list(merged.items) == whole[request.offset : request.offset + request.limit]
