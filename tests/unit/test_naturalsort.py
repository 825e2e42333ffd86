from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bagboard.domain.naturalsort import (
    natural_key,
    natural_path_key,
    natural_sorted,
    natural_sorted_paths,
)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["page10", "page2", "page1"], ["page1", "page2", "page10"]),
        (["Page2", "page10", "PAGE1"], ["PAGE1", "Page2", "page10"]),
        (["b", "A", "c"], ["A", "b", "c"]),
        (["x9.jpg", "x10.jpg", "x09.jpg"], ["x09.jpg", "x9.jpg", "x10.jpg"]),
        (["v2c10", "v2c9", "v10c1", "v1c100"], ["v1c100", "v2c9", "v2c10", "v10c1"]),
        (["2", "10", "a", "1a"], ["1a", "2", "10", "a"]),
        (["001", "1", "01"], ["001", "01", "1"]),
        (["", "a", "1"], ["", "1", "a"]),
        (["a b", "a", "ab"], ["a", "a b", "ab"]),
        (["é2", "É10", "e1"], ["e1", "é2", "É10"]),
    ],
)
def test_natural_order(names: list[str], expected: list[str]) -> None:
    assert natural_sorted(names) == expected


def test_case_only_differences_still_have_a_fixed_order() -> None:
    assert natural_sorted(["a", "A"]) == natural_sorted(["A", "a"]) == ["A", "a"]
    assert natural_key("a") != natural_key("A")


def test_huge_digit_runs_compare_without_int_conversion() -> None:
    big, bigger = "9" * 5000, "1" + "0" * 5000
    assert natural_sorted([f"p{bigger}", f"p{big}", "p3"]) == ["p3", f"p{big}", f"p{bigger}"]


def test_non_ascii_digits_are_text() -> None:
    # "²" and Arabic-Indic digits are not numbers here: they sort as text, after every number.
    assert natural_sorted(["x²", "x٣", "x2", "x10"]) == ["x2", "x10", "x²", "x٣"]


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["ch10/p1", "ch2/p10", "ch2/p9"], ["ch2/p9", "ch2/p10", "ch10/p1"]),
        # Per-segment comparison keeps a folder together (a space sorts before "/").
        (["ch 1 extra/p1", "ch 1/p2", "ch 1/p10"], ["ch 1/p2", "ch 1/p10", "ch 1 extra/p1"]),
        (["b/1.jpg", "a.jpg", "a/2.jpg"], ["a/2.jpg", "a.jpg", "b/1.jpg"]),
        (["Vol 2\\p1", "vol 1\\p2"], ["vol 1\\p2", "Vol 2\\p1"]),
    ],
)
def test_natural_path_order(paths: list[str], expected: list[str]) -> None:
    assert natural_sorted_paths(paths) == expected


@given(st.lists(st.text(alphabet="aB0123456789 ./_-é", max_size=12), max_size=20))
def test_ordering_is_total_and_stable(names: list[str]) -> None:
    once = natural_sorted(names)
    assert natural_sorted(reversed(names)) == once
    assert natural_sorted(once) == once
    assert sorted(once) == sorted(names)


@given(st.lists(st.text(max_size=10), max_size=10))
def test_keys_never_fail_and_only_equal_names_tie(names: list[str]) -> None:
    keys = [natural_path_key(name) for name in names]
    for name, key in zip(names, keys, strict=True):
        assert [n for n, k in zip(names, keys, strict=True) if k == key] == [
            n for n in names if n == name
        ]
