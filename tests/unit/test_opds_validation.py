"""Every document the OPDS catalogs serve keeps the rules of the OPDS 1.2 and 2.0 schemas.

The catalogs are crawled from both starts, following every link to an OPDS document
(feeds, pages of feeds, folders, shelves, search, publications, DiViNa manifests,
progressions, the authentication and OpenSearch documents); each is checked by
``tests/opds_rules.py`` by the media type it is served as, and every link's ``type`` must be
what its target is served as. Then the fixes those rules called for, one by one, and a broken
document per rule family, which the checks must reject.
"""

from __future__ import annotations

import io
import json
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from bagboard.adapters.http.opds.entries import publication_date
from bagboard.adapters.readlists.cbl import read_cbl
from tests import opds_rules as rules
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import BACKENDS
from tests.opds2_support import PLAIN, V2, WEBP, Opds2World, saga, write_library
from tests.readlist_support import cbl
from tests.scanned_world import scanned_world

V1 = "http://testserver/opds/v1.2"
AUTH = "http://testserver/opds/v2.0/auth"
BROKEN = "Acme/Broken/Broken 01.cbz"
MIXED = "Acme/Mixed"
MIXED_ARCS = 3
MIXED_COMICS = 49  # with the three arcs: 52 entries, two feed pages
# Two comics of a story arc, numbered in the arc against their issue order.
CROSSOVER = "Acme/Crossover"
ARC = "Validation Event"
ATOM_NS = {"a": rules.ATOM, "os": rules.OPENSEARCH, "dcterms": rules.DCTERMS}
ACQUISITION_REL = "http://opds-spec.org/acquisition"

# A reading list to crawl: Plain #1 (read, so that the list is on deck), a book no library
# holds, Webp #1, and Plain #1 again.
READING_LIST = (("Plain", "1", "", ""), ("Nobody", "7", "", ""), ("Webp", "1", "", ""))
READING_LIST_BOOKS = (*READING_LIST, READING_LIST[0])

# The media types of OPDS documents: what the crawl follows.
DOCUMENT_TYPES = {
    *rules.JSON_CHECKS,
    rules.ATOM_NAVIGATION,
    rules.ATOM_ACQUISITION,
    "application/opensearchdescription+xml",
}


def write_validation_library(base: Path) -> tuple[Path, Path]:
    """The OPDS 2 suites' library, plus a file that is no archive and a series folder holding
    both subfolders and more comics than a feed page."""
    root_a, root_b = write_library(base)
    broken = root_a / BROKEN
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"this is not a zip archive at all")
    for arc in range(1, MIXED_ARCS + 1):
        (root_a / MIXED / f"Arc {arc}").mkdir(parents=True)
        write_cbz(root_a / MIXED / f"Arc {arc}" / f"Arc {arc} 01.cbz", {"01.jpg": jpeg((9, 9, 9))})
    for number in range(1, MIXED_COMICS + 1):
        info = {"Series": "Mixed", "Number": str(number), "Publisher": "Acme"}
        write_cbz(
            root_a / MIXED / f"Mixed {number:03d}.cbz",
            {"01.jpg": jpeg((number, 0, 0)), "ComicInfo.xml": comicinfo_xml(info)},
        )
    (root_a / CROSSOVER).mkdir(parents=True)
    for number, part in ((1, "2"), (2, "1")):
        info = {"Series": "Crossover", "Number": str(number), "Publisher": "Acme"}
        arc = {"StoryArc": ARC, "StoryArcNumber": part}
        write_cbz(
            root_a / CROSSOVER / f"Crossover {number:02d}.cbz",
            {"01.jpg": jpeg((0, number, 0)), "ComicInfo.xml": comicinfo_xml(info | arc)},
        )
    return root_a, root_b


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opds2World]:
    kind = request.param
    with scanned_world(Opds2World, kind, tmp_path_factory, write_validation_library) as made:
        headers = {"Authorization": f"Bearer {made.owner}"}
        client = made.client
        series_folder = str(made.root_a / "Acme" / "Plain")
        for body in (
            {"path": made.path(saga(1)), "type": "file"},
            {"path": series_folder, "type": "folder"},
        ):
            assert client.post("/api/v1/library/to-read", json=body, headers=headers).is_success
        favorite = {"path": series_folder}
        assert client.put("/api/v1/library/favorites", json=favorite, headers=headers).is_success
        position = {
            "modified": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "device": {"id": "urn:uuid:0b5c6f1e-1111-4c5e-9d3e-validation", "name": "Tests"},
            "progression": 0.5,
            "position": 2,
        }
        progression = f"{V2}/issue/{made.id_of(saga(2))}/progression"
        assert made.put(progression, position).status_code == 200
        add_reading_list(made)
        yield made


def add_reading_list(world: Opds2World) -> None:
    """The owner's reading list, with its first comic read: the list feeds, and on deck,
    hold publications to check."""
    owner = world.app.accounts.owner()
    parsed = read_cbl(io.BytesIO(cbl("Crawled", READING_LIST_BOOKS, "A list to check")))
    world.app.reading_lists.import_list(owner, parsed, shared=False)
    plain = world.app.container.library_index().comic(world.id_of(PLAIN))
    assert plain is not None
    world.app.progress.set_read_in(owner, plain, True)


def _atom_entries(document: ElementTree.Element) -> list[ElementTree.Element]:
    return document.findall("a:entry", ATOM_NS)


def media_type(response_type: str) -> str:
    return response_type.split(";charset")[0].replace("; ", ";").strip()


def links_of(url: str, kind: str, body: bytes) -> Iterator[tuple[str, str]]:
    """(href, type) of every link of a document."""
    if kind.startswith("application/atom+xml"):
        for link in ElementTree.fromstring(body).iter(f"{{{rules.ATOM}}}link"):
            yield link.get("href", ""), link.get("type", "")
        return
    if kind == "application/opensearchdescription+xml":
        return
    yield from _json_links(json.loads(body))


def _json_links(document: Any) -> Iterator[tuple[str, str]]:
    if isinstance(document, dict):
        if isinstance(document.get("href"), str) and not document.get("templated"):
            yield document["href"], str(document.get("type", ""))
        for value in document.values():
            yield from _json_links(value)
    elif isinstance(document, list):
        for item in document:
            yield from _json_links(item)


def check(kind: str, body: bytes) -> list[str]:
    if kind in rules.JSON_CHECKS:
        return rules.JSON_CHECKS[kind](json.loads(body))
    if kind == "application/opensearchdescription+xml":
        return rules.check_opensearch(body)
    return rules.check_atom_feed(body)


@pytest.fixture(scope="module")
def crawled(world: Opds2World) -> dict[str, tuple[str, bytes]]:
    """Every OPDS document reachable from both starts (plus a search with words), by URL:
    its served media type and body."""
    starts = [f"{V1}/catalog", f"{V2}/catalog", f"{V1}/search?q=saga", f"{V2}/search?query=saga"]
    found: dict[str, tuple[str, bytes]] = {}
    queue = deque(starts)
    problems: list[str] = []
    while queue:
        url = queue.popleft()
        if url in found:
            continue
        response = world.get(url)
        if response.status_code == 204:  # a progression with no position: nothing to check
            found[url] = ("", b"")
            continue
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        kind = media_type(response.headers["content-type"])
        found[url] = (kind, response.content)
        for href, declared in links_of(url, kind, response.content):
            if declared.replace("; ", ";") not in DOCUMENT_TYPES or href in found:
                continue
            queue.append(href)
    # A link says what its target is: the type it gives is the type the target is served as.
    for url, (kind, body) in found.items():
        if not kind:
            continue
        for href, declared in links_of(url, kind, body):
            target = found.get(href)
            if target is not None and target[0] and declared.replace("; ", ";") != target[0]:
                problems.append(f"{url} links {href} as {declared!r}, served as {target[0]!r}")
    assert problems == []
    return found


def test_every_kind_of_document_is_reached(crawled: dict[str, tuple[str, bytes]]) -> None:
    kinds = {kind for kind, _ in crawled.values()}
    assert kinds >= DOCUMENT_TYPES, DOCUMENT_TYPES - kinds
    urls = set(crawled)
    for route in ("folder", "favorites", "to-read", "search", "recent", "keep-reading", "issues"):
        for prefix in (V1, V2):
            assert any(url.startswith(f"{prefix}/{route}") for url in urls), (prefix, route)
    # The pages of a paged feed are reached through its links.
    assert any("page=2" in url and "/folder" in url for url in urls)


def test_the_reading_order_feeds_are_reached_with_their_comics(
    world: Opds2World, crawled: dict[str, tuple[str, bytes]]
) -> None:
    plain, webp = (f"urn:bagboard:issue:{world.id_of(name)}" for name in (PLAIN, WEBP))
    for prefix in (V1, V2):
        for route in ("readlists", "arcs", "on-deck"):
            assert f"{prefix}/{route}" in crawled, (prefix, route)
        [list_feed] = [url for url in crawled if url.startswith(f"{prefix}/readlists/")]
        body = crawled[list_feed][1].decode()
        # In list order, each once, the missing book left out.
        assert body.index(plain) < body.index(webp) and body.count(plain) == 1
        deck = crawled[f"{prefix}/on-deck"][1].decode()
        assert webp in deck and plain not in deck
        assert ARC in crawled[f"{prefix}/arcs"][1].decode()
        [arc_feed] = [url for url in crawled if url.startswith(f"{prefix}/arcs/")]
        body = crawled[arc_feed][1].decode()
        # In arc order: the second issue is the arc's first part.
        first, second = (
            f"urn:bagboard:issue:{world.id_of(f'{CROSSOVER}/Crossover {n:02d}.cbz')}"
            for n in (1, 2)
        )
        assert body.index(second) < body.index(first)


def test_every_document_keeps_the_schema_rules(crawled: dict[str, tuple[str, bytes]]) -> None:
    problems = [
        f"{url}: {problem}"
        for url, (kind, body) in crawled.items()
        if kind
        for problem in check(kind, body)
    ]
    assert problems == []


def _shown_and_counts(kind: str, body: bytes) -> tuple[int, int, int, int, bool] | None:
    """(entries shown, page number, page size, total, has a next page) of a paged feed."""
    if kind == "application/opds+json":
        feed = json.loads(body)
        metadata = feed["metadata"]
        shown = len(feed.get("navigation", [])) + len(feed.get("publications", []))
        more = any(link.get("rel") == "next" for link in feed["links"])
        page, size = metadata["currentPage"], metadata["itemsPerPage"]
        return shown, page, size, metadata["numberOfItems"], more
    if kind in (rules.ATOM_NAVIGATION, rules.ATOM_ACQUISITION):
        feed = ElementTree.fromstring(body)
        total = feed.findtext("os:totalResults", None, ATOM_NS)
        if total is None:
            return None
        size = int(feed.findtext("os:itemsPerPage", "", ATOM_NS))
        start = int(feed.findtext("os:startIndex", "", ATOM_NS))
        more = any(link.get("rel") == "next" for link in feed.findall("a:link", ATOM_NS))
        return len(_atom_entries(feed)), (start - 1) // size + 1, size, int(total), more
    return None


def test_every_count_agrees_with_the_pages(crawled: dict[str, tuple[str, bytes]]) -> None:
    """OpenSearch 1.1 ``totalResults``/``itemsPerPage``/``startIndex`` and OPDS 2
    ``numberOfItems``/``itemsPerPage``/``currentPage`` describe the pages: no page holds more
    than a page's worth, and the last one ends exactly at the total."""
    problems = []
    for url, (kind, body) in crawled.items():
        counts = _shown_and_counts(kind, body) if kind else None
        if counts is None:
            continue
        shown, page, size, total, more = counts
        if shown > size or (not more and (page - 1) * size + shown != total):
            problems.append(f"{url}: {shown} shown on page {page} of {size}, total {total}")
    assert problems == []


def test_the_authentication_document_and_a_401_keep_the_rules(world: Opds2World) -> None:
    public = world.client.get(AUTH)
    assert public.status_code == 200
    assert rules.check_authentication(public.json()) == []
    refused = world.client.get(f"{V2}/catalog")
    assert refused.status_code == 401
    assert rules.check_authentication(refused.json()) == []


def test_both_progression_documents_keep_the_rules(world: Opds2World) -> None:
    url = f"{V2}/issue/{world.id_of(saga(2))}/progression"
    assert rules.check_progression(world.get(url).json()) == []
    # The Readium locator carries the same modified/device, and a locator for the rest.
    locator = world.get(f"{url}/readium").json()
    assert rules.is_date_time(locator["modified"])
    assert rules.is_uri(locator["device"]["id"]) and locator["device"]["name"]
    assert 0 <= locator["locator"]["locations"]["progression"] <= 1


# --- the fixes the rules called for ----------------------------------------------------------


def test_published_is_a_full_date_in_both_versions(world: Opds2World) -> None:
    comic_id = world.id_of(PLAIN)
    manifest = world.get(f"{V2}/issue/{comic_id}/manifest").json()
    assert manifest["metadata"]["published"] == "2001-01-01"
    feed = ElementTree.fromstring(world.get(f"{V1}/issues?series=Plain&publisher=Acme").content)
    issued = feed.findtext("a:entry/dcterms:issued", "", ATOM_NS)
    assert issued == manifest["metadata"]["published"]


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        ("1961", "", "", "1961-01-01"),
        (" 2012 ", "", "", "2012-01-01"),
        ("2012", "3", "", "2012-03-01"),
        ("2012", "3", "7", "2012-03-07"),
        ("2012", "2", "30", "2012-02-01"),  # no such day: the month stands
        ("2012", "13", "7", "2012-01-01"),  # no such month: the year stands
        ("812", "", "", "0812-01-01"),
        ("", "3", "7", None),
        ("0", "", "", None),
        ("1961?", "", "", None),
        ("19611", "", "", None),
        ("١٩٦١", "", "", None),  # digits, but not ASCII ones
    ],
)
def test_publication_dates_are_full_dates_or_none(
    year: str, month: str, day: str, expected: str | None
) -> None:
    made = publication_date(year, month, day)
    assert made == expected
    assert made is None or rules.is_date(made)


def test_folder_counts_hold_folders_and_comics_and_pages_agree(world: Opds2World) -> None:
    path = str(world.root_a / MIXED)
    total = MIXED_ARCS + MIXED_COMICS
    first = world.feed(f"{V2}/folder?path={path}")
    second = world.feed(f"{V2}/folder?path={path}&page=2")
    assert first["metadata"]["numberOfItems"] == second["metadata"]["numberOfItems"] == total
    shown = [
        (len(page.get("navigation", [])), len(page.get("publications", [])))
        for page in (first, second)
    ]
    # Folders first, then comics, fifty entries a page counted together.
    assert shown == [(MIXED_ARCS, 50 - MIXED_ARCS), (0, total - 50)]
    ids = [
        pub["metadata"]["identifier"] for page in (first, second) for pub in page["publications"]
    ]
    assert len(set(ids)) == MIXED_COMICS
    assert "next" not in {link["rel"] for link in second["links"]}
    atom = [
        ElementTree.fromstring(world.get(f"{V1}/folder", path=path, page=str(number)).content)
        for number in (1, 2)
    ]
    assert [doc.findtext("os:totalResults", "", ATOM_NS) for doc in atom] == [str(total)] * 2
    assert [len(_atom_entries(doc)) for doc in atom] == [50, total - 50]
    # The top of the folders counts the library roots it lists.
    top = world.feed(f"{V2}/folder")
    assert top["metadata"]["numberOfItems"] == len(top["navigation"]) == 2


def test_the_folders_entry_leads_to_a_navigation_feed(world: Opds2World) -> None:
    start = ElementTree.fromstring(world.get(f"{V1}/catalog").content)
    [entry] = [e for e in _atom_entries(start) if e.findtext("a:title", "", ATOM_NS) == "Folders"]
    link = entry.find("a:link", ATOM_NS)
    assert link is not None and link.get("type") == rules.ATOM_NAVIGATION
    served = world.get(link.get("href", ""))
    assert served.headers["content-type"].replace("; ", ";") == rules.ATOM_NAVIGATION


def test_an_unreadable_comic_offers_only_its_file(world: Opds2World) -> None:
    comic = world.app.container.library_index().comic_at(world.path(BROKEN))
    assert comic is not None and comic.error is not None
    feed = world.feed(f"{V2}/folder?path={world.root_a / 'Acme' / 'Broken'}")
    [publication] = feed["publications"]
    assert rules.check_opds2_publication(publication) == []
    links = {link["rel"]: link for link in publication["links"]}
    assert set(links) == {"self", ACQUISITION_REL}
    # Nothing it links answers 422: the file downloads, the image and ``self`` are served.
    assert world.get(links[ACQUISITION_REL]["href"]).content.startswith(b"this is not")
    assert links["self"]["type"] == "application/opds-publication+json"
    assert world.get(links["self"]["href"]).json() == publication
    [image] = publication["images"]
    cover = world.client.get(image["href"])
    assert cover.status_code == 200 and cover.headers["content-type"] == image["type"]
    assert world.get(f"{V2}/issue/{comic.id}/manifest").status_code == 422
    atom = ElementTree.fromstring(
        world.get(f"{V1}/folder", path=str(world.root_a / "Acme" / "Broken")).content
    )
    [entry] = _atom_entries(atom)
    # The file, and the series it belongs to; no cover, thumbnail nor page stream.
    assert [link.get("rel") for link in entry.findall("a:link", ATOM_NS)] == [
        ACQUISITION_REL,
        "collection",
    ]
    assert rules.check_atom_feed(ElementTree.tostring(atom)) == []


# --- the checks reject what breaks a rule ----------------------------------------------------


def _good_feed() -> dict[str, Any]:
    return {
        "metadata": {"title": "t", "numberOfItems": 1, "itemsPerPage": 50, "currentPage": 1},
        "links": [{"rel": "self", "href": "http://x/feed", "type": "application/opds+json"}],
        "publications": [_good_publication()],
    }


def _good_publication() -> dict[str, Any]:
    return {
        "metadata": {"title": "p", "published": "1961-01-01", "modified": "2020-01-02T03:04:05Z"},
        "links": [
            {"rel": "self", "href": "http://x/m", "type": "application/divina+json"},
            {"rel": ACQUISITION_REL, "href": "http://x/f", "type": "application/zip"},
        ],
        "images": [{"href": "http://x/c", "type": "image/jpeg"}],
    }


def _good_manifest() -> dict[str, Any]:
    publication = _good_publication()
    return {
        "@context": "https://readium.org/webpub-manifest/context.jsonld",
        "metadata": publication["metadata"],
        "links": publication["links"],
        "readingOrder": [{"href": "http://x/p/1", "type": "image/jpeg"}],
    }


def _family(problems: list[str]) -> set[str]:
    return {problem.split(" at ", 1)[0] for problem in problems}


def test_the_good_documents_pass() -> None:
    assert rules.check_opds2_feed(_good_feed()) == []
    assert rules.check_divina_manifest(_good_manifest()) == []


@pytest.mark.parametrize(
    ("breakage", "family"),
    [
        (lambda d: d.pop("links"), "feed.required"),
        (lambda d: d["metadata"].pop("title"), "metadata.title"),
        (lambda d: d.__setitem__("links", [{"rel": "start", "href": "http://x/"}]), "feed.self"),
        (lambda d: d.pop("publications"), "feed.collection"),
        (lambda d: d["links"].append({"rel": "up", "type": "a/b"}), "link.href"),
        (lambda d: d["links"].append({"href": "http://x/a b"}), "link.href"),
        (lambda d: d["links"].append({"href": "http://x/{?q", "templated": True}), "link.href"),
        (lambda d: d["links"].append({"href": "http://x/", "type": "json"}), "link.type"),
        (lambda d: d["links"].append({"href": "http://x/", "width": 0}), "link.width"),
        (lambda d: d["metadata"].__setitem__("numberOfItems", -1), "metadata.numberOfItems"),
        (lambda d: d["metadata"].__setitem__("itemsPerPage", 0), "metadata.itemsPerPage"),
        (lambda d: d["metadata"].__setitem__("modified", "2020-01-02"), "metadata.modified"),
        (lambda d: d.__setitem__("navigation", [{"href": "http://x/n"}]), "feed.navigation"),
        (lambda d: d.__setitem__("groups", [{"metadata": {"title": "g"}}]), "feed.groups"),
        (lambda d: d.__setitem__("groups", [{"publications": []}]), "metadata.object"),
        (lambda d: d.__setitem__("facets", [{"metadata": {}, "links": []}]), "metadata.title"),
        (lambda d: d["publications"][0].pop("images"), "publication.required"),
        (lambda d: d["publications"][0].__setitem__("images", []), "publication.images"),
        (
            lambda d: d["publications"][0].__setitem__(
                "images", [{"href": "http://x/c", "type": "image/webp"}]
            ),
            "publication.images",
        ),
        (lambda d: d["publications"][0]["links"].pop(1), "publication.acquisition"),
        (lambda d: d["publications"][0]["links"].pop(0), "publication.self"),
        (
            lambda d: d["publications"][0]["metadata"].__setitem__("published", "1961"),
            "metadata.published",
        ),
        (
            lambda d: d["publications"][0]["metadata"].__setitem__("published", "1961-02-30"),
            "metadata.published",
        ),
        (
            lambda d: d["publications"][0]["metadata"].__setitem__("identifier", "no uri"),
            "metadata.uri",
        ),
        (
            lambda d: d["publications"][0]["metadata"].__setitem__("numberOfPages", 0),
            "metadata.numberOfPages",
        ),
        (
            lambda d: d["publications"][0]["metadata"].__setitem__("author", [{"role": "x"}]),
            "metadata.contributor",
        ),
        (
            lambda d: d["publications"][0]["metadata"].__setitem__("language", "english!"),
            "metadata.language",
        ),
    ],
)
def test_a_broken_feed_is_rejected(breakage: Any, family: str) -> None:
    document = _good_feed()
    breakage(document)
    assert family in _family(rules.check_opds2_feed(document))


@pytest.mark.parametrize(
    ("breakage", "family"),
    [
        (lambda d: d.pop("readingOrder"), "manifest.required"),
        (lambda d: d["readingOrder"][0].pop("type"), "link.type"),
        (lambda d: d["readingOrder"].append(dict(d["readingOrder"][0])), "links.unique"),
        (lambda d: d.__setitem__("@context", 3), "manifest.context"),
        (lambda d: d["links"].pop(0), "manifest.self"),
        (
            lambda d: d["metadata"].__setitem__("readingProgression", "up"),
            "metadata.readingProgression",
        ),
        (lambda d: d["readingOrder"][0].__setitem__("type", "text/html"), "manifest.divina"),
    ],
)
def test_a_broken_manifest_is_rejected(breakage: Any, family: str) -> None:
    document = _good_manifest()
    breakage(document)
    assert family in _family(rules.check_divina_manifest(document))


def test_broken_authentication_and_progression_documents_are_rejected() -> None:
    good_auth = {"id": "http://x/auth", "title": "t", "authentication": [{"type": "http://a/b"}]}
    assert rules.check_authentication(good_auth) == []
    assert "auth.required" in _family(rules.check_authentication({"title": "t", "id": "http://x"}))
    assert "auth.id" in _family(rules.check_authentication({**good_auth, "id": "not a uri"}))
    no_type = {**good_auth, "authentication": [{"labels": {}}]}
    assert "auth.flow" in _family(rules.check_authentication(no_type))
    bad_labels = {**good_auth, "authentication": [{"type": "http://a/b", "labels": {"login": 1}}]}
    assert "auth.labels" in _family(rules.check_authentication(bad_labels))
    good = {
        "modified": "2020-01-02T03:04:05Z",
        "device": {"id": "urn:x:1", "name": "d"},
        "progression": 0.5,
    }
    assert rules.check_progression(good) == []
    for broken, family in (
        ({k: v for k, v in good.items() if k != "device"}, "progression.required"),
        ({**good, "modified": "yesterday"}, "progression.modified"),
        ({**good, "device": {"id": "urn:x:1", "name": ""}}, "progression.device"),
        ({**good, "device": {"id": "no uri", "name": "d"}}, "progression.device"),
        ({**good, "progression": 1.5}, "progression.value"),
    ):
        assert family in _family(rules.check_progression(broken)), broken


GOOD_ATOM = f"""<?xml version='1.0' encoding='utf-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:pse="{rules.PSE}"
      xmlns:opensearch="{rules.OPENSEARCH}" xmlns:dcterms="{rules.DCTERMS}">
<id>urn:x:feed</id><title>t</title><updated>2020-01-02T03:04:05Z</updated>
<author><name>a</name></author>
<link rel="self" href="http://x/f" type="{rules.ATOM_ACQUISITION}" />
<link rel="start" href="http://x/" type="{rules.ATOM_NAVIGATION}" />
<opensearch:totalResults>1</opensearch:totalResults>
<opensearch:itemsPerPage>50</opensearch:itemsPerPage>
<opensearch:startIndex>1</opensearch:startIndex>
<entry><title>e</title><id>urn:x:1</id><content type="text">c</content>
<updated>2020-01-02T03:04:05Z</updated>
<dcterms:issued>1961-01-01</dcterms:issued>
<link rel="http://opds-spec.org/image" href="http://x/c" type="image/jpeg" />
<link rel="{ACQUISITION_REL}" href="http://x/f.cbz" type="application/zip" length="10" />
<link rel="http://vaemendis.net/opds-pse/stream" href="http://x/p/{{pageNumber}}"
      type="image/jpeg" pse:count="3" pse:lastRead="2" pse:lastReadDate="2020-01-02T03:04:05Z" />
</entry></feed>"""


def test_the_good_atom_feed_passes() -> None:
    assert rules.check_atom_feed(GOOD_ATOM.encode()) == []


@pytest.mark.parametrize(
    ("old", "new", "family"),
    [
        ("<id>urn:x:feed</id>", "", "atom.feed.id"),
        ("<title>t</title><updated>", "<updated>", "atom.feed.title"),
        ("<updated>2020-01-02T03:04:05Z</updated>\n<author>", "<author>", "atom.feed.updated"),
        ("<author><name>a</name></author>", "", "atom.feed.author"),
        ("<author><name>a</name></author>", "<author></author>", "atom.feed.author"),
        (
            '<link rel="self" href="http://x/f"',
            '<link rel="alternate" href="http://x/f"',
            "atom.feed.self",
        ),
        (f'type="{rules.ATOM_NAVIGATION}"', 'type="text/html"', "atom.feed.start"),
        ("<id>urn:x:1</id>", "", "atom.entry.id"),
        ("<title>e</title>", "", "atom.entry.title"),
        ('<content type="text">c</content>', "", "atom.entry.content"),
        ("<updated>2020-01-02T03:04:05Z</updated>\n<dcterms", "<dcterms", "atom.entry.updated"),
        (
            "<updated>2020-01-02T03:04:05Z</updated>\n<dcterms",
            "<updated>2020</updated>\n<dcterms",
            "atom.entry.updated",
        ),
        ("<dcterms:issued>1961-01-01", "<dcterms:issued>1961", "atom.entry.issued"),
        (
            'href="http://x/c" type="image/jpeg"',
            'href="http://x/c" type="image/webp"',
            "opds.image",
        ),
        ('type="application/zip" length="10"', 'length="10"', "opds.acquisition.type"),
        ('length="10"', 'length="ten"', "atom.link.length"),
        ('href="http://x/f.cbz"', "", "atom.link.href"),
        (f'type="{rules.ATOM_ACQUISITION}"', f'type="{rules.ATOM_NAVIGATION}"', "opds.navigation"),
        ("<opensearch:totalResults>1", "<opensearch:totalResults>-1", "opensearch.totalResults"),
        ("<opensearch:itemsPerPage>50", "<opensearch:itemsPerPage>0", "opensearch.itemsPerPage"),
        ("p/{pageNumber}", "p/1", "pse.href"),
        ('pse:count="3"', 'pse:count="0"', "pse.count"),
        ('pse:lastRead="2"', 'pse:lastRead="4"', "pse.lastRead"),
        ('pse:lastRead="2" ', "", "pse.lastReadDate"),
        ('type="image/jpeg" pse:count', 'type="image/webp" pse:count', "pse.type"),
        ("</entry></feed>", "</entry>", "xml.wellformed"),
        (
            "<opensearch:totalResults>1</opensearch:totalResults>",
            "<totalResults>1</totalResults>",
            "opensearch.namespace",
        ),
        (
            f'xmlns:pse="{rules.PSE}"',
            f'xmlns:p="{rules.PSE}" xmlns:pse="urn:not-pse"',
            "pse.namespace",
        ),
    ],
)
def test_a_broken_atom_feed_is_rejected(old: str, new: str, family: str) -> None:
    assert old in GOOD_ATOM, old
    document = GOOD_ATOM.replace(old, new, 1)
    assert family in _family(rules.check_atom_feed(document.encode()))


def test_a_broken_opensearch_description_is_rejected() -> None:
    good = (
        f'<OpenSearchDescription xmlns="{rules.OPENSEARCH}"><ShortName>b</ShortName>'
        "<Description>d</Description>"
        f'<Url type="{rules.ATOM_ACQUISITION}" template="http://x/s?q={{searchTerms}}" />'
        "</OpenSearchDescription>"
    )
    assert rules.check_opensearch(good.encode()) == []
    for old, new, family in (
        ("<ShortName>b</ShortName>", "", "opensearch.ShortName"),
        ("<ShortName>b<", "<ShortName>" + "b" * 17 + "<", "opensearch.ShortName"),
        ("<Description>d</Description>", "", "opensearch.Description"),
        ("{searchTerms}", "", "opensearch.url"),
        (rules.ATOM_ACQUISITION, "text/html", "opensearch.url"),
    ):
        assert family in _family(rules.check_opensearch(good.replace(old, new).encode())), old
