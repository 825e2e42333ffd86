"""Reading lists, story arcs and on deck in both catalogs, read by the real ComicCatcher client
from ``bagboard serve``: the start leads to them, a list opens as a feed of publications in
list order that the client reads as it reads any other (DiViNa manifests in OPDS 2.0, page
streams in OPDS 1.2), and a reader limited to library 1 never meets the private comic."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urljoin

import pytest

from tests.system.opds_support import (
    ARC_NAME,
    ARC_TITLES,
    LIST_NAME,
    LIST_TITLES,
    PRIVATE,
    SAGA,
    OpdsWorld,
    Reader,
    manifest_link,
    navigation_to,
    pse_link,
    reader,
    shared_world,
)

V1_ROOT = "/opds/v1.2/catalog"
V2_ROOT = "/opds/v2.0/catalog"


@pytest.fixture(scope="module")
def world(request: pytest.FixtureRequest) -> OpdsWorld:
    return shared_world(request)


async def follow(r: Reader, url: str, *titles: str) -> tuple[Any, str]:
    """The feed reached from ``url`` by tapping ``titles`` in turn, and its address."""
    feed = await r.opds.get_feed(url)
    for title in titles:
        url = urljoin(url, navigation_to(feed, title).href)
        feed = await r.opds.get_feed(url)
    return feed, url


def titles(feed: Any) -> list[str]:
    return [publication.metadata.title for publication in feed.publications or ()]


def test_a_reading_list_opens_in_list_order_with_readable_publications(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, V2_ROOT) as r:
            root = world.url(V2_ROOT)
            lists, _ = await follow(r, root, "Reading lists")
            assert navigation_to(lists, LIST_NAME).href.startswith(world.base)
            feed, url = await follow(r, root, "Reading lists", LIST_NAME)
            assert url.startswith(world.url("/opds/v2.0/readlists/"))
            assert titles(feed) == list(LIST_TITLES)
            assert feed.metadata.numberOfItems == len(LIST_TITLES)
            saga = feed.publications[1]
            manifest = await r.opds.get_publication(urljoin(url, manifest_link(saga).href))
            assert manifest.is_divina
            first = await r.api.get(manifest.readingOrder[0].href)
            assert first.status_code == 200
            for route in ("On deck", "Story arcs"):
                other, _ = await follow(r, root, route)
                assert other.links, route

    asyncio.run(scenario())


def test_a_reading_list_streams_its_pages_in_opds_1_2(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, V1_ROOT, auth_type="basic") as r:
            root = world.url(V1_ROOT)
            feed, url = await follow(r, root, "Reading lists", LIST_NAME)
            assert feed.metadata.conformsTo == ["opds1_2"]
            assert url.startswith(world.url("/opds/v1.2/readlists/"))
            assert titles(feed) == list(LIST_TITLES)
            saga = feed.publications[1]
            assert pse_link(saga).href.startswith(world.url(f"/opds/v1.2/issue/{world.id(SAGA)}"))
            page = await r.api.get(saga.readingOrder[0].href)
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("image/jpeg")
            for route in ("On deck", "Story arcs"):
                other, _ = await follow(r, root, route)
                assert other.metadata.conformsTo == ["opds1_2"], route

    asyncio.run(scenario())


def test_a_reader_limited_to_library_1_sees_the_list_without_the_private_comic(
    world: OpdsWorld,
) -> None:
    found: list[str] = []

    async def scenario() -> None:
        for start, auth in ((V2_ROOT, "bearer"), (V1_ROOT, "basic")):
            async with reader(world, start, auth_type=auth, token=world.reader_token) as r:
                feed, url = await follow(r, world.url(start), "Reading lists", LIST_NAME)
                assert titles(feed) == list(LIST_TITLES[:-1])
                found.append(url)

    asyncio.run(scenario())
    private = world.id(PRIVATE)
    for url in found:
        answer = world.get(url, token=world.reader_token)
        assert answer.status_code == 200
        assert f"/issue/{private}/" not in answer.text
        assert f"/issue/{private}/" in world.get(url).text
        unknown = url.rsplit("/", 1)[0] + "/999999"
        assert world.get(unknown, token=world.reader_token).status_code == 404


def test_a_story_arc_opens_in_arc_order_in_both_catalogs(world: OpdsWorld) -> None:
    async def scenario() -> None:
        for start, auth in ((V2_ROOT, "bearer"), (V1_ROOT, "basic")):
            async with reader(world, start, auth_type=auth) as r:
                feed, url = await follow(r, world.url(start), "Story arcs", ARC_NAME)
                assert url.startswith(world.url(f"{start.rsplit('/', 1)[0]}/arcs/"))
                assert titles(feed) == list(ARC_TITLES)
                first = feed.publications[0]
                if start == V2_ROOT:
                    manifest = await r.opds.get_publication(urljoin(url, manifest_link(first).href))
                    assert manifest.is_divina and len(manifest.readingOrder) == 1
                else:
                    assert len(first.readingOrder) == 1
                    page = await r.api.get(first.readingOrder[0].href)
                    assert page.headers["content-type"].startswith("image/jpeg")

    asyncio.run(scenario())
