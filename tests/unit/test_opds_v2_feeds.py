"""OPDS 2.0 feeds: the start page, browsing down to a series, paging, search, shelves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browse_support import BACKENDS
from tests.opds2_support import (
    BASE,
    HIDDEN,
    OPDS_JSON,
    PLAIN,
    PLAIN_INFO,
    SAGA_ISSUES,
    V2,
    Opds2World,
    link,
    opds2_world,
    rels,
)

AUTH_REL = "http://opds-spec.org/auth/document"
ACQUISITION = "http://opds-spec.org/acquisition"
PROGRESSION = "http://opds-spec.org/progression"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opds2World]:
    with opds2_world(request.param, tmp_path_factory) as built:
        yield built


def hrefs(document: Any) -> Iterator[str]:
    """Every href anywhere in a document."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "href":
                yield value
            else:
                yield from hrefs(value)
    elif isinstance(document, list):
        for item in document:
            yield from hrefs(item)


def identifiers(feed: dict[str, Any]) -> list[str]:
    return [pub["metadata"]["identifier"] for pub in feed["publications"]]


def navigation(feed: dict[str, Any], title: str) -> dict[str, Any]:
    found = [item for item in feed["navigation"] if item["title"] == title]
    assert len(found) == 1, [item["title"] for item in feed["navigation"]]
    return found[0]


def test_the_start_feed_is_served_at_three_addresses(world: Opds2World) -> None:
    bodies = [world.get(url).content for url in (V2, f"{V2}/", f"{V2}/catalog")]
    assert bodies[0] == bodies[1] == bodies[2]
    assert world.feed(V2)["metadata"]["title"] == "bagboard"


def test_start_feed_links_navigation_and_groups(world: Opds2World) -> None:
    feed = world.feed(f"{V2}/catalog")
    assert link(feed, "self")["href"] == f"{V2}/catalog"
    assert link(feed, "start")["href"] == f"{V2}/catalog"
    search = link(feed, "search")
    assert search == {
        "rel": "search",
        "href": f"{V2}/search{{?query}}",
        "type": OPDS_JSON,
        "templated": True,
    }
    assert link(feed, AUTH_REL) == {
        "rel": AUTH_REL,
        "href": f"{V2}/auth",
        "type": "application/opds-authentication+json",
    }
    titles = [item["title"] for item in feed["navigation"]]
    assert {"Publishers", "Recently added", "Keep reading", "To read", "Favorites"} <= set(titles)
    for item in feed["navigation"]:
        assert item["title"] and item["rel"] and item["type"] == OPDS_JSON
        assert item["href"].startswith(f"{V2}/")
    groups = {group["metadata"]["title"]: group for group in feed["groups"]}
    recent = groups["Recently added"]
    assert link(recent, "self")["href"] == f"{V2}/recent"
    assert 0 < len(recent["publications"]) <= 10
    # A row with nothing in it is left out: the feed schema wants publications in a group.
    started = world.feed(f"{V2}/keep-reading").get("publications", [])
    if started:
        assert link(groups["Keep reading"], "self")["href"] == f"{V2}/keep-reading"
    else:
        assert set(groups) == {"Recently added"}
    assert all(group["publications"] for group in feed["groups"])


def test_every_navigation_item_leads_to_a_feed(world: Opds2World) -> None:
    for item in world.feed(f"{V2}/catalog")["navigation"]:
        feed = world.feed(item["href"])
        assert feed["links"], item["title"]
        assert {"self", "start", "search"} <= rels(feed)


def test_browsing_publishers_then_series_then_issues(world: Opds2World) -> None:
    root = world.feed(f"{V2}/catalog")
    publishers = world.feed(navigation(root, "Publishers")["href"])
    assert publishers["metadata"]["numberOfItems"] == len(publishers["navigation"])
    image = navigation(publishers, "Image")
    assert image["properties"] == {"numberOfItems": SAGA_ISSUES}
    series = world.feed(image["href"])
    assert link(series, "up")["href"] == f"{V2}/publishers"
    saga = navigation(series, "Saga")
    assert saga["href"] == f"{V2}/issues?series=Saga&publisher=Image"
    assert saga["properties"] == {"numberOfItems": SAGA_ISSUES}
    issues = world.feed(saga["href"])
    assert "navigation" not in issues
    assert issues["publications"][0]["metadata"]["title"] == "Saga #1"


def test_a_series_of_sixty_pages_fifty_then_ten(world: Opds2World) -> None:
    first = world.feed(f"{V2}/issues?series=Saga&publisher=Image")
    assert first["metadata"]["numberOfItems"] == SAGA_ISSUES
    assert first["metadata"]["itemsPerPage"] == 50
    assert first["metadata"]["currentPage"] == 1
    assert len(first["publications"]) == 50
    assert "previous" not in rels(first)
    assert link(first, "first")["href"] == f"{V2}/issues?series=Saga&publisher=Image"
    next_href = link(first, "next")["href"]
    assert link(first, "last")["href"] == next_href
    second = world.feed(next_href)
    assert second["metadata"]["currentPage"] == 2
    assert len(second["publications"]) == 10
    assert "next" not in rels(second)
    assert link(second, "previous")["href"] == f"{V2}/issues?series=Saga&publisher=Image"
    assert link(second, "self")["href"] == next_href
    ids = identifiers(first) + identifiers(second)
    assert len(set(ids)) == SAGA_ISSUES
    positions = [
        pub["metadata"]["belongsTo"]["series"][0]["position"]
        for pub in first["publications"] + second["publications"]
    ]
    assert positions == list(range(1, SAGA_ISSUES + 1))


def test_a_publication_carries_metadata_links_and_images(world: Opds2World) -> None:
    comic_id = world.id_of(PLAIN)
    feed = world.feed(f"{V2}/issues?series=Plain&publisher=Acme")
    [pub] = feed["publications"]
    metadata = pub["metadata"]
    assert metadata["@type"] == "http://schema.org/ComicIssue"
    assert metadata["identifier"] == f"urn:bagboard:issue:{comic_id}"
    assert metadata["title"] == "Plain #1: First light"
    assert metadata["author"] == [{"name": "Ann Author"}, {"name": "Bob Writer"}]
    assert metadata["publisher"] == [{"name": "Acme"}]
    # A full RFC 3339 date (the Readium metadata's ``format: date``): ComicInfo gives a year.
    assert metadata["published"] == f"{PLAIN_INFO['Year']}-01-01"
    assert metadata["language"] == "en"
    assert metadata["description"] == PLAIN_INFO["Summary"]
    assert metadata["numberOfPages"] == 3
    assert metadata["belongsTo"] == {"series": [{"name": "Plain", "position": 1}]}
    assert metadata["conformsTo"] == "https://readium.org/webpub-manifest/profiles/divina"
    assert metadata["modified"].endswith("Z")

    assert link(pub, "self") == {
        "rel": "self",
        "href": f"{V2}/issue/{comic_id}/manifest",
        "type": "application/divina+json",
    }
    acquisition = link(pub, ACQUISITION)
    size = (world.root_a / PLAIN).stat().st_size
    assert acquisition == {
        "rel": ACQUISITION,
        "href": f"{BASE}/opds/issue/{comic_id}/file/Plain%2001.cbz",
        "type": "application/vnd.comicbook+zip",
        "size": size,
    }
    assert "length" not in acquisition
    progression = link(pub, PROGRESSION)
    assert progression["href"] == f"{V2}/issue/{comic_id}/progression"
    assert progression["type"] == "application/opds-progression+json"
    assert progression["properties"]["authenticate"] == {
        "href": f"{V2}/auth",
        "type": "application/opds-authentication+json",
    }
    readium = link(pub, "http://www.cantook.com/api/progression")
    assert readium["href"] == f"{V2}/issue/{comic_id}/progression/readium"
    assert readium["type"] == "application/vnd.readium.progression+json"
    # Readers that know both rels take the first: the draft's flat document comes first.
    order = [item["rel"] for item in pub["links"]]
    assert order.index(PROGRESSION) < order.index("http://www.cantook.com/api/progression")
    assert world.get(readium["href"]).status_code in (200, 204)
    assert pub["images"] == [
        {"href": f"{BASE}/api/v1/issue/{comic_id}/cover?size=300", "type": "image/jpeg"},
        {"href": f"{BASE}/api/v1/issue/{comic_id}/cover?size=1200", "type": "image/jpeg"},
    ]
    # The links work with the same login: the file and the cover.
    download = world.get(acquisition["href"])
    assert download.status_code == 200
    assert download.content == (world.root_a / PLAIN).read_bytes()
    cover = world.get(pub["images"][0]["href"])
    assert cover.status_code == 200
    assert cover.headers["content-type"] == "image/jpeg"


def test_blank_metadata_is_left_out(world: Opds2World) -> None:
    feed = world.feed(f"{V2}/issues?series=Webp&publisher=Acme")
    metadata = feed["publications"][0]["metadata"]
    for absent in ("author", "published", "language", "description"):
        assert absent not in metadata
    assert "" not in metadata.values()


def test_every_href_is_absolute(world: Opds2World) -> None:
    for url in (
        f"{V2}/catalog",
        f"{V2}/publishers",
        f"{V2}/issues?series=Saga&publisher=Image",
        f"{V2}/recent",
        f"{V2}/folder",
    ):
        for href in hrefs(world.feed(url)):
            assert href.startswith(f"{BASE}/"), (url, href)


def test_search_by_query_and_a_search_with_no_hits(world: Opds2World) -> None:
    template = link(world.feed(f"{V2}/catalog"), "search")["href"]
    hits = world.feed(template.replace("{?query}", "?query=plain"))
    assert identifiers(hits) == [f"urn:bagboard:issue:{world.id_of(PLAIN)}"]
    assert link(hits, "self")["href"] == f"{V2}/search?query=plain"
    none = world.feed(template.replace("{?query}", "?query=zzzqqq"))
    assert none["publications"] == []
    assert none["metadata"]["numberOfItems"] == 0
    assert {"self", "start", "search"} <= rels(none)
    empty = world.feed(f"{V2}/search")
    assert empty["publications"] == [] and empty["links"]


def test_a_search_with_many_hits_pages_with_the_words_kept(world: Opds2World) -> None:
    first = world.feed(f"{V2}/search?query=saga")
    assert first["metadata"]["numberOfItems"] == SAGA_ISSUES
    second = world.feed(link(first, "next")["href"])
    assert len(second["publications"]) == SAGA_ISSUES - 50
    assert not set(identifiers(first)) & set(identifiers(second))


def test_an_odd_accept_header_still_gets_json(world: Opds2World) -> None:
    for accept in ("application/atom+xml", "text/html;q=0.1", "image/png", "*/*"):
        response = world.get(f"{V2}/catalog", headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"] == OPDS_JSON
        assert response.json()["links"]


def test_feeds_revalidate_with_a_weak_etag(world: Opds2World) -> None:
    first = world.get(f"{V2}/publishers")
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert "Authorization" in first.headers["vary"]
    again = world.get(f"{V2}/publishers", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = world.get(f"{V2}/recent", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_shelves_and_folders_render(world: Opds2World) -> None:
    to_read = world.feed(f"{V2}/to-read")
    assert to_read["metadata"]["title"] == "To read"
    assert to_read["publications"] == []
    favorites = world.feed(f"{V2}/favorites")
    assert favorites["metadata"]["numberOfItems"] == 0
    folders = world.feed(f"{V2}/folder")
    assert folders["navigation"]
    inner = world.feed(folders["navigation"][0]["href"])
    assert link(inner, "up")["href"].startswith(f"{V2}/")


def test_keep_reading_lists_a_comic_once_started(world: Opds2World) -> None:
    comic_id = world.id_of(PLAIN)
    wanted = f"urn:bagboard:issue:{comic_id}"
    assert wanted not in identifiers(world.feed(f"{V2}/keep-reading"))
    saved = world.put(f"{V2}/issue/{comic_id}/progression", {"position": 2})
    assert saved.status_code == 200
    assert wanted in identifiers(world.feed(f"{V2}/keep-reading"))
    group = next(
        g for g in world.feed(f"{V2}/catalog")["groups"] if g["metadata"]["title"] == "Keep reading"
    )
    assert wanted in identifiers(group)


def test_a_missing_series_is_a_400(world: Opds2World) -> None:
    response = world.get(f"{V2}/issues")
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_limited_user_never_sees_another_librarys_comic(world: Opds2World) -> None:
    hidden = f"urn:bagboard:issue:{world.hidden_id()}"
    assert hidden in identifiers(world.feed(f"{V2}/recent"))
    assert hidden in identifiers(world.feed(f"{V2}/search?query=hidden"))
    for url in (f"{V2}/recent", f"{V2}/search?query=hidden", f"{V2}/catalog"):
        body = world.get(url, world.kid).text
        assert hidden not in body, url
        assert "Hidden" not in body, url
    publishers = world.feed(f"{V2}/publishers", world.kid)
    assert "Secret" not in [item["title"] for item in publishers["navigation"]]
    assert HIDDEN.split("/")[0] == "Secret"


def test_feeds_need_a_login(world: Opds2World) -> None:
    response = world.client.get(f"{V2}/catalog")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    public = world.client.get(f"{V2}/auth")
    assert public.status_code == 200
