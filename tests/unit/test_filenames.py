"""The file-name parser: a corpus of real-world shapes, and properties over arbitrary text."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bagboard.domain.filename_tokens import strip_zeros
from bagboard.domain.filenames import NameParts, parse_file_name
from tests.unit.file_names_corpus import CORPUS

FIELDS = tuple(field.name for field in fields(NameParts))
DIGITS = re.compile(r"[0-9]+")
EDGES = ("-", "_", "#", " ")

# Words that reach every branch of the parser: markers, numbers, years, dashes, brackets.
VOCABULARY = (
    *("Series", "Man", "AD", "Annual", "Special", "of", "the", "2000", "2099", "100"),
    *("001", "01", "0", "1.5", "-1", "½", "1/2", "#1", "#", "#-1", "#1.MU", "# 2"),
    *("v2", "Vol.", "Vol", "Volume", "Book", "Ch.", "ch12.5", "c001", "Issue", "No."),
    *("-", "--", "\u2013", "(2012)", "[2012]", "(of 12)", "(v01)", "(Digital)", "(", ")"),
    *("2012", "1991", "of 12", "_", ".", "..", "Astérix", "٣", "\t", "  "),
)
vocabulary_names = st.lists(st.sampled_from(VOCABULARY), max_size=12)


def check(parts: NameParts) -> None:
    for name in FIELDS:
        value = getattr(parts, name)
        assert isinstance(value, str)
        assert value == value.strip(), (name, value)
        # A negative issue number ("-1", "-½") is the one part that may open with a dash.
        signed = name == "number" and value[1:2] != "" and value[1:2] in "0123456789½¼¾"
        body = value[1:] if signed else value
        assert not body.startswith(EDGES) and not body.endswith(EDGES), (name, value)
    for name in ("volume", "year", "count"):
        value = getattr(parts, name)
        assert value == "" or DIGITS.fullmatch(value), (name, value)
    assert parts.year == "" or 1900 <= int(parts.year) <= 2099
    assert not parts.number.lstrip("-").startswith("00")


@pytest.mark.parametrize(("name", "expected"), CORPUS, ids=[name for name, _ in CORPUS])
def test_the_corpus(name: str, expected: NameParts) -> None:
    assert parse_file_name(name) == expected


def test_the_corpus_is_broad_and_has_no_duplicate() -> None:
    names = [name for name, _ in CORPUS]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("value", "stripped"),
    [
        ("001", "1"),
        ("000", "0"),
        ("0", "0"),
        ("001.5", "1.5"),
        ("00.5", "0.5"),
        ("-001", "-1"),
        ("001.MU", "1.MU"),
        ("1AU", "1AU"),
        ("½", "½"),
        ("10", "10"),
    ],
)
def test_leading_zeros_go_and_the_rest_stays(value: str, stripped: str) -> None:
    assert strip_zeros(value) == stripped


@pytest.mark.parametrize(
    ("name", "series"),
    [
        ("Saga 001.CBZ", "Saga"),  # known extension, any case
        ("Saga 001.cbr", "Saga"),
        ("Saga 001.pdf", "Saga"),
        ("Saga 001.Zip", "Saga"),
        ("Saga 001.rar", "Saga"),
        ("Saga 001.cbt", "Saga"),
        ("Saga 001.jpeg", "Saga"),  # an unknown one of 2-4 letters
    ],
)
def test_the_extension_is_stripped(name: str, series: str) -> None:
    assert parse_file_name(name) == NameParts(series=series, number="1")


def test_only_an_extension_like_suffix_is_stripped() -> None:
    assert parse_file_name("Saga.001.2012") == NameParts(series="Saga", number="1", year="2012")
    assert parse_file_name("Saga 001.backup").series == "Saga 001.backup"
    assert parse_file_name("Saga 001.a+b").series == "Saga 001.a+b"


def test_huge_numbers_are_kept_as_text() -> None:
    digits = "9" * 5000
    assert parse_file_name(f"Series {digits}.cbz").number == digits
    assert parse_file_name(f"Series v{digits} #0{digits}.cbz") == NameParts(
        series="Series", volume=digits, number=digits
    )


@settings(max_examples=400)
@given(st.text())
def test_any_text_parses_to_clean_parts(name: str) -> None:
    check(parse_file_name(name))


@settings(max_examples=400)
@given(vocabulary_names, st.sampled_from((" ", "_", ".", "")))
def test_names_built_from_markers_parse_to_clean_parts(words: list[str], separator: str) -> None:
    check(parse_file_name(separator.join(words) + ".cbz"))


@given(vocabulary_names)
def test_underscores_read_as_spaces(words: list[str]) -> None:
    name = " ".join(words)
    assert parse_file_name(name.replace(" ", "_")) == parse_file_name(name)


@given(vocabulary_names.filter(lambda words: not any(set(word) & set("()[]") for word in words)))
def test_a_tag_group_changes_nothing(words: list[str]) -> None:
    stem = " ".join(["Series", *words])
    tagged = parse_file_name(f"{stem} (Digital) [Group].cbz")
    assert tagged == parse_file_name(f"{stem}.cbz")
