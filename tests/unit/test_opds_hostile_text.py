"""The Atom feeds are written as strings, not through an XML library: whatever a file name or a
ComicInfo holds, the document stays well-formed and says the same text back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree

import pytest
from litestar.testing import TestClient

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.feed import Feed, Kind, NavEntry, Paging, Target
from bagboard.adapters.http.opds.v1.atom import render_feed
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import ReadingState
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import ComicInfo
from bagboard.services.issues import IssueDetail
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import auth
from tests.scanned_world import served_folder
from tests.unit.opds_v1_support import NS, REL_ACQUISITION

SERIES = "War & <Peace> \"first\" 'part'"
SUMMARY = 'Line one & two\n\tindented <b>not bold</b> ]]> "quoted"'
# Control characters, markup and quotes. (A name that is not UTF-8 is never indexed; the
# writer is tested with one below all the same.)
NAME_BYTES = b"Odd <b> & \"q\" 'a' \x01\x1b\x7f\t.cbz"
NAME = os.fsdecode(NAME_BYTES)
# Untagged: its entry is titled by the series its file name gives, replacements included.
SHOWN = "Odd <b> & \"q\" 'a' \ufffd\ufffd"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient[Any], str]]:
    base = tmp_path_factory.mktemp("hostile-opds")
    folder = base / "lib" / "Acme & <Sons>"
    folder.mkdir(parents=True)
    info = comicinfo_xml(
        {"Series": SERIES, "Number": "1", "Publisher": "Acme & <Sons>", "Summary": SUMMARY}
    )
    write_cbz(folder / "War 01.cbz", {"a.jpg": jpeg((9, 9, 9)), "ComicInfo.xml": info})
    write_cbz(folder / NAME, {"a.jpg": jpeg((1, 2, 3))})
    with served_folder(base / "lib", base / "data") as served:
        yield served


def _feed(client: tuple[TestClient[Any], str], url: str, **params: str) -> ElementTree.Element:
    test_client, token = client
    response = test_client.get(url, params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    # Well-formed, or this raises.
    return ElementTree.fromstring(response.content)


def _entries(feed: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {entry.findtext("a:title", "", NS): entry for entry in feed.findall("a:entry", NS)}


def test_markup_and_quotes_in_comicinfo_come_back_as_the_same_text(
    client: tuple[TestClient[Any], str],
) -> None:
    feed = _feed(client, "/opds/v1.2/issues", series=SERIES)
    assert feed.findtext("a:title", "", NS) == SERIES
    entry = _entries(feed)[f"{SERIES} #1"]
    assert entry.findtext("a:summary", "", NS) == SUMMARY
    assert entry.findtext("dcterms:publisher", "", NS) == "Acme & <Sons>"
    collection = next(x for x in entry.findall("a:link", NS) if x.get("rel") == "collection")
    assert collection.get("title") == SERIES


def _walk_folders(client: tuple[TestClient[Any], str]) -> dict[str, ElementTree.Element]:
    """Every publication entry below the folder root, each folder feed parsed (so checked
    well-formed) on the way, although folder names hold markup too."""
    test_client, token = client
    found: dict[str, ElementTree.Element] = {}
    todo = ["http://testserver.local/opds/v1.2/folder"]
    while todo:
        response = test_client.get(todo.pop(), headers=auth(token))
        assert response.status_code == 200, response.text
        feed = ElementTree.fromstring(response.content)
        for entry in feed.findall("a:entry", NS):
            links = entry.findall("a:link", NS)
            if any(link.get("rel") == REL_ACQUISITION for link in links):
                found[entry.findtext("a:title", "", NS)] = entry
            else:
                hrefs = (link.get("href", "") for link in links)
                todo += [href for href in hrefs if "/folder" in href]
    return found


def test_control_characters_in_a_file_name_become_replacements_and_folders_stay_readable(
    client: tuple[TestClient[Any], str],
) -> None:
    entries = _walk_folders(client)
    shown = [title for title in entries if title.startswith(SHOWN)]
    assert len(shown) == 1, list(entries)
    acquisition = next(
        x for x in entries[shown[0]].findall("a:link", NS) if x.get("rel") == REL_ACQUISITION
    )
    # The download URL keeps the file's own bytes, escaped.
    href = acquisition.get("href", "")
    assert unquote_to_bytes(href.rsplit("/", 1)[1]) == NAME_BYTES


def test_the_writer_replaces_lone_surrogates_and_control_characters_everywhere() -> None:
    hostile = 'Bad \udcff \x00\x08 <&> "q"\r\n\t\ufffe end'
    shown = 'Bad \ufffd \ufffd\ufffd <&> "q"\r\n\t\ufffd end'
    moment = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    comic = IndexedComic(
        id=7,
        library_id=1,
        path=f"/lib/{hostile}.cbz",
        size=10,
        mtime_ns=1_700_000_000_000_000_000,
        format=ArchiveFormat.ZIP,
        added_at=moment,
        page_count=3,
        comic_info=ComicInfo(
            series=hostile, number="1", publisher=hostile, summary=hostile, writer=hostile
        ),
    )
    target = Target("issues", (("series", hostile),))
    feed = Feed(
        f"urn:{hostile}",
        hostile,
        target,
        Kind.ACQUISITION,
        moment,
        navigation=(NavEntry(hostile, hostile, target, Kind.ACQUISITION, summary=hostile),),
        publications=(IssueDetail(comic, ReadingState(), None),),
        paging=Paging(1, 50, 1),
    )
    body = render_feed(feed, Links("http://host"))
    body.decode("utf-8")  # no surrogate made it into the bytes
    root = ElementTree.fromstring(body)
    assert root.findtext("a:title", "", NS) == shown
    navigation, publication = root.findall("a:entry", NS)
    assert navigation.findtext("a:content", "", NS) == shown
    assert publication.findtext("a:summary", "", NS) == shown
    assert publication.findtext("dcterms:publisher", "", NS) == shown
    collection = next(x for x in publication.findall("a:link", NS) if x.get("rel") == "collection")
    # In an attribute too, line breaks and tabs survive as written.
    assert collection.get("title") == shown
