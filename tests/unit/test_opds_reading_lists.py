"""OPDS 1.2 and 2.0 feeds of reading lists: the start links them, the lists feed shows each
list with its summary, count and cover, a list's feed holds its comics in list order (each
once, unresolved books left out) as every other acquisition feed holds them, and a user
sees only their own and shared lists, and of those only comics they may see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest

from bagboard.domain.model import Role
from bagboard.domain.readlists import ListBook, ParsedList
from tests.browse_support import BACKENDS
from tests.opds2_support import link, rels
from tests.unit.opds_lists_support import (
    ATOM_NS,
    CW1,
    CW2,
    SECRET,
    V1,
    V2,
    ListsWorld,
    atom_ids,
    lists_world,
    opds2_ids,
)

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"
PSE_STREAM = "http://vaemendis.net/opds-pse/stream"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListsWorld]:
    with lists_world(request.param, tmp_path_factory) as built:
        yield built


def urns(*comic_ids: int) -> list[str]:
    return [f"urn:bagboard:issue:{comic_id}" for comic_id in comic_ids]


def atom_links(element: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {found.get("rel", ""): found for found in element.findall("a:link", ATOM_NS)}


def atom_entries(feed: ElementTree.Element, field: str, value: str) -> list[ElementTree.Element]:
    return [e for e in feed.findall("a:entry", ATOM_NS) if e.findtext(field, "", ATOM_NS) == value]


def atom_entry(feed: ElementTree.Element, title: str) -> ElementTree.Element:
    [found] = atom_entries(feed, "a:title", title)
    return found


def atom_titles(feed: ElementTree.Element) -> list[str]:
    return [e.findtext("a:title", "", ATOM_NS) for e in feed.findall("a:entry", ATOM_NS)]


def nav_titles(feed: dict[str, Any]) -> list[str]:
    return [item["title"] for item in feed.get("navigation", [])]


def nav_item(feed: dict[str, Any], title: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        item for item in feed.get("navigation", []) if item["title"] == title
    ]
    assert len(found) == 1, nav_titles(feed)
    return found[0]


def test_both_starts_lead_to_reading_lists_story_arcs_on_deck_and_keep_reading(
    world: ListsWorld,
) -> None:
    start = world.atom(f"{V1}/catalog")
    for title, href, kind in (
        ("Reading lists", f"{V1}/readlists", NAVIGATION),
        ("Story arcs", f"{V1}/arcs", NAVIGATION),
        ("On deck", f"{V1}/on-deck", ACQUISITION),
        ("Keep reading", f"{V1}/keep-reading", ACQUISITION),
    ):
        target = atom_links(atom_entry(start, title))["subsection"]
        assert (target.get("href"), target.get("type")) == (href, kind)
        served = world.get(href)
        assert served.status_code == 200 and served.headers["content-type"] == kind
    root = world.feed(f"{V2}/catalog")
    for title, route in (
        ("Reading lists", "readlists"),
        ("Story arcs", "arcs"),
        ("On deck", "on-deck"),
        ("Keep reading", "keep-reading"),
    ):
        assert nav_item(root, title)["href"] == f"{V2}/{route}"
        assert {"self", "start", "up", "search"} <= rels(world.feed(f"{V2}/{route}"))


def test_the_lists_feed_shows_each_list_with_its_summary_count_and_cover(
    world: ListsWorld,
) -> None:
    cover = f"http://testserver/api/v1/issue/{world.marvel(CW2)}/cover?size=300"
    feed = world.atom(f"{V1}/readlists")
    assert feed.findtext("a:title", "", ATOM_NS) == "Reading lists"
    assert atom_titles(feed) == ["Event", "Mine"]
    event = atom_entry(feed, "Event")
    assert event.findtext("a:id", "", ATOM_NS) == f"urn:bagboard:readlist:{world.event}"
    # Four comics: three of Marvel and Secret Wars; the missing book is no comic, the
    # repeated Civil War #2 one.
    assert event.findtext("a:content", "", ATOM_NS) == "The superhero registration act (4 comics)"
    event_links = atom_links(event)
    assert event_links["subsection"].get("href") == f"{V1}/readlists/{world.event}"
    assert event_links["subsection"].get("type") == ACQUISITION
    assert event_links[THUMBNAIL].get("href") == cover
    assert atom_entry(feed, "Mine").findtext("a:content", "", ATOM_NS) == "4 comics"
    assert feed.findtext("os:totalResults", "", ATOM_NS) == "2"
    v2 = world.feed(f"{V2}/readlists")
    item = nav_item(v2, "Event")
    assert item["href"] == f"{V2}/readlists/{world.event}"
    assert item["properties"] == {"numberOfItems": 4}
    assert v2["metadata"]["numberOfItems"] == 2
    # The thumbnail is served.
    assert world.get(cover).headers["content-type"] == "image/jpeg"


def test_a_list_feed_holds_its_comics_in_list_order_each_once(world: ListsWorld) -> None:
    expected = urns(world.marvel(CW2), world.marvel(CW1), world.asm, world.secret(SECRET))
    for list_id, title in ((world.mine, "Mine"), (world.event, "Event")):
        atom = world.atom(f"{V1}/readlists/{list_id}")
        assert atom.findtext("a:title", "", ATOM_NS) == title
        assert atom_ids(atom) == expected
        assert atom.findtext("os:totalResults", "", ATOM_NS) == "4"
        up = atom_links(atom)["up"]
        assert (up.get("href"), up.get("type")) == (f"{V1}/readlists", NAVIGATION)
        v2 = world.feed(f"{V2}/readlists/{list_id}")
        assert opds2_ids(v2) == expected
        assert v2["metadata"]["numberOfItems"] == 4
        assert link(v2, "up")["href"] == f"{V2}/readlists"
    # Past the last page: nothing, and the same count.
    second = world.feed(f"{V2}/readlists/{world.mine}?page=2")
    assert opds2_ids(second) == [] and second["metadata"]["numberOfItems"] == 4


def test_list_entries_are_the_entries_every_other_feed_shows(world: ListsWorld) -> None:
    """The same publication, stream link and position as in the series' own feed."""
    reader = world.new_reader()
    progression = f"{V2}/issue/{world.marvel(CW1)}/progression"
    position = {"modified": "2026-12-01T10:00:00Z", "progression": 0.0, "position": 1}
    assert world.put(progression, position, reader).status_code == 200
    series = "issues?series=Civil%20War&publisher="
    in_series = {
        pub["metadata"]["identifier"]: pub
        for pub in world.feed(f"{V2}/{series}", reader)["publications"]
    }
    listed = world.feed(f"{V2}/readlists/{world.event}", reader)["publications"]
    for publication in listed[:2]:
        assert publication == in_series[publication["metadata"]["identifier"]]
        assert publication["links"][0]["type"] == "application/divina+json"
    atom_series = world.atom(f"{V1}/{series}", reader)
    atom_list = world.atom(f"{V1}/readlists/{world.event}", reader)
    for comic_id in (world.marvel(CW1), world.marvel(CW2)):
        urn = f"urn:bagboard:issue:{comic_id}"
        [mine] = atom_entries(atom_list, "a:id", urn)
        [theirs] = atom_entries(atom_series, "a:id", urn)
        assert ElementTree.tostring(mine) == ElementTree.tostring(theirs)
    [first] = atom_entries(atom_list, "a:id", f"urn:bagboard:issue:{world.marvel(CW1)}")
    stream = atom_links(first)[PSE_STREAM]
    assert stream.get(f"{{{ATOM_NS['pse']}}}count") == "1"
    assert stream.get(f"{{{ATOM_NS['pse']}}}lastRead") == "1"


def test_a_limited_user_sees_shared_lists_without_hidden_comics_and_no_one_elses(
    world: ListsWorld,
) -> None:
    hidden = f"urn:bagboard:issue:{world.secret(SECRET)}"
    feed = world.atom(f"{V1}/readlists", world.kid)
    assert atom_titles(feed) == ["Event"]
    assert atom_entry(feed, "Event").findtext("a:content", "", ATOM_NS).endswith("(3 comics)")
    assert nav_titles(world.feed(f"{V2}/readlists", world.kid)) == ["Event"]
    expected = urns(world.marvel(CW2), world.marvel(CW1), world.asm)
    atom = world.get(f"{V1}/readlists/{world.event}", world.kid)
    assert atom_ids(ElementTree.fromstring(atom.content)) == expected
    assert hidden not in atom.text and f"/issue/{world.secret(SECRET)}/" not in atom.text
    v2 = world.get(f"{V2}/readlists/{world.event}", world.kid)
    assert opds2_ids(v2.json()) == expected
    assert v2.json()["metadata"]["numberOfItems"] == 3
    assert f"/issue/{world.secret(SECRET)}/" not in v2.text
    for prefix in (V1, V2):
        assert world.get(f"{prefix}/readlists/{world.mine}", world.kid).status_code == 404


def test_unknown_list_ids_are_a_404_in_the_catalogs_error_shape(world: ListsWorld) -> None:
    unknown_issue = world.get(f"{V2}/issue/999999999/manifest")
    assert unknown_issue.status_code == 404
    for prefix in (V1, V2):
        for raw in ("999999999", "abc", "arc-1", "-1", "1.5", "9" * 40):
            answer = world.get(f"{prefix}/readlists/{raw}")
            assert answer.status_code == 404, (prefix, raw)
            assert answer.headers["content-type"] == unknown_issue.headers["content-type"]
            assert set(answer.json()) == set(unknown_issue.json())


def test_list_feeds_revalidate_with_their_etag(world: ListsWorld) -> None:
    for url in (f"{V1}/readlists", f"{V2}/readlists/{world.event}", f"{V1}/on-deck"):
        first = world.get(url)
        assert first.headers["etag"].startswith("W/")
        assert "Authorization" in first.headers["vary"]
        again = world.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, url


def test_list_names_and_summaries_with_markup_come_back_as_written(world: ListsWorld) -> None:
    name, summary = 'War & <Peace> "one"', "Read <b>this</b> & ]]> that"
    books = (ListBook("Civil War", "1", "2006", 2006),)
    user = world.app.accounts.add_user("marker", Role.READER, None)
    reader = world.app.accounts.create_token("marker").secret
    report = world.app.reading_lists.import_list(
        user, ParsedList(name, summary, books), shared=False
    )
    feed = world.atom(f"{V1}/readlists", reader)
    assert atom_titles(feed) == ["Event", name]  # the shared list, then theirs
    assert atom_entry(feed, name).findtext("a:content", "", ATOM_NS) == f"{summary} (1 comic)"
    assert nav_titles(world.feed(f"{V2}/readlists", reader)) == ["Event", name]
    own = f"{V1}/readlists/{report.reading_list.id}"
    assert world.atom(own, reader).findtext("a:title", "", ATOM_NS) == name
    assert (
        world.feed(f"{V2}/readlists/{report.reading_list.id}", reader)["metadata"]["title"] == name
    )
