"""Story arcs from ComicInfo: the parser reads both tags, and ``arc_parts`` reads the two
comma-separated lists in step."""

from __future__ import annotations

import pytest

from bagboard.adapters.archive.comicinfo import parse_comicinfo
from bagboard.domain.comicinfo import STRING_FIELDS, ComicInfo
from bagboard.domain.story_arcs import ArcPart, arc_number_sort, arc_parts
from tests.archive_factory import comicinfo_xml


def test_the_parser_reads_story_arc_and_its_number() -> None:
    xml = comicinfo_xml({"Series": "Cap", "StoryArc": " Civil War ", "StoryArcNumber": "3"})
    info = parse_comicinfo(xml)
    assert info is not None
    assert (info.story_arc, info.story_arc_number) == ("Civil War", "3")


def test_arc_tags_match_in_any_case_and_the_first_non_empty_wins() -> None:
    xml = (
        b"<ComicInfo><storyarc></storyarc><STORYARC>Blackest Night</STORYARC>"
        b"<StoryArc>Ignored</StoryArc><storyARCnumber>2</storyARCnumber></ComicInfo>"
    )
    info = parse_comicinfo(xml)
    assert info is not None
    assert (info.story_arc, info.story_arc_number) == ("Blackest Night", "2")


def test_arc_fields_are_stored_text_fields_with_a_limit() -> None:
    assert STRING_FIELDS[-2:] == ("story_arc", "story_arc_number")
    info = ComicInfo(story_arc="x" * 5000, story_arc_number=" 1 ")
    assert len(info.story_arc) == 2000 and info.story_arc_number == "1"
    assert not info.is_empty


def test_arcs_and_numbers_are_read_in_step() -> None:
    assert arc_parts("Civil War, Road to Civil War", "3, 7") == (
        ArcPart("civil war", "Civil War", "3", 3.0),
        ArcPart("road to civil war", "Road to Civil War", "7", 7.0),
    )


def test_missing_numbers_leave_parts_unnumbered() -> None:
    assert arc_parts("A, B, C", "1,,") == (
        ArcPart("a", "A", "1", 1.0),
        ArcPart("b", "B"),
        ArcPart("c", "C"),
    )
    assert arc_parts("A, B", "") == (ArcPart("a", "A"), ArcPart("b", "B"))
    assert arc_parts("A", "1, 2, 3") == (ArcPart("a", "A", "1", 1.0),)


def test_an_arc_named_twice_counts_once_with_its_first_number() -> None:
    assert arc_parts("Secret Wars,  secret   WARS", "9, 1") == (
        ArcPart("secret wars", "Secret Wars", "9", 9.0),
    )


def test_blank_names_are_no_arcs() -> None:
    assert arc_parts("", "1") == ()
    assert arc_parts(" , ,", "1, 2") == ()
    assert arc_parts(", Real", "1, 2") == (ArcPart("real", "Real", "2", 2.0),)


def test_a_broken_tag_holds_at_most_fifty_arcs() -> None:
    parts = arc_parts(",".join(f"Arc {i}" for i in range(80)), "")
    assert len(parts) == 50 and parts[-1].name == "Arc 49"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("3", 3.0),
        ("3.5", 3.5),
        ("Part 2", 2.0),
        ("-1", -1.0),
        ("", None),
        ("prologue", None),
        ("1" * 12, None),
    ],
)
def test_the_arc_number_to_order_by(number: str, expected: float | None) -> None:
    assert arc_number_sort(number) == expected
