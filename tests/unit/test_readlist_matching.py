"""Matching a reading list's books to indexed comics: series, natural issue numbers, volume
and year narrowing, and the three outcomes."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.readlist_matching import (
    ListCandidate,
    Match,
    MatchStatus,
    issue_key,
    match_book,
    series_keys,
)
from bagboard.domain.readlists import ListBook

MATCHED, AMBIGUOUS, MISSING = MatchStatus.MATCHED, MatchStatus.AMBIGUOUS, MatchStatus.MISSING


def comic(
    comic_id: int, number: str, series: str = "Batman", volume: str = "", year: int | None = None
) -> ListCandidate:
    return ListCandidate(comic_id, series, number, volume, year)


def book(
    number: str, series: str = "Batman", volume: str | None = None, year: int | None = None
) -> ListBook:
    return ListBook(series, number, volume, year)


# --- issue numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "same",
    [
        ("1", "01", "001", "#1", "1.0", "1.00", " 1 ", "No. 1", "#01"),
        ("1.5", "01.50", "1½", "1 ½"),
        ("½", "1/2", "0.5", "#½"),
        ("Annual 1", "1 Annual", "Annual #01", "ANNUAL  1", "annual 1.0"),
        ("-1", "#-1", "-01"),
        ("0", "00", "#0"),
        ("TPB", "tpb", " TPB "),
        ("", "  "),
    ],
)
def test_numbers_that_name_one_issue(same: tuple[str, ...]) -> None:
    assert len({issue_key(number) for number in same}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("1", "1.5"),
        ("1", "Annual 1"),
        ("Annual 1", "Annual 2"),
        ("1", "-1"),
        ("1", "10"),
        ("1", "1a"),
        ("1", ""),
        ("1", "1-2"),
        ("½", "1"),
        ("1", "Special 1"),
        ("X-1", "-1"),
    ],
)
def test_numbers_that_name_different_issues(one: str, other: str) -> None:
    assert issue_key(one) != issue_key(other)


def test_issue_key_values() -> None:
    assert issue_key("Annual #3") == ("annual", Fraction(3))
    assert issue_key("1.5") == ("", Fraction(3, 2))
    # Unreadable numbers compare as their words.
    assert issue_key("1-2") == ("1 2", None)
    assert issue_key("9" * 40) == ("9" * 40, None)


def test_a_hostile_number_is_cheap_and_bounded() -> None:
    assert issue_key("1" * 100_000)[1] is None
    assert len(issue_key("x " * 100_000)[0]) <= 100


# --- series ---------------------------------------------------------------------------------


def test_series_compare_as_browsing_groups_them() -> None:
    listed = book("300", series="  the  AMAZING Spider-Man ")
    assert match_book(listed, [comic(7, "300", series="The Amazing Spider-Man")]) == Match(
        MATCHED, (7,)
    )


def test_a_series_the_library_lacks_is_missing() -> None:
    assert match_book(book("1", series="Nowhere Man"), [comic(1, "1")]) == Match(MISSING)
    assert match_book(book("1"), []) == Match(MISSING)


def test_series_keys_cover_a_year_in_brackets_either_way() -> None:
    assert series_keys(book("1")) == ("batman",)
    assert series_keys(book("1", volume="2016")) == ("batman", "batman (2016)")
    assert series_keys(book("1", volume="2")) == ("batman",)
    assert series_keys(book("1", series="Batman (2016)")) == ("batman (2016)", "batman")


def test_a_year_volume_finds_a_series_named_with_its_year() -> None:
    candidates = [
        comic(1, "1", series="Batman (1940)"),
        comic(2, "1", series="Batman (2016)"),
    ]
    assert match_book(book("1", volume="2016"), candidates) == Match(MATCHED, (2,))


def test_a_series_named_with_its_year_finds_that_volume() -> None:
    candidates = [comic(1, "1", volume="1940"), comic(2, "1", volume="2016")]
    assert match_book(book("1", series="Batman (2016)"), candidates) == Match(MATCHED, (2,))


# --- issue numbers in matching --------------------------------------------------------------


def test_numbers_match_naturally() -> None:
    candidates = [comic(1, "001"), comic(2, "1.5"), comic(3, "10"), comic(4, "Annual 1")]
    assert match_book(book("1"), candidates) == Match(MATCHED, (1,))
    assert match_book(book("01.5"), candidates) == Match(MATCHED, (2,))
    assert match_book(book("#10"), candidates) == Match(MATCHED, (3,))
    assert match_book(book("2"), candidates) == Match(MISSING)


def test_annuals_are_their_own_issues() -> None:
    candidates = [comic(1, "1"), comic(2, "1 Annual")]
    assert match_book(book("Annual 1"), candidates) == Match(MATCHED, (2,))
    assert match_book(book("1"), candidates) == Match(MATCHED, (1,))
    assert match_book(book("Annual 2"), candidates) == Match(MISSING)


def test_half_issues() -> None:
    candidates = [comic(1, "½", series="Wolverine"), comic(2, "1", series="Wolverine")]
    assert match_book(book("1/2", series="Wolverine"), candidates) == Match(MATCHED, (1,))


# --- volume ---------------------------------------------------------------------------------


def test_volume_narrows_to_the_comic_that_states_it() -> None:
    candidates = [comic(1, "1", volume="1940"), comic(2, "1", volume="2016"), comic(3, "1")]
    assert match_book(book("1", volume="2016"), candidates) == Match(MATCHED, (2,))
    assert match_book(book("1"), candidates) == Match(AMBIGUOUS, (1, 2, 3))


def test_volume_numbers_compare_naturally() -> None:
    candidates = [comic(1, "5", volume="1"), comic(2, "5", volume="v02")]
    assert match_book(book("5", volume="2"), candidates) == Match(MATCHED, (2,))
    assert match_book(book("5", volume="Vol. 1"), candidates) == Match(MATCHED, (1,))


def test_a_different_volume_rules_a_comic_out() -> None:
    assert match_book(book("1", volume="2016"), [comic(1, "1", volume="1940")]) == Match(MISSING)
    assert match_book(book("1", volume="3"), [comic(1, "1", volume="2")]) == Match(MISSING)


def test_a_comic_stating_no_volume_is_kept_when_none_states_it() -> None:
    candidates = [comic(1, "1"), comic(2, "1", volume="1940")]
    assert match_book(book("1", volume="2016"), candidates) == Match(MATCHED, (1,))


def test_a_volume_number_and_a_start_year_do_not_contradict() -> None:
    # ComicInfo says volume 3, the list (from ComicVine) says the volume started in 2016.
    assert match_book(book("1", volume="2016"), [comic(1, "1", volume="3")]) == Match(MATCHED, (1,))
    assert match_book(book("1", volume="3"), [comic(1, "1", volume="2016")]) == Match(MATCHED, (1,))


def test_a_comic_dated_before_its_volume_started_is_not_in_it() -> None:
    candidates = [comic(1, "1", year=1940), comic(2, "1", year=2016), comic(3, "1")]
    # #1 of the 2016 volume cannot be the 1940 comic; the undated one may still be it.
    assert match_book(book("1", volume="2016"), candidates) == Match(AMBIGUOUS, (2, 3))
    # A cover date a year ahead of the release is common; a year behind the start is allowed.
    assert match_book(book("1", volume="2016"), [comic(4, "1", year=2015)]) == Match(MATCHED, (4,))


# --- year -----------------------------------------------------------------------------------


def test_year_narrows() -> None:
    candidates = [comic(1, "1", year=1940), comic(2, "1", year=2011), comic(3, "1", year=2016)]
    assert match_book(book("1", year=2016), candidates) == Match(MATCHED, (3,))
    assert match_book(book("1", year=1990), candidates) == Match(MISSING)


def test_a_year_off_by_one_matches_when_nothing_is_exact() -> None:
    candidates = [comic(1, "1", year=1940), comic(2, "1", year=2017)]
    assert match_book(book("1", year=2016), candidates) == Match(MATCHED, (2,))
    exact = [*candidates, comic(3, "1", year=2016)]
    assert match_book(book("1", year=2016), exact) == Match(MATCHED, (3,))


def test_an_undated_comic_is_kept_only_when_no_date_fits() -> None:
    assert match_book(book("1", year=2016), [comic(1, "1")]) == Match(MATCHED, (1,))
    candidates = [comic(1, "1"), comic(2, "1", year=2016)]
    assert match_book(book("1", year=2016), candidates) == Match(MATCHED, (2,))


def test_volume_then_year() -> None:
    candidates = [
        comic(1, "1", volume="2011", year=2011),
        comic(2, "1", volume="2016", year=2016),
        comic(3, "1", volume="2016", year=2017),
    ]
    assert match_book(book("1", volume="2016", year=2017), candidates) == Match(MATCHED, (3,))
    assert match_book(book("1", volume="2016"), candidates) == Match(AMBIGUOUS, (2, 3))


# --- outcomes -------------------------------------------------------------------------------


def test_two_copies_of_an_issue_are_ambiguous() -> None:
    candidates = [comic(9, "1", volume="2016", year=2016), comic(4, "1", volume="2016", year=2016)]
    result = match_book(book("1", volume="2016", year=2016), candidates)
    assert result == Match(AMBIGUOUS, (4, 9))
    assert result.comic_id is None


def test_the_matched_id() -> None:
    assert match_book(book("1"), [comic(5, "1")]).comic_id == 5
    assert Match(MISSING).comic_id is None


def test_comics_of_other_series_are_ignored() -> None:
    candidates = [comic(1, "1", series="Superman"), comic(2, "1")]
    assert match_book(book("1"), candidates) == Match(MATCHED, (2,))


def test_the_same_comic_offered_twice_is_one_match() -> None:
    assert match_book(book("1"), [comic(3, "1"), comic(3, "1")]) == Match(MATCHED, (3,))


# --- candidates from the index ------------------------------------------------------------


def test_a_candidate_from_comic_info() -> None:
    info = ComicInfo(series="Batman", number="01", volume="2016", year="2016")
    assert ListCandidate.from_comic_info(8, info) == ListCandidate(8, "Batman", "01", "2016", 2016)
    assert ListCandidate.from_comic_info(8, ComicInfo(year="soon")).year is None
    assert ListCandidate.from_comic_info(8, ComicInfo(year="0")).year is None
    assert ListCandidate.from_comic_info(8, ComicInfo(year=" 1999 ")).year == 1999


def test_a_nameless_list_takes_its_files_name_or_a_default() -> None:
    from bagboard.domain.readlists import UNNAMED_LIST, ParsedList, named

    nameless = ParsedList("  ", "", ())
    assert named(ParsedList("Civil War", "", ())).name == "Civil War"
    assert named(nameless, "/lists/Civil  War (2006).cbl").name == "Civil War (2006)"
    assert named(nameless, "C:\\lists\\Secret Wars.cbl").name == "Secret Wars"
    assert named(nameless, "").name == UNNAMED_LIST
    assert named(nameless).name == UNNAMED_LIST
    assert named(nameless, "/lists/.cbl").name == UNNAMED_LIST
