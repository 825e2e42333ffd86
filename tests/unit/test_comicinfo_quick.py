"""The quick ComicInfo parse (ElementTree) and the general one (xmltodict) agree on every
document the quick one accepts, and it leaves every unusual shape to the general one."""

from __future__ import annotations

from dataclasses import fields

import pytest

from bagboard.adapters.archive import comicinfo
from bagboard.adapters.safe_xml import parse_xml, prepare_xml
from bagboard.domain.archive import MAX_COMICINFO_BYTES
from bagboard.domain.comicinfo import ComicInfo

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
)


def _doc(body: str, head: str = HEAD, tail: str = "</ComicInfo>") -> bytes:
    return (head + body + tail).encode("utf-8")


def _general(data: bytes) -> ComicInfo | None:
    document = parse_xml(data, max_bytes=MAX_COMICINFO_BYTES)
    return comicinfo._comic_info(document.content) if document.root == "comicinfo" else None


def _quick(data: bytes) -> ComicInfo | None:
    return comicinfo._quick(prepare_xml(data, max_bytes=MAX_COMICINFO_BYTES))


COMMON = [
    _doc(
        "<Title>Ashes</Title><Series> Ancient  </Series><Number>1</Number><Count>5</Count>"
        "<Volume>1985</Volume><Summary>A &amp; B &lt;go&gt;</Summary><Year>1985</Year>"
        "<Month>12</Month><Writer>Yuki Nakamura</Writer><Publisher>Blue Heron</Publisher>"
        "<Genre>Western, Comedy</Genre><PageCount>4</PageCount><LanguageISO>en</LanguageISO>"
        "<Manga>YesAndRightToLeft</Manga><StoryArc>Arc</StoryArc>"
        "<StoryArcNumber>2</StoryArcNumber><Tags>a,b</Tags>"
        '<Pages><Page Image="0" Type="FrontCover" ImageSize="33035" ImageWidth="800" '
        'ImageHeight="1200" /><Page Image="1" DoublePage="True" Bookmark=" x " />'
        '<Page Image="nope" /><Page Image="2" Type=" Story "></Page></Pages>'
    ),
    _doc("<Series>S</Series><Title></Title><Notes>unknown tags are skipped</Notes>"),
    _doc("<series>lower case</series><PAGECOUNT> 7 </PAGECOUNT><pagecount-not>1</pagecount-not>"),
    _doc("<Series><![CDATA[Tom & Jerry]]></Series><Title>a<!-- note -->b</Title>"),
    _doc('<Series lang="en">attributes on a text field</Series><Pages />'),
    _doc("<Series>S</Series><Pages>text, no page</Pages><PageCount>99999999999</PageCount>"),
    _doc(
        '<ci:Series>prefixed</ci:Series><ci:Pages><ci:Page ci:Image="0" /></ci:Pages>',
        head='<ComicInfo xmlns:ci="urn:x">',
    ),
    _doc("<Series>default namespace</Series>", head='<ComicInfo xmlns="urn:comicinfo">'),
    _doc('<Pages><Page Image="0"><Extra>child</Extra></Page><Other Image="1" /></Pages>'),
    # Attributes spelled otherwise, or twice under one local name (the last one wins).
    _doc(
        '<Pages><Page image=" 1 " TYPE="Story" doublepage=" TRUE " />'
        '<Page Image="2" image="3" ImageSize=" 12 " ImageWidth="-4" Bookmark=" b " />'
        '<Page Image=" 5 " DoublePage="true" Type="  " ImageHeight="0010" /></Pages>'
    ),
    _doc("<Series>Caf\u00e9 \u2013 \u65e5\u672c</Series><Title>\x01control\x02</Title>"),
    # Past its limit: cut, then stripped again where the cut left a space.
    _doc("<Series>" + "a" * 199 + " bc</Series><Summary>" + "s" * 20_001 + "</Summary>"),
    _doc(""),
]


@pytest.mark.parametrize("data", COMMON)
def test_the_quick_parse_reads_the_common_shapes_as_the_general_one(data: bytes) -> None:
    quick = _quick(data)
    assert quick is not None  # taken the quick way
    assert quick == _general(data)
    assert comicinfo.parse_comicinfo(data) == quick
    # Its pages come as their values, which an index stores as they are: those of the pages.
    values = getattr(quick.pages, "values", None) or ()
    assert values == tuple(tuple(getattr(p, f.name) for f in fields(p)) for p in quick.pages)
    assert bool(values) == bool(quick.pages)


UNUSUAL = [
    # Repeats: xmltodict groups them by spelling, which is not document order.
    _doc("<Title></Title><title>second</title><Title>third</Title>"),
    _doc("<Series>one</Series><Series>two</Series>"),
    _doc('<Pages><Page Image="0" /></Pages><Pages><Page Image="1" /></Pages>'),
    _doc('<Pages><Page Image="0" /><page Image="1" /><Page Image="2" /></Pages>'),
    # Elements inside a text field.
    _doc("<Series><b>bold</b> series</Series>"),
    _doc("<Title>x<i>y</i></Title>"),
    # Not parseable as it stands: a bare ampersand, an unbound prefix, another root.
    _doc("<Series>Tom & Jerry</Series>"),
    _doc("<x:Series>unbound</x:Series>", head="<ComicInfo>"),
    b"<ComicBookInfo><Series>S</Series></ComicBookInfo>",
    b"<ComicInfo><Series>unclosed</ComicInfo>",
]


@pytest.mark.parametrize("data", UNUSUAL)
def test_unusual_shapes_go_the_general_way(data: bytes) -> None:
    assert _quick(data) is None
    try:
        general = _general(data)
    except ValueError:  # XmlRefused: not well-formed even repaired
        general = None
    assert comicinfo.parse_comicinfo(data) == general


def test_the_first_non_empty_repeat_wins_as_before() -> None:
    info = comicinfo.parse_comicinfo(_doc("<Title></Title><title>second</title><Title>3</Title>"))
    assert info is not None and info.title == "3"  # xmltodict's order: Title's list first


def test_a_dtd_is_still_refused_before_any_parse() -> None:
    data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><ComicInfo><Series>&a;</Series></ComicInfo>'
    assert comicinfo.parse_comicinfo(data) is None
