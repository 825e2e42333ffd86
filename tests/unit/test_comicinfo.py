"""ComicInfo: the domain model, and the tolerant, hostile-input-safe XML parser."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bagboard.adapters.archive.comicinfo import parse_comicinfo
from bagboard.domain.comicinfo import TEXT_FIELDS, ComicInfo, ComicPageInfo
from bagboard.domain.errors import InvalidInput

# --- the model -------------------------------------------------------------------------------


def test_defaults_are_empty() -> None:
    info = ComicInfo()
    assert all(getattr(info, name) == "" for name in TEXT_FIELDS)
    assert len(TEXT_FIELDS) == 15
    assert info.page_count is None and info.pages == () and info.front_cover_index is None
    assert info.is_empty and not ComicInfo(series="x").is_empty


def test_values_are_trimmed_and_negative_counts_dropped() -> None:
    info = ComicInfo(title="  Dawn \n", page_count=-3, pages=[ComicPageInfo(0)])  # type: ignore[arg-type]
    assert info.title == "Dawn" and info.page_count is None
    assert info.pages == (ComicPageInfo(0),)


def test_front_cover_is_the_first_page_marked_so() -> None:
    pages = (
        ComicPageInfo(0, "InnerCover"),
        ComicPageInfo(2, " frontcover "),
        ComicPageInfo(3, "FrontCover"),
    )
    assert ComicInfo(pages=pages).front_cover_index == 2


def test_page_info_validates() -> None:
    with pytest.raises(InvalidInput):
        ComicPageInfo(-1)
    page = ComicPageInfo(1, image_size=-5, image_width=10)
    assert page.image_size is None and page.image_width == 10


# --- the parser ------------------------------------------------------------------------------

SIMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Title>Dawn</Title>
  <Series>Saga</Series>
  <Number>1</Number>
  <PageCount>22</PageCount>
  <LanguageISO>en</LanguageISO>
  <Pages>
    <Page Image="0" Type="FrontCover" ImageSize="1024" />
    <Page Image="1" DoublePage="true" />
  </Pages>
</ComicInfo>"""


def parsed(data: bytes) -> ComicInfo:
    info = parse_comicinfo(data)
    assert info is not None
    return info


def test_a_typical_file() -> None:
    info = parsed(SIMPLE)
    assert (info.title, info.series, info.number) == ("Dawn", "Saga", "1")
    assert info.page_count == 22 and info.language_iso == "en"
    assert info.pages == (
        ComicPageInfo(0, "FrontCover", image_size=1024),
        ComicPageInfo(1, double_page=True),
    )
    assert info.front_cover_index == 0


def test_a_single_page_entry() -> None:
    info = parsed(b'<ComicInfo><Pages><Page Image="4" Type="FrontCover"/></Pages></ComicInfo>')
    assert info.pages == (ComicPageInfo(4, "FrontCover"),) and info.front_cover_index == 4


def test_pages_with_bad_indexes_are_skipped() -> None:
    xml = b"""<ComicInfo><Pages>
        <Page Image="x"/><Page Type="FrontCover"/><Page Image="-1"/><Page>3</Page>
        <Page Image=" 2 " Type="Story" ImageWidth="wide"/>
    </Pages></ComicInfo>"""
    assert parsed(xml).pages == (ComicPageInfo(2, "Story"),)


@pytest.mark.parametrize(
    "encoded",
    [
        SIMPLE,
        b"\xef\xbb\xbf" + SIMPLE,
        "\ufeff".encode("utf-16-le")
        + SIMPLE.decode().replace("utf-8", "utf-16").encode("utf-16-le"),
        "\ufeff".encode("utf-16-be")
        + SIMPLE.decode().replace("utf-8", "utf-16").encode("utf-16-be"),
        SIMPLE.decode().replace("utf-8", "utf-16").encode("utf-16-le"),
        SIMPLE.decode().replace("utf-8", "utf-16").encode("utf-16-be"),
        SIMPLE.decode().encode("utf-32"),
        SIMPLE.replace(b'encoding="utf-8"', b'encoding="UTF-16"'),
        SIMPLE.replace(b'encoding="utf-8"', b'encoding="no-such-codec"'),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "utf32",
        "liar",
        "bogus",
    ],
)
def test_encodings(encoded: bytes) -> None:
    assert parsed(encoded).series == "Saga"


def test_declared_legacy_encoding_and_undeclared_cp1252() -> None:
    latin = '<?xml version="1.0" encoding="iso-8859-1"?><ComicInfo><Title>Café</Title></ComicInfo>'
    assert parsed(latin.encode("latin-1")).title == "Café"
    windows = '<?xml version="1.0" encoding="utf-8"?><ComicInfo><Title>“Quoted”</Title></ComicInfo>'
    assert parsed(windows.encode("cp1252")).title == "“Quoted”"


def test_default_namespace_and_prefixed_tags() -> None:
    xml = b"""<ComicInfo xmlns="http://example.com/ComicInfo" xsi:noNamespaceSchemaLocation="x"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ci="urn:ci">
        <ci:Series>Saga</ci:Series><Title xsi:nil="false">Dawn</Title></ComicInfo>"""
    info = parsed(xml)
    assert info.series == "Saga" and info.title == "Dawn"


def test_tag_case_and_repeats_first_non_empty_wins() -> None:
    xml = b"""<comicinfo><TITLE></TITLE><title>  </title><Title>First</Title><Title>Second</Title>
        <series>s</series><Series>S</Series><pagecount>x</pagecount><PageCount>5</PageCount>
        </comicinfo>"""
    info = parsed(xml)
    assert (info.title, info.series, info.page_count) == ("First", "s", 5)


def test_control_characters_are_stripped() -> None:
    xml = b"<ComicInfo><Title>Da\x01w\x1fn\x0b</Title><Summary>a\tb\nc</Summary></ComicInfo>"
    info = parsed(xml)
    assert info.title == "Dawn" and info.summary == "a\tb\nc"


def test_bare_ampersands_are_repaired() -> None:
    xml = b"<ComicInfo><Publisher>Dark & Stormy &amp; Co &#38; &#x26;</Publisher></ComicInfo>"
    assert parsed(xml).publisher == "Dark & Stormy & Co & &"


def test_nested_elements_and_attributes_yield_their_text() -> None:
    xml = b"""<ComicInfo><Writer><Name>Ann</Name></Writer><Title lang="en">Dawn</Title>
        <Genre><![CDATA[Sci-Fi]]></Genre><Series/><Tags><a/><b>x</b></Tags></ComicInfo>"""
    info = parsed(xml)
    assert (info.writer, info.title, info.genre, info.series, info.tags) == (
        "Ann",
        "Dawn",
        "Sci-Fi",
        "",
        "x",
    )


@pytest.mark.parametrize("count", ["", "abc", "3.0", "-2", "1e3", "9999999999", "٣"])
def test_unusable_page_counts_are_none(count: str) -> None:
    assert (
        parsed(f"<ComicInfo><PageCount>{count}</PageCount></ComicInfo>".encode()).page_count is None
    )


def test_empty_comicinfo_is_empty_not_none() -> None:
    assert parsed(b"<ComicInfo/>").is_empty
    assert parsed(b"<ComicInfo>stray text</ComicInfo>").is_empty


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml at all",
        b"<ComicInfo><Title>unclosed</ComicInfo>",
        b"<Other><Title>x</Title></Other>",
        b"\xff\xfe\x00\x00garbage",
        b'<!DOCTYPE ComicInfo SYSTEM "http://example.com/x.dtd"><ComicInfo/>',
        b'<!DOCTYPE x [<!ENTITY e "v">]><ComicInfo><Title>&e;</Title></ComicInfo>',
        b'<?xml version="1.0"?><!doctype x><ComicInfo/>',
        b"<ComicInfo><Title>&undefined;</Title></ComicInfo>",
    ],
)
def test_unusable_or_hostile_files_give_none(data: bytes) -> None:
    assert parse_comicinfo(data) is None


def test_billion_laughs_is_refused_quickly() -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    xml = f"<!DOCTYPE c [{entities}]><ComicInfo><Title>&l9;</Title></ComicInfo>".encode()
    started = time.monotonic()
    assert parse_comicinfo(xml) is None
    assert time.monotonic() - started < 1


def test_size_cap() -> None:
    xml = b"<ComicInfo><Summary>" + b"x" * 2000 + b"</Summary></ComicInfo>"
    assert parse_comicinfo(xml, max_bytes=1000) is None
    assert parsed(xml).summary == "x" * 2000


def test_deep_nesting_does_not_recurse_without_bound() -> None:
    depth = 50_000
    xml = (
        b"<ComicInfo><Title>" + b"<a>" * depth + b"deep" + b"</a>" * depth + b"</Title></ComicInfo>"
    )
    info = parse_comicinfo(xml)
    assert info is None or info.title == ""


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    assert parse_comicinfo(data) is None or isinstance(parse_comicinfo(data), ComicInfo)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_inside_a_field_never_raises(text: str) -> None:
    info = parse_comicinfo(f"<ComicInfo><Title>{text}</Title></ComicInfo>".encode())
    assert info is None or isinstance(info.title, str)


def test_overlong_fields_are_cut_to_what_an_index_can_hold() -> None:
    from bagboard.domain.comicinfo import INDEXED_FIELD_LIMIT, ComicInfo

    info = ComicInfo(series="S" * 5000, title="T" * 300, writer="W" * 5000, summary="x" * 50_000)
    assert len(info.series) == INDEXED_FIELD_LIMIT
    assert len(info.title) == INDEXED_FIELD_LIMIT
    assert len(info.writer) == 2_000
    assert len(info.summary) == 20_000
    assert ComicInfo(series="  Saga  ").series == "Saga"
