"""OPDS 1.2 with page streaming, driven by the real ComicCatcher client, and one position
shared by every protocol.

ComicCatcher logs in with Basic (any user name, the token as password), parses the Atom
feeds into the same model as OPDS 2 (``conformsTo == ["opds1_2"]``), resolves the OpenSearch
description into a search template and turns each PSE stream link into one page URL per
page. It ignores ``pse:lastRead``: that is read from the raw XML here.
"""

from __future__ import annotations

import asyncio
import io
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from PIL import Image, ImageStat

from bagboard.services.page_tracking import DELAY
from tests.system.opds_support import (
    ATOM_NS,
    FLAT_PROGRESSION,
    LONG_RUN_PAGES,
    PRIVATE,
    PSE_NS,
    RAR,
    SAGA,
    SAGA_COLORS,
    SAGA_PAGES,
    OpdsWorld,
    Reader,
    basic,
    long_run,
    manifest_link,
    navigation_to,
    progression_link,
    pse_link,
    publication,
    publication_titled,
    reader,
    rels,
    series_feed,
    sha256,
    shared_world,
)

ROOT = "/opds/v1.2/catalog"
V2_ROOT = "/opds/v2.0/catalog"
ATOM = "application/atom+xml"
SAGA_TITLE = "Saga #1: Chapter One"
RAR_TITLE = "Fixture Series #7: Rar Test"
CBZ_TYPE = "application/vnd.comicbook+zip"
CBR_TYPE = "application/vnd.comicbook-rar"
PSE_WIDTH = 1600  # what ComicCatcher puts in {maxWidth}


@pytest.fixture(scope="module")
def world(request: pytest.FixtureRequest) -> OpdsWorld:
    return shared_world(request)


def basic_header(world: OpdsWorld) -> dict[str, str]:
    return basic(world.owner_token)


def basic_reader(world: OpdsWorld) -> Any:
    return reader(world, ROOT, auth_type="basic")


def decoded(answer: httpx.Response) -> Image.Image:
    assert answer.status_code == 200, answer.request.url
    assert answer.headers["content-type"].split(";")[0] == "image/jpeg"
    image = Image.open(io.BytesIO(answer.content))
    assert image.format == "JPEG"
    return image


def looks_like(image: Image.Image, color: tuple[int, int, int]) -> bool:
    mean = ImageStat.Stat(image.convert("RGB")).mean
    return all(abs(got - want) <= 12 for got, want in zip(mean, color, strict=True))


def stream_attributes(feed_xml: str, comic_id: int) -> dict[str, str]:
    """The PSE stream link of the entry ``urn:bagboard:issue:<comic_id>``, as attributes."""
    root = ET.fromstring(feed_xml)
    for entry in root.iter(f"{{{ATOM_NS}}}entry"):
        if entry.findtext(f"{{{ATOM_NS}}}id") == f"urn:bagboard:issue:{comic_id}":
            for link in entry.iter(f"{{{ATOM_NS}}}link"):
                if link.get("rel") == "http://vaemendis.net/opds-pse/stream":
                    return dict(link.attrib)
            raise AssertionError(f"entry {comic_id} has no stream link")
    raise AssertionError(f"no entry for {comic_id}")


def pse(name: str) -> str:
    return f"{{{PSE_NS}}}{name}"


async def long_run_v1(r: Reader, number: int) -> tuple[Any, str]:
    """Long Run #``number`` in the 1.2 series feed, and that feed's address."""
    return await publication(r, "Paging Press", "Long Run", f"Long Run #{number}")


# --- catalog -----------------------------------------------------------------------------------


def test_the_root_is_atom_at_every_address_with_a_search_template(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with basic_reader(world) as r:
            feed = await r.opds.get_feed(world.url(ROOT))
            assert feed.metadata.conformsTo == ["opds1_2"]
            assert feed.navigation
            entries = [(link.title, link.href) for link in feed.navigation]
            assert all(href.startswith(world.base) for _, href in entries)
            assert ATOM in navigation_to(feed, "Publishers").type
            assert "kind=acquisition" in navigation_to(feed, "Recently added").type
            templates = [
                link.href for link in feed.links if "search" in rels(link) and link.templated
            ]
            assert templates, "the OpenSearch description gave no template"
            assert templates[0].startswith(world.base) and "{searchTerms}" in templates[0]
            for alias in ("/opds/v1.2", "/opds/v1.2/"):
                same = await r.opds.get_feed(world.url(alias))
                assert same.metadata.conformsTo == ["opds1_2"]
                assert [(link.title, link.href) for link in same.navigation] == entries

    asyncio.run(scenario())
    for accept in ("application/opds+json", "application/json", "text/html", "*/*"):
        answer = world.get(ROOT, token="", headers={**basic_header(world), "Accept": accept})
        assert answer.status_code == 200, accept
        assert answer.headers["content-type"].startswith(ATOM), accept
        assert ET.fromstring(answer.text).tag == f"{{{ATOM_NS}}}feed"
    way_in = world.get("/opds", token="", follow_redirects=False)
    assert way_in.status_code in (301, 302, 303, 307, 308)
    assert way_in.headers["location"] == world.url(ROOT)


def test_pse_pages_come_as_jpeg_no_wider_than_asked_and_end_at_the_count(
    world: OpdsWorld,
) -> None:
    async def scenario() -> None:
        async with basic_reader(world) as r:
            feed, url = await series_feed(r, "Image", "Saga")
            saga = publication_titled(feed, SAGA_TITLE)
            raw = world.get(url, token="", headers=basic_header(world)).text
            count = stream_attributes(raw, world.id(SAGA))[pse("count")]
            assert saga.metadata.numberOfPages == int(count) == len(SAGA_PAGES)

            template = pse_link(saga).href
            assert template.startswith(world.base)
            assert "{pageNumber}" in template and "{maxWidth}" in template
            order = [item.href for item in saga.readingOrder]
            prefix = world.url(f"/opds/v1.2/issue/{world.id(SAGA)}/pse/")
            assert [href.split("?")[0] for href in order] == [f"{prefix}{n}" for n in range(3)]
            assert all(f"width={PSE_WIDTH}" in href for href in order)

            first = decoded(await r.api.get(order[0]))
            # Page 1 is 2000x3000: it comes down to the width asked for, keeping its shape.
            assert first.width == PSE_WIDTH
            assert abs(first.height - PSE_WIDTH * 3 / 2) <= 1
            assert looks_like(first, SAGA_COLORS[0])
            last = decoded(await r.api.get(order[-1]))
            assert last.size == (600, 900)  # never upscaled
            assert looks_like(last, SAGA_COLORS[-1])
            beyond = template.replace("{pageNumber}", str(len(order)))
            beyond = beyond.replace("{maxWidth}", str(PSE_WIDTH))
            assert (await r.api.get(beyond)).status_code == 404

            webby, _ = await publication(r, "Image", "Webby", "Webby #1")
            assert len(webby.readingOrder) == 2
            webp_page = decoded(await r.api.get(webby.readingOrder[0].href))
            assert looks_like(webp_page, (230, 200, 40))

    asyncio.run(scenario())


def test_acquisition_links_give_the_type_the_length_and_the_file(
    world: OpdsWorld, tmp_path: Path
) -> None:
    from comiccatcher.api.download_manager import DownloadManager
    from comiccatcher.api.feed_reconciler import FeedReconciler

    async def scenario() -> None:
        async with basic_reader(world) as r:
            manager = DownloadManager(r.api, download_dir=tmp_path)
            wanted = (
                ("Image", "Saga", SAGA_TITLE, SAGA, CBZ_TYPE, ".cbz"),
                ("Fixture Comics", "Fixture Series", RAR_TITLE, RAR, CBR_TYPE, ".cbr"),
            )
            try:
                for publisher, series, title, relative, mime, suffix in wanted:
                    pub, url = await publication(r, publisher, series, title)
                    href, kind, size = FeedReconciler._find_acquisition_link(pub, url)
                    assert href is not None and href.startswith(world.base)
                    assert (kind, size) == (mime, world.path(relative).stat().st_size)
                    await manager.start_download(pub.identifier, title, href)
                    await manager._queue.join()
                    task = manager.get_task(pub.identifier)
                    assert task.status == "Completed", task.error
                    assert Path(task.file_path).name == world.path(relative).name
                    assert Path(task.file_path).suffix == suffix
                    data = Path(task.file_path).read_bytes()
                    assert sha256(data) == sha256(world.path(relative).read_bytes())
            finally:
                if manager._worker_task is not None:
                    manager._worker_task.cancel()

    asyncio.run(scenario())


def test_search_through_the_opensearch_template_finds_saga(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with basic_reader(world) as r:
            root = await r.opds.get_feed(world.url(ROOT))
            template = next(
                link.href for link in root.links if "search" in rels(link) and link.templated
            )
            found = await r.opds.get_feed(template.replace("{searchTerms}", "saga"))
            assert [p.metadata.title for p in found.publications or ()] == [SAGA_TITLE]
            nothing = await r.opds.get_feed(template.replace("{searchTerms}", "zzqxv"))
            assert not nothing.publications

    asyncio.run(scenario())
    description = world.get("/opds/v1.2/opensearch.xml")
    assert description.status_code == 200
    urls = [
        element
        for element in ET.fromstring(description.text).iter()
        if element.tag.rsplit("}", 1)[-1] == "Url"
    ]
    assert any(ATOM in (url.get("type") or "") for url in urls)
    assert all((url.get("template") or "").startswith(world.base) for url in urls)


# --- one position, every protocol --------------------------------------------------------------


def test_a_tracked_pse_page_is_the_position_everywhere_and_only_moves_forward(
    world: OpdsWorld,
) -> None:
    relative = long_run(14)
    path = str(world.path(relative))

    def api_position() -> int | None:
        answer = world.get("/api/v1/progress", params={"path": path})
        assert answer.status_code == 200
        body = answer.json()
        return None if body is None else int(body["page_number"])

    def seen(page: int) -> int | None:
        # A tracked page is written within half a second (``page_tracking.DELAY``); the
        # worker process that answers may not be the one that served the page.
        deadline = time.monotonic() + 10 * DELAY
        found = api_position()
        while found != page and time.monotonic() < deadline:
            time.sleep(0.05)
            found = api_position()
        return found

    assert api_position() is None

    async def scenario() -> None:
        async with basic_reader(world) as r:
            pub, _ = await long_run_v1(r, 14)
            order = [item.href for item in pub.readingOrder]
            assert len(order) == LONG_RUN_PAGES
            assert "track=1" in pse_link(pub).href
            decoded(await r.api.get(order[4]))
            assert seen(5) == 5
            # Readers fetch around the page they show: going back moves nothing, even once
            # the tracked page has had the time to be written.
            decoded(await r.api.get(order[2]))
            time.sleep(2 * DELAY)
            assert api_position() == 5
            untracked = order[5].replace("&track=1", "").replace("track=1", "")
            decoded(await r.api.get(untracked))
            time.sleep(2 * DELAY)
            assert api_position() == 5
            assert all(status == 200 for *_, status in r.wire.exchanges[-3:])

        async with reader(world, V2_ROOT) as v2:
            pub, url = await publication(v2, "Paging Press", "Long Run", "Long Run #14")
            manifest = await v2.opds.get_publication(urljoin(url, manifest_link(pub).href))
            stored = await v2.progression_sync().get_progression(progression_link(manifest).href)
            assert stored is not None
            assert v2.progression_sync().extract_locations(stored)[1] == 5

    asyncio.run(scenario())
    assert world.api_issue(relative)["progress"]["page_number"] == 5


def test_a_position_from_opds_2_is_the_pse_last_read_page(world: OpdsWorld) -> None:
    async def scenario() -> str:
        async with reader(world, V2_ROOT) as v2:
            pub, url = await publication(v2, "Paging Press", "Long Run", "Long Run #15")
            manifest = await v2.opds.get_publication(urljoin(url, manifest_link(pub).href))
            link = progression_link(manifest)
            await v2.progression_sync().update_progression(
                link.href, 2 / 5, position=3, rel=FLAT_PROGRESSION
            )
            assert [status for _, status in v2.wire.puts(link.href)] == [200]

        async with basic_reader(world) as r:
            _, feed_url = await long_run_v1(r, 15)
            return feed_url

    feed_url = asyncio.run(scenario())
    answer = world.get(feed_url, token="", headers=basic_header(world))
    assert answer.status_code == 200
    # The literal prefix, declared on the feed itself: older readers look for "pse:".
    head = answer.text[: answer.text.index("<entry")]
    assert f'xmlns:pse="{PSE_NS}"' in head
    # The stream template's "&" escaped in the attribute, as strict readers need it.
    assert "&amp;track=1" in answer.text
    stream = stream_attributes(answer.text, world.id(long_run(15)))
    assert stream[pse("count")] == str(LONG_RUN_PAGES)
    assert stream[pse("lastRead")] == "3"
    stamp = stream[pse("lastReadDate")]
    assert stamp.endswith("Z")
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - moment).total_seconds()) < 120
    unread = stream_attributes(answer.text, world.id(long_run(16)))
    assert pse("lastRead") not in unread and pse("lastReadDate") not in unread


def test_a_reader_limited_to_library_1_finds_no_private_comic_in_atom_either(
    world: OpdsWorld,
) -> None:
    async def scenario() -> None:
        async with reader(world, ROOT, auth_type="basic", token=world.reader_token) as r:
            root = await r.opds.get_feed(world.url(ROOT))
            publishers = await r.opds.get_feed(navigation_to(root, "Publishers").href)
            names = [link.title or "" for link in publishers.navigation or ()]
            assert any(name.startswith("Image") for name in names)
            assert not any("Hidden House" in name for name in names)
            template = next(
                link.href for link in root.links if "search" in rels(link) and link.templated
            )
            found = await r.opds.get_feed(template.replace("{searchTerms}", "private"))
            assert not found.publications
            # The owner's search does find it: the empty answer above is about scope.
        async with basic_reader(world) as owner:
            found = await owner.opds.get_feed(template.replace("{searchTerms}", "private"))
            identifiers = [p.metadata.identifier for p in found.publications or ()]
            assert identifiers == [f"urn:bagboard:issue:{world.id(PRIVATE)}"]

    asyncio.run(scenario())
