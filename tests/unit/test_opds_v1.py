"""OPDS 1.2 feeds over a real scanned library: what readers parse, checked on the raw XML."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit
from xml.etree import ElementTree

import pytest

from tests.browse_support import BACKENDS
from tests.unit.opds_v1_support import (
    ACQUISITION,
    CBR,
    EMPTY,
    HIDDEN,
    NAVIGATION,
    NS,
    ODD,
    REL_ACQUISITION,
    REL_STREAM,
    SAGA_1,
    SAGA_2,
    SAGA_10,
    V1,
    OpdsWorld,
    entries,
    entry_of,
    entry_titled,
    link,
    links,
    opds_world,
    pse,
    titles,
)

BASE = "http://testserver.local"
RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
SAGA = f"{V1}/issues?series=Saga&publisher=Image"
LONG = f"{V1}/issues?series=Long&publisher=Acme"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OpdsWorld]:
    with opds_world(request.param, tmp_path_factory) as built:
        yield built


def all_hrefs(feed: ElementTree.Element) -> list[str]:
    return [element.get("href", "") for element in feed.iter(f"{{{NS['a']}}}link")]


def ids(feed: ElementTree.Element) -> list[str]:
    return [entry.findtext("a:id", "", NS) for entry in entries(feed)]


def counts(feed: ElementTree.Element) -> tuple[str, str, str]:
    return (
        feed.findtext("os:totalResults", "", NS),
        feed.findtext("os:itemsPerPage", "", NS),
        feed.findtext("os:startIndex", "", NS),
    )


def save_position(world: OpdsWorld, token: str, relative: str, page: int) -> None:
    body = {"path": world.path(relative), "page_number": page, "updated_at": 1_700_000_000}
    response = world.client.put(
        "/api/v1/progress", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (200, 204), response.text


# --- the root ---------------------------------------------------------------------------------


def test_the_root_answers_at_three_addresses_with_the_same_feed(world: OpdsWorld) -> None:
    bodies = set()
    for url in (V1, f"{V1}/", f"{V1}/catalog"):
        response = world.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == NAVIGATION
        bodies.add(response.content)
    assert len(bodies) == 1
    feed = ElementTree.fromstring(bodies.pop())
    assert feed.findtext("a:id", "", NS) == "urn:bagboard:catalog"
    assert RFC3339_Z.match(feed.findtext("a:updated", "", NS))
    assert feed.findtext("a:author/a:name", "", NS) == "bagboard"
    assert link(feed, "self").get("href") == f"{BASE}{V1}/catalog"
    assert link(feed, "start").get("type") == NAVIGATION
    search = link(feed, "search")
    assert search.get("type") == "application/opensearchdescription+xml"
    assert search.get("href") == f"{BASE}{V1}/opensearch.xml"
    auth_document = link(feed, "http://opds-spec.org/auth/document")
    assert auth_document.get("href") == f"{BASE}/opds/v2.0/auth"
    publishers = entry_titled(feed, "Publishers")
    assert link(publishers, "subsection").get("type") == NAVIGATION
    assert publishers.find("a:content", NS) is not None
    recent = entry_titled(feed, "Recently added")
    assert link(recent, "http://opds-spec.org/sort/new").get("type") == ACQUISITION
    to_read = entry_titled(feed, "To read")
    assert link(to_read, "http://opds-spec.org/shelf").get("href") == f"{BASE}{V1}/to-read"


def test_opds_redirects_to_the_root(world: OpdsWorld) -> None:
    response = world.client.get("/opds", follow_redirects=False)
    assert response.status_code in (301, 302, 307, 308)
    assert response.headers["location"] == f"{BASE}{V1}/catalog"


@pytest.mark.parametrize(
    "accept",
    ["application/opds+json", "application/json", "text/html", "image/png", "*/*", "nonsense"],
)
def test_any_accept_still_gets_atom_never_406(world: OpdsWorld, accept: str) -> None:
    for url in (f"{V1}/catalog", SAGA):
        response = world.get(url, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/atom+xml;profile=")
        ElementTree.fromstring(response.content)


def test_without_credentials_a_feed_is_401_with_a_basic_challenge(world: OpdsWorld) -> None:
    response = world.client.get(f"{V1}/catalog")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert "http://opds-spec.org/auth/document" in response.headers["link"]
    wrong = world.client.get(SAGA, auth=("someone", "not-a-token"))
    assert wrong.status_code == 401
    basic = world.client.get(SAGA, auth=("anything", world.owner))
    assert basic.status_code == 200
    assert basic.headers["content-type"] == ACQUISITION


def test_a_feed_has_a_weak_etag_and_revalidates(world: OpdsWorld) -> None:
    response = world.get(SAGA)
    etag = response.headers["etag"]
    assert etag.startswith('W/"')
    assert "Authorization" in response.headers["vary"]
    again = world.get(SAGA, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert world.get(f"{V1}/catalog", headers={"If-None-Match": etag}).status_code == 200


# --- the document itself ------------------------------------------------------------------------


def test_the_pse_prefix_is_declared_literally_and_ampersands_are_escaped(world: OpdsWorld) -> None:
    raw = world.get(SAGA).text
    opening = raw[raw.index("<feed") : raw.index(">", raw.index("<feed"))]
    assert 'xmlns:pse="http://vaemendis.net/opds-pse/ns"' in opening
    assert 'xmlns="http://www.w3.org/2005/Atom"' in opening
    assert 'xmlns:dcterms="http://purl.org/dc/terms/"' in opening
    assert 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"' in opening
    assert re.search(r"\bpse:count=\"3\"", raw)
    assert "&amp;track=1" in raw
    assert "series=Saga&amp;publisher=Image" in raw
    # No bare ampersand anywhere: every one starts an entity.
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|apos;|#)", raw)
    assert "War &amp; love &lt;in space&gt;" in raw
    feed = ElementTree.fromstring(raw)
    assert entry_of(feed, world.id_of(SAGA_1)).findtext("a:summary", "", NS) == (
        "War & love <in space>"
    )


def test_every_link_is_absolute(world: OpdsWorld) -> None:
    for url in (f"{V1}/catalog", f"{V1}/publishers", f"{V1}/series", SAGA, LONG, f"{V1}/recent"):
        hrefs = all_hrefs(world.feed(url))
        assert hrefs
        for href in hrefs:
            assert href.startswith(f"{BASE}/"), (url, href)


def test_an_issue_entry_carries_what_readers_need(world: OpdsWorld) -> None:
    comic_id = world.id_of(SAGA_1)
    feed = world.feed(SAGA, world.new_reader())
    assert feed.findtext("a:title", "", NS) == "Saga"
    entry = entry_of(feed, comic_id)
    assert entry.findtext("a:title", "", NS) == "Saga #1: Chapter One"
    assert RFC3339_Z.match(entry.findtext("a:updated", "", NS))
    assert [a.findtext("a:name", "", NS) for a in entry.findall("a:author", NS)] == [
        "Brian K. Vaughan",
        "Fiona Staples",
    ]
    # ComicInfo's Year as a full date, the same value OPDS 2 sends as ``published``.
    assert entry.findtext("dcterms:issued", "", NS) == "2012-01-01"
    assert entry.findtext("dcterms:publisher", "", NS) == "Image"
    assert entry.findtext("dcterms:language", "", NS) == "en"
    image = link(entry, "http://opds-spec.org/image")
    assert (image.get("href"), image.get("type")) == (
        f"{BASE}/api/v1/issue/{comic_id}/cover?size=1200",
        "image/jpeg",
    )
    thumbnail = link(entry, "http://opds-spec.org/image/thumbnail")
    assert thumbnail.get("href") == f"{BASE}/api/v1/issue/{comic_id}/cover?size=300"
    acquisition = link(entry, REL_ACQUISITION)
    assert acquisition.get("type") == "application/vnd.comicbook+zip"
    assert acquisition.get("length") == str(Path(world.path(SAGA_1)).stat().st_size)
    assert acquisition.get("href") == f"{BASE}/opds/issue/{comic_id}/file/Saga%20001.cbz"
    stream = link(entry, REL_STREAM)
    assert stream.get("type") == "image/jpeg"
    assert stream.get("href") == (
        f"{BASE}{V1}/issue/{comic_id}/pse/{{pageNumber}}?width={{maxWidth}}&track=1"
    )
    assert pse(stream, "count") == "3"
    assert pse(stream, "lastRead") is None
    assert pse(stream, "lastReadDate") is None
    collection = link(entry, "collection")
    assert collection.get("type") == ACQUISITION
    assert collection.get("title") == "Saga"
    query = parse_qs(urlsplit(collection.get("href", "")).query)
    assert query == {"series": ["Saga"], "publisher": ["Image"]}
    # The covers, the file and the series the entry points at are really there.
    for href in (image.get("href"), thumbnail.get("href"), acquisition.get("href")):
        assert world.get(href or "").status_code == 200, href
    assert world.feed(collection.get("href", "")).findtext("a:id", "", NS) == (
        feed.findtext("a:id", "", NS)
    )


def test_a_cbr_is_offered_with_the_iana_rar_type_and_its_length(world: OpdsWorld) -> None:
    comic_id = world.id_of(CBR)
    entry = entry_of(world.feed(f"{V1}/search", q="Rar Test"), comic_id)
    acquisition = link(entry, REL_ACQUISITION)
    assert acquisition.get("type") == "application/vnd.comicbook-rar"
    assert acquisition.get("length") == str(Path(world.path(CBR)).stat().st_size)
    assert acquisition.get("href", "").endswith("/file/Rar%2001.cbr")
    assert pse(link(entry, REL_STREAM), "count") == "3"


def test_a_comic_without_pages_has_no_stream_link(world: OpdsWorld) -> None:
    feed = world.feed(f"{V1}/issues", series="Empty", publisher="Acme")
    entry = entry_of(feed, world.id_of(EMPTY))
    assert links(entry, REL_STREAM) == []
    assert link(entry, REL_ACQUISITION).get("type") == "application/vnd.comicbook+zip"
    assert world.get(f"{V1}/issue/{world.id_of(EMPTY)}/pse/0").status_code == 404


def test_the_file_name_is_escaped_in_the_acquisition_url(world: OpdsWorld) -> None:
    comic_id = world.id_of(ODD)
    feed = world.feed(f"{V1}/issues", series="Odd & Ends", publisher="Acme & Sons")
    entry = entry_of(feed, comic_id)
    href = link(entry, REL_ACQUISITION).get("href", "")
    assert href == f"{BASE}/opds/issue/{comic_id}/file/Odd%20%26%20Ends%20%231%20%2850%25%29.cbz"
    assert href.endswith(quote("Odd & Ends #1 (50%).cbz"))
    download = world.get(href)
    assert download.status_code == 200
    data = Path(world.path(ODD)).read_bytes()
    assert download.content == data
    # The same download as /api/v1's: ranges resume, and the name travels in the header.
    part = world.get(href, headers={"Range": "bytes=10-19"})
    assert (part.status_code, part.content) == (206, data[10:20])
    disposition = download.headers["content-disposition"]
    assert disposition == 'attachment; filename="Odd & Ends #1 (50%).cbz"'
    collection = link(entry, "collection").get("href", "")
    assert parse_qs(urlsplit(collection).query) == {
        "series": ["Odd & Ends"],
        "publisher": ["Acme & Sons"],
    }


def test_last_read_appears_once_a_position_is_saved(world: OpdsWorld) -> None:
    reader = world.new_reader()
    save_position(world, reader, SAGA_1, 2)
    feed = world.feed(SAGA, reader)
    stream = link(entry_of(feed, world.id_of(SAGA_1)), REL_STREAM)
    assert pse(stream, "count") == "3"
    assert pse(stream, "lastRead") == "2"
    date = pse(stream, "lastReadDate") or ""
    assert RFC3339_Z.match(date)
    datetime.fromisoformat(date.replace("Z", "+00:00"))
    for unread in (SAGA_2, SAGA_10):
        other = link(entry_of(feed, world.id_of(unread)), REL_STREAM)
        assert pse(other, "lastRead") is None
        assert pse(other, "lastReadDate") is None
    # Another user's position is not this one's.
    fresh = link(entry_of(world.feed(SAGA, world.new_reader()), world.id_of(SAGA_1)), REL_STREAM)
    assert pse(fresh, "lastRead") is None
    # Keep reading lists it for the reader, with the same stream attributes.
    keep = world.feed(f"{V1}/keep-reading", reader)
    assert pse(link(entry_of(keep, world.id_of(SAGA_1)), REL_STREAM), "lastRead") == "2"


# --- lists ------------------------------------------------------------------------------------


def test_issues_come_in_natural_number_order(world: OpdsWorld) -> None:
    assert titles(world.feed(SAGA)) == ["Saga #1: Chapter One", "Saga #2", "Saga #10"]


def test_a_long_series_is_paged_with_links_and_opensearch_counts(world: OpdsWorld) -> None:
    first = world.feed(LONG)
    assert len(entries(first)) == 50
    assert counts(first) == ("60", "50", "1")
    assert titles(first)[:3] == ["Long #1", "Long #2", "Long #3"]
    assert links(first, "previous") == []
    assert link(first, "first").get("href") == f"{BASE}{LONG}"
    last = link(first, "last").get("href", "")
    next_href = link(first, "next").get("href", "")
    assert next_href == last == f"{BASE}{LONG}&page=2"
    for rel in ("self", "first", "next", "last"):
        assert link(first, rel).get("type") == ACQUISITION
    second = world.feed(next_href)
    assert len(entries(second)) == 10
    assert counts(second) == ("60", "50", "51")
    assert links(second, "next") == []
    assert link(second, "previous").get("href") == f"{BASE}{LONG}"
    assert link(second, "self").get("href") == next_href
    everything = ids(first) + ids(second)
    assert len(set(everything)) == 60
    assert titles(second)[-1] == "Long #60"


def test_navigation_feeds_lead_to_the_issues(world: OpdsWorld) -> None:
    publishers = world.feed(f"{V1}/publishers")
    assert publishers.findtext("a:id", "", NS) == "urn:bagboard:publishers"
    image = entry_titled(publishers, "Image")
    series_href = link(image, "subsection").get("href", "")
    assert link(image, "subsection").get("type") == NAVIGATION
    series = world.feed(series_href)
    assert link(series, "up").get("href") == f"{BASE}{V1}/publishers"
    saga = link(entry_titled(series, "Saga"), "subsection")
    assert saga.get("type") == ACQUISITION
    issues = world.feed(saga.get("href", ""))
    assert len(entries(issues)) == 3
    assert link(issues, "up").get("type") == NAVIGATION


def test_search_finds_issues_and_an_empty_search_is_a_valid_feed(world: OpdsWorld) -> None:
    found = world.feed(f"{V1}/search", q="saga")
    assert set(titles(found)) == {"Saga #1: Chapter One", "Saga #2", "Saga #10"}
    assert link(found, "self").get("href") == f"{BASE}{V1}/search?q=saga"
    for query in ("zzzz-nothing", ""):
        empty = world.feed(f"{V1}/search", q=query) if query else world.feed(f"{V1}/search")
        assert entries(empty) == []
        assert counts(empty)[0] == "0"
        assert link(empty, "start").get("href") == f"{BASE}{V1}/catalog"


def test_the_opensearch_description_has_an_absolute_template(world: OpdsWorld) -> None:
    response = world.get(f"{V1}/opensearch.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/opensearchdescription+xml")
    description = ElementTree.fromstring(response.content)
    url = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url is not None
    assert url.get("type") == ACQUISITION
    template = url.get("template", "")
    assert template == f"{BASE}{V1}/search?q={{searchTerms}}"
    filled = template.replace("{searchTerms}", "saga")
    assert len(entries(world.feed(filled))) == 3


def test_a_bad_issues_query_is_400(world: OpdsWorld) -> None:
    response = world.get(f"{V1}/issues")
    assert response.status_code == 400


# --- scoping ----------------------------------------------------------------------------------


def test_a_limited_user_never_sees_another_librarys_comics(world: OpdsWorld) -> None:
    hidden = world.id_of(HIDDEN, world.root_b)
    hidden_urn = f"urn:bagboard:issue:{hidden}"
    owner_series = world.feed(f"{V1}/series", publisher="Image")
    assert "Hidden" in titles(owner_series)
    kid_series = world.feed(f"{V1}/series", world.kid, publisher="Image")
    assert titles(kid_series) == ["Saga"]
    feeds = [
        f"{V1}/recent",
        f"{V1}/recent?page=2",
        f"{V1}/search?q=hidden",
        f"{V1}/issues?series=Hidden&publisher=Image",
        f"{V1}/keep-reading",
    ]
    for url in feeds:
        raw = world.get(url, world.kid)
        assert raw.status_code == 200, url
        assert hidden_urn not in raw.text
        assert f"/issue/{hidden}/" not in raw.text
    assert hidden_urn in world.get(f"{V1}/search?q=hidden").text
    owner_entry = entry_of(world.feed(f"{V1}/search", q="hidden"), hidden)
    for href in (link(owner_entry, REL_ACQUISITION).get("href", ""), f"{V1}/issue/{hidden}/pse/0"):
        assert world.get(href).status_code == 200
        assert world.get(href, world.kid).status_code == 404


def test_shelves_list_what_the_reader_put_on_them(world: OpdsWorld) -> None:
    reader = world.new_reader()
    headers = {"Authorization": f"Bearer {reader}"}
    saga_folder = str(Path(world.path(SAGA_1)).parent)
    wanted = {"path": world.path(SAGA_1), "type": "file"}
    assert (
        world.client.post("/api/v1/library/to-read", json=wanted, headers=headers).status_code < 300
    )
    folder = {"path": saga_folder, "type": "folder"}
    assert (
        world.client.post("/api/v1/library/to-read", json=folder, headers=headers).status_code < 300
    )
    favorite = {"path": saga_folder}
    assert (
        world.client.put("/api/v1/library/favorites", json=favorite, headers=headers).status_code
        < 300
    )
    to_read = world.feed(f"{V1}/to-read", reader)
    assert link(to_read, "self").get("type") == ACQUISITION
    entry_of(to_read, world.id_of(SAGA_1))
    shelved_folder = entry_titled(to_read, "Saga")
    assert link(shelved_folder, "subsection").get("type") == ACQUISITION
    favorites = world.feed(f"{V1}/favorites", reader)
    assert link(favorites, "self").get("type") == NAVIGATION
    saga = link(entry_titled(favorites, "Saga"), "subsection").get("href", "")
    assert parse_qs(urlsplit(saga).query) == {"path": [saga_folder]}
    in_folder = world.feed(saga, reader)
    assert titles(in_folder) == ["Saga #1: Chapter One", "Saga #2", "Saga #10"]
    assert entries(world.feed(f"{V1}/to-read", world.new_reader())) == []


def test_folders_are_browsed_as_on_disk(world: OpdsWorld) -> None:
    top = world.feed(f"{V1}/folder")
    assert top.findtext("a:id", "", NS) == "urn:bagboard:folders"
    names = titles(top)
    assert names
    # Two libraries: the top lists their roots, which hold publisher folders.
    assert link(top, "self").get("type") == NAVIGATION
    first = link(entries(top)[0], "subsection")
    assert first.get("type") == NAVIGATION
    assert world.get(first.get("href", "")).status_code == 200
    saga = world.feed(f"{V1}/folder", path=str(Path(world.path(SAGA_1)).parent))
    assert {entry.findtext("a:id", "", NS) for entry in entries(saga)} == {
        f"urn:bagboard:issue:{world.id_of(name)}" for name in (SAGA_1, SAGA_2, SAGA_10)
    }
    assert link(saga, "up").get("type") == NAVIGATION  # Image: a publisher folder
    hidden_folder = str(Path(world.path(HIDDEN, world.root_b)).parent)
    assert world.get(f"{V1}/folder", world.kid, path=hidden_folder).status_code == 404


def test_subfolders_are_listed_on_a_folders_first_page_only(world: OpdsWorld) -> None:
    acme = str(Path(world.path(ODD)).parent.parent)
    first = world.feed(f"{V1}/folder", path=acme)
    assert {"Long", "Odd & Ends", "Rar", "Empty"} <= set(titles(first))
    second = world.feed(f"{V1}/folder", path=acme, page=2)
    assert entries(second) == []
    assert second.findtext("os:totalResults", "", NS) == first.findtext("os:totalResults", "", NS)
