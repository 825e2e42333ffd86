from __future__ import annotations

from bagboard.domain.komga_numbers import number_sorts, parse_number


def test_numbers_that_all_parse_and_differ_are_kept() -> None:
    assert number_sorts(["1", "1.5", "2", "10"]) == [1.0, 1.5, 2.0, 10.0]


def test_a_number_that_does_not_parse_falls_back_to_positions() -> None:
    assert number_sorts(["1", "2", "Annual"]) == [1.0, 2.0, 3.0]


def test_a_repeated_number_falls_back_to_positions() -> None:
    assert number_sorts(["1", "1", "2"]) == [1.0, 2.0, 3.0]
    assert number_sorts(["1", "1.0"]) == [1.0, 2.0]


def test_blank_and_odd_texts() -> None:
    assert number_sorts([]) == []
    assert number_sorts(["", "2"]) == [1.0, 2.0]
    assert parse_number(" 7 ") == 7.0
    assert parse_number("nan") is None and parse_number("inf") is None
