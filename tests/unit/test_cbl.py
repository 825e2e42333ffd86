"""CBL reading-list files: the hardened parser, its tolerance of real files, and the writer."""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bagboard.adapters.readlists import parse_cbl, read_cbl, write_cbl
from bagboard.domain.errors import InvalidInput
from bagboard.domain.readlists import (
    MAX_LIST_BOOKS,
    MAX_LIST_FILE_BYTES,
    InvalidReadingList,
    ListBook,
    ParsedList,
)

# As lists generated from ComicVine look (the community's CBL repositories).
CIVIL_WAR = b"""<?xml version="1.0" encoding="utf-8"?>
<ReadingList xmlns:xsd="http://www.w3.org/2001/XMLSchema"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Name>Civil War</Name>
  <NumIssues>4</NumIssues>
  <Books>
    <Book Series="Civil War" Number="1" Volume="2006" Year="2006">
      <Database Name="cv" Series="18023" Issue="105996" />
    </Book>
    <Book Series="Amazing Spider-Man" Number="532" Volume="1999" Year="2006">
      <Database Name="cv" Series="6583" Issue="106000" />
      <Database Name="mu" Series="2105" Issue="5342" />
    </Book>
    <Book Series="Civil War: Front Line" Number="1" Volume="2006" Year="2006" />
    <Book Series="Civil War" Number="2" Volume="2006" Year="2006" />
  </Books>
  <Matchers />
</ReadingList>
"""


def books(*specs: tuple[str, str]) -> bytes:
    entries = "".join(f'<Book Series="{series}" Number="{number}"/>' for series, number in specs)
    return f"<ReadingList><Name>L</Name><Books>{entries}</Books></ReadingList>".encode()


def refused(data: bytes, **limits: int) -> str:
    with pytest.raises(InvalidReadingList) as raised:
        parse_cbl(data, **limits)
    return raised.value.message


# --- well-formed lists -------------------------------------------------------------------


def test_a_typical_list() -> None:
    parsed = parse_cbl(CIVIL_WAR)
    assert parsed.name == "Civil War" and parsed.summary == ""
    assert parsed.books == (
        ListBook("Civil War", "1", "2006", 2006, (("cv", "18023", "105996"),)),
        ListBook(
            "Amazing Spider-Man",
            "532",
            "1999",
            2006,
            (("cv", "6583", "106000"), ("mu", "2105", "5342")),
        ),
        ListBook("Civil War: Front Line", "1", "2006", 2006),
        ListBook("Civil War", "2", "2006", 2006),
    )


def test_summary_volume_and_year_are_optional() -> None:
    parsed = parse_cbl(
        b"""<ReadingList><Name> Knightfall </Name>
        <Summary>
           Bane breaks the Bat.
        </Summary>
        <Books>
          <Book Series="Batman" Number="497" />
          <Book Series=" Detective   Comics " Number=" 664 " Volume="" Year="unknown" />
          <Book Series="Shadow of the Bat" Number="16" Year="1993"/>
        </Books></ReadingList>"""
    )
    assert parsed == ParsedList(
        "Knightfall",
        "Bane breaks the Bat.",
        (
            ListBook("Batman", "497"),
            ListBook("Detective Comics", "664"),
            ListBook("Shadow of the Bat", "16", None, 1993),
        ),
    )


def test_a_book_named_twice_is_kept_twice_in_place() -> None:
    parsed = parse_cbl(books(("Saga", "1"), ("Saga", "2"), ("Saga", "1"), ("Paper Girls", "1")))
    assert [(b.series, b.number) for b in parsed.books] == [
        ("Saga", "1"),
        ("Saga", "2"),
        ("Saga", "1"),
        ("Paper Girls", "1"),
    ]


def test_a_list_naming_series_the_library_lacks_parses_all_the_same() -> None:
    parsed = parse_cbl(books(("No Such Series Anywhere", "7")))
    assert parsed.books == (ListBook("No Such Series Anywhere", "7"),)


def test_database_ids_skip_blank_entries_and_keep_partial_ones() -> None:
    parsed = parse_cbl(
        b"""<ReadingList><Books><Book Series="S" Number="1">
        <Database/><Database Name="cv" Issue="42"/><database name="mu" series="7" issue="8"/>
        </Book></Books></ReadingList>"""
    )
    assert parsed.books[0].database_ids == (("cv", "", "42"), ("mu", "7", "8"))


@pytest.mark.parametrize(
    "data",
    [
        b"<ReadingList><Name>Empty</Name><Books/></ReadingList>",
        b"<ReadingList><Name>Empty</Name><Books>\n  </Books></ReadingList>",
        b"<ReadingList><Name>Empty</Name></ReadingList>",
        b"<ReadingList><Name>Empty</Name><Books><Book/><Book Number='1'/></Books></ReadingList>",
    ],
    ids=["self-closed", "whitespace", "no-books", "books-without-series"],
)
def test_empty_books(data: bytes) -> None:
    assert parse_cbl(data) == ParsedList("Empty", "", ())


def test_a_bare_ampersand_is_taken_literally() -> None:
    data = b'<ReadingList><Name>Cats & Dogs</Name><Books><Book Series="Tom & Jerry" Number="1"/>'
    parsed = parse_cbl(data + b"</Books></ReadingList>")
    assert parsed.name == "Cats & Dogs" and parsed.books == (ListBook("Tom & Jerry", "1"),)


def test_a_stream_that_hands_out_little_at_a_time_is_read_to_its_end() -> None:
    class Trickle(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(min(7, size if size is not None and size >= 0 else 7))

    assert read_cbl(Trickle(CIVIL_WAR)) == parse_cbl(CIVIL_WAR)
    with pytest.raises(InvalidReadingList, match="larger than"):
        read_cbl(Trickle(CIVIL_WAR), max_bytes=100)


def test_a_list_without_a_name_has_an_empty_one() -> None:
    assert parse_cbl(b"<ReadingList/>") == ParsedList("", "", ())


def test_several_books_elements_are_read_in_order() -> None:
    data = b"""<ReadingList><Books><Book Series="A" Number="1"/></Books>
        <Books><Book Series="B" Number="1"/></Books></ReadingList>"""
    assert [book.series for book in parse_cbl(data).books] == ["A", "B"]


UTF16 = CIVIL_WAR.decode().replace('encoding="utf-8"', 'encoding="utf-16"')


@pytest.mark.parametrize(
    "encoded",
    [
        b"\xef\xbb\xbf" + CIVIL_WAR,
        "\ufeff".encode("utf-16-le") + UTF16.encode("utf-16-le"),
        "\ufeff".encode("utf-16-be") + UTF16.encode("utf-16-be"),
        UTF16.encode("utf-16-le"),
        CIVIL_WAR.replace(b"ReadingList", b"readinglist"),
        CIVIL_WAR.replace(b"ReadingList", b"READINGLIST").replace(b"Book", b"BOOK"),
        CIVIL_WAR.replace(b"<ReadingList", b'<cbl:ReadingList xmlns:cbl="urn:x"').replace(
            b"</ReadingList", b"</cbl:ReadingList"
        ),
        CIVIL_WAR.replace(b"\n", b"\r\n"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "lower", "upper", "prefix", "crlf"],
)
def test_encodings_case_and_namespaces(encoded: bytes) -> None:
    parsed = parse_cbl(encoded)
    assert parsed.name == "Civil War" and len(parsed.books) == 4
    assert parsed.books[1].database_ids[1] == ("mu", "2105", "5342")


def test_non_ascii_names_survive() -> None:
    name = "Astérix \u2014 l\u2019intégrale"
    data = f'<ReadingList><Name>{name}</Name><Books><Book Series="Astérix" Number="½"/></Books>'
    parsed = parse_cbl(f"{data}</ReadingList>".encode())
    assert parsed.name == name and parsed.books == (ListBook("Astérix", "½"),)


# --- hostile and broken input ---------------------------------------------------------------


def test_billion_laughs_is_refused_quickly() -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    data = f"<!DOCTYPE r [{entities}]><ReadingList><Name>&l9;</Name></ReadingList>".encode()
    started = time.monotonic()
    message = refused(data)
    assert time.monotonic() - started < 1
    assert "DTD" in message


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<ReadingList><Name>&x;</Name></ReadingList>",
        b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><ReadingList/>',
        b'<!DOCTYPE ReadingList SYSTEM "http://127.0.0.1:9/cbl.dtd"><ReadingList/>',
        b"<!doctype readinglist><ReadingList/>",
        b'<ReadingList><Books/></ReadingList><!ENTITY late "x">',
    ],
    ids=["external-entity", "parameter-entity", "external-dtd", "doctype", "late-entity"],
)
def test_dtds_and_entities_are_refused(data: bytes) -> None:
    assert "DTD or entities" in refused(data)


def test_an_undeclared_entity_is_malformed_not_fetched() -> None:
    assert "not well-formed" in refused(b"<ReadingList><Name>&xxe;</Name></ReadingList>")


def test_a_50_mb_file_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.cbl"
    entry = b'<Book Series="Padding" Number="1" Volume="2000" Year="2000"/>\n'
    chunk = entry * (1024 * 1024 // len(entry))
    with path.open("wb") as file:
        file.write(b"<ReadingList><Name>Huge</Name><Books>\n")
        while file.tell() < 50 * 1024 * 1024:
            file.write(chunk)
        file.write(b"</Books></ReadingList>")
    assert path.stat().st_size > 50 * 1024 * 1024
    started = time.monotonic()
    with path.open("rb") as file:
        with pytest.raises(InvalidReadingList, match="larger than"):
            read_cbl(file)
        # One byte past the cap is all it took to know.
        assert file.tell() == MAX_LIST_FILE_BYTES + 1
    assert time.monotonic() - started < 1


def test_the_size_cap_is_exact() -> None:
    data = books(("Saga", "1"))
    assert parse_cbl(data, max_bytes=len(data)).books
    assert "larger than" in refused(data, max_bytes=len(data) - 1)


def test_too_many_books_are_refused_while_parsing() -> None:
    assert len(parse_cbl(books(*[("S", str(n)) for n in range(3)]), max_books=3).books) == 3
    assert "more than 3 <Book>" in refused(books(*[("S", str(n)) for n in range(4)]), max_books=3)
    # Book elements count wherever they are: nesting them elsewhere does not slip past.
    nested = b"<ReadingList><Other>" + b"<Book/>" * 4 + b"</Other></ReadingList>"
    assert "more than 3" in refused(nested, max_books=3)


def test_the_default_book_cap() -> None:
    at_cap = books(*[("S", str(n)) for n in range(MAX_LIST_BOOKS)])
    assert len(parse_cbl(at_cap).books) == MAX_LIST_BOOKS
    assert "more than 10,000" in refused(books(*[("S", str(n)) for n in range(MAX_LIST_BOOKS + 1)]))


def test_malformed_xml_names_the_line() -> None:
    data = b'<?xml version="1.0"?>\n<ReadingList>\n  <Name>x</Nme>\n</ReadingList>'
    message = refused(data)
    assert "not well-formed" in message and "line 3" in message


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"not xml at all", b"\xff\xfe\x00\x00garbage", b"<ReadingList><Books>"],
    ids=["empty", "blank", "text", "garbage", "truncated"],
)
def test_unusable_bytes(data: bytes) -> None:
    assert refused(data).startswith("Not a usable CBL file")


def test_a_document_of_another_kind_is_not_a_list() -> None:
    message = refused(b"<ComicInfo><Series>Saga</Series></ComicInfo>")
    assert "<comicinfo>" in message and "<ReadingList>" in message


def test_the_error_is_invalid_input_with_its_own_code() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_cbl(b"<nope/>")
    assert raised.value.code == "invalid_reading_list"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_parse_or_are_refused_cleanly(data: bytes) -> None:
    try:
        parsed = parse_cbl(data)
    except InvalidReadingList as error:
        assert error.message
    else:
        assert isinstance(parsed, ParsedList)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100), st.text(max_size=40))
def test_arbitrary_text_in_attributes_never_crashes(name: str, number: str) -> None:
    escaped = number.replace('"', "&quot;")
    data = f'<ReadingList><Name>{name}</Name><Books><Book Series="S" Number="{escaped}"/></Books>'
    try:
        parsed = parse_cbl(f"{data}</ReadingList>".encode("utf-8", "surrogatepass"))
    except InvalidReadingList as error:
        assert error.message
    else:
        assert [book.series for book in parsed.books] == ["S"]


# --- writing --------------------------------------------------------------------------------


def test_round_trip() -> None:
    listed = (
        ListBook("Civil War", "1", "2006", 2006, (("cv", "18023", "105996"),)),
        ListBook("Civil War", "1", "2006", 2006, (("cv", "18023", "105996"),)),
        ListBook('Tom & "Jerry" <Classics>', "Annual 1"),
        ListBook("Astérix", "½", "v2", None, (("cv", "1", "2"), ("mu", "3", "4"))),
    )
    written = write_cbl("Crossover & <Co>", "Two lines,\nthen a third.", listed)
    assert parse_cbl(written) == ParsedList("Crossover & <Co>", "Two lines,\nthen a third.", listed)


def test_the_written_file_is_a_cbl_other_readers_know() -> None:
    written = write_cbl("Civil War", "", parse_cbl(CIVIL_WAR).books)
    assert written.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert b'xmlns:xsd="http://www.w3.org/2001/XMLSchema"' in written
    assert b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' in written
    root = ET.fromstring(written)
    assert root.tag == "ReadingList" and root.findtext("Name") == "Civil War"
    assert root.find("Summary") is None and root.findtext("NumIssues") == "4"
    first = root.findall("Books/Book")[0]
    assert first.attrib == {"Series": "Civil War", "Number": "1", "Volume": "2006", "Year": "2006"}
    assert first.find("Database").attrib == {"Name": "cv", "Series": "18023", "Issue": "105996"}  # type: ignore[union-attr]
    assert parse_cbl(written) == parse_cbl(CIVIL_WAR)


def test_an_empty_list_round_trips() -> None:
    assert parse_cbl(write_cbl("Nothing yet", "", [])) == ParsedList("Nothing yet", "", ())


def test_characters_xml_cannot_hold_are_left_out() -> None:
    written = write_cbl("Bell\x07", "", [ListBook("Sa\x00ga", "1\x1b")])
    assert parse_cbl(written) == ParsedList("Bell", "", (ListBook("Saga", "1"),))


_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
).filter(lambda word: "\ufffe" not in word and "\uffff" not in word)
_NAMES = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
_BOOKS = st.builds(
    ListBook,
    series=_NAMES,
    number=_NAMES,
    volume=st.none() | _NAMES,
    year=st.none() | st.integers(1, 9999),
    database_ids=st.lists(st.tuples(_WORDS, _WORDS, _WORDS), max_size=2).map(tuple),
)


@settings(max_examples=100, deadline=None)
@given(_NAMES, st.lists(_BOOKS, max_size=5))
def test_any_list_round_trips(name: str, listed: list[ListBook]) -> None:
    assert parse_cbl(write_cbl(name, "", listed)) == ParsedList(name, "", tuple(listed))
