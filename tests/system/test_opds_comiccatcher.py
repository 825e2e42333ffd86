"""OPDS 2.0 end to end, driven by the real ComicCatcher client against ``bagboard serve``.

Every step is the call the reader app makes (notes §3.3): feeds through ``OPDS2Client``, the
layout through ``FeedReconciler``, pages through ``APIClient.get``, positions through
``ProgressionSync`` and files through ``DownloadManager``. What the client cannot see (409
bodies, 401 headers, the authentication document) is checked on the raw responses.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from PIL import Image

from tests.system.opds_support import (
    AUTH_BASIC,
    AUTH_DOCUMENT_REL,
    FLAT_PROGRESSION,
    LONG_RUN,
    LONG_RUN_PAGES,
    PRIVATE,
    RAR,
    SAGA,
    SAGA_PAGES,
    WEBBY_PAGES,
    OpdsWorld,
    Reader,
    basic,
    link_with,
    long_run,
    manifest_link,
    navigation_to,
    progression_link,
    publication,
    reader,
    rels,
    series_feed,
    sha256,
    shared_world,
)

ROOT = "/opds/v2.0/catalog"
SAGA_TITLE = "Saga #1: Chapter One"
RAR_TITLE = "Fixture Series #7: Rar Test"


@pytest.fixture(scope="module")
def world(request: pytest.FixtureRequest) -> OpdsWorld:
    return shared_world(request)


async def manifest_of(r: Reader, pub: Any, feed_url: str) -> tuple[Any, str]:
    url = urljoin(feed_url, manifest_link(pub).href)
    return await r.opds.get_publication(url), url


async def long_run_issue(r: Reader, number: int) -> tuple[Any, Any]:
    """Long Run #``number`` as the feed lists it, and its DiViNa manifest."""
    pub, url = await publication(r, "Paging Press", "Long Run", f"Long Run #{number}")
    manifest, _ = await manifest_of(r, pub, url)
    return pub, manifest


def future(seconds: int) -> int:
    return int(time.time()) + seconds


# --- catalog -----------------------------------------------------------------------------------


def test_the_root_feed_links_navigates_and_lays_out_as_a_browse_section(world: OpdsWorld) -> None:
    from comiccatcher.api.feed_reconciler import FeedReconciler
    from comiccatcher.models.feed_page import ItemType

    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            root_url = world.url(ROOT)
            feed = await r.opds.get_feed(root_url)
            assert link_with(feed.links, "self").href.startswith(world.base)
            assert link_with(feed.links, "start").href == root_url
            search = link_with(feed.links, "search")
            assert search.templated is True
            assert search.href.startswith(world.base) and search.href.endswith("{?query}")
            document = link_with(feed.links, AUTH_DOCUMENT_REL)
            assert document.href == world.url("/opds/v2.0/auth")
            assert feed.navigation, "the root has no navigation"
            assert all(link.title for link in feed.navigation)
            assert all(link.href.startswith(world.base) for link in feed.navigation)
            for title in ("Publishers", "Recently added", "Keep reading", "To read"):
                navigation_to(feed, title)

            page = FeedReconciler.reconcile(feed, root_url)
            browse = [section for section in page.sections if section.title == "Browse"]
            assert browse, [section.title for section in page.sections]
            assert browse[0].items
            assert all(item.type == ItemType.FOLDER for item in browse[0].items)

    asyncio.run(scenario())
    # One representation per address whatever the reader accepts; cached per login.
    for address in (ROOT, "/opds/v2.0", "/opds/v2.0/"):
        for accept in ("application/atom+xml", "text/html", "application/xml;q=0.1"):
            answer = world.get(address, headers={"Accept": accept})
            assert answer.status_code == 200, (address, accept)
            assert answer.headers["content-type"].startswith("application/opds+json")
            assert answer.json()["links"]
            assert answer.headers["etag"].startswith("W/")
            assert "Authorization" in answer.headers["vary"]


def test_publishers_lead_to_series_and_their_publications(world: OpdsWorld) -> None:
    from comiccatcher.api.feed_reconciler import FeedReconciler

    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            saga, saga_url = await publication(r, "Image", "Saga", SAGA_TITLE)
            assert saga.metadata.identifier == f"urn:bagboard:issue:{world.id(SAGA)}"
            assert saga.metadata.numberOfPages == len(SAGA_PAGES)
            assert [a.name for a in saga.metadata.author or ()] == ["Brian K. Vaughan"]
            assert any(image.type == "image/jpeg" for image in saga.images or ())
            assert all(image.href.startswith(world.base) for image in saga.images or ())
            url, mime, size = FeedReconciler._find_acquisition_link(saga, saga_url)
            assert url == world.url(f"/opds/issue/{world.id(SAGA)}/file/Saga%20001.cbz")
            assert mime == "application/vnd.comicbook+zip"
            assert size == world.path(SAGA).stat().st_size

            rar, rar_url = await publication(r, "Fixture Comics", "Fixture Series", RAR_TITLE)
            url, mime, size = FeedReconciler._find_acquisition_link(rar, rar_url)
            assert url is not None and url.startswith(world.base)
            assert url.endswith("/Fixture%20Series%20007.cbr")
            assert mime == "application/vnd.comicbook-rar"
            assert size == world.path(RAR).stat().st_size

    asyncio.run(scenario())


def test_the_divina_manifest_lists_every_page_with_its_size(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            saga, url = await publication(r, "Image", "Saga", SAGA_TITLE)
            manifest, manifest_url = await manifest_of(r, saga, url)
            assert manifest_url == world.url(f"/opds/v2.0/issue/{world.id(SAGA)}/manifest")
            assert manifest.is_divina
            sizes = [Image.open(io.BytesIO(data)).size for data in SAGA_PAGES.values()]
            order = manifest.readingOrder
            assert len(order) == len(SAGA_PAGES)
            for number, (item, (width, height)) in enumerate(zip(order, sizes, strict=True), 1):
                assert item.href == world.url(f"/api/v1/issue/{world.id(SAGA)}/page/{number}")
                assert item.type == "image/jpeg"
                assert (item.width, item.height) == (width, height)

            webby, url = await publication(r, "Image", "Webby", "Webby #1")
            manifest, _ = await manifest_of(r, webby, url)
            assert manifest.is_divina
            assert len(manifest.readingOrder) == len(WEBBY_PAGES)
            for item in manifest.readingOrder:
                assert item.type == "image/webp"
                assert (item.width, item.height) == (400, 600)
                alternates = getattr(item, "alternate", None) or []
                jpegs = [a for a in alternates if a.get("type") == "image/jpeg"]
                assert jpegs, f"no JPEG alternate for {item.href}"
                assert jpegs[0]["href"].startswith(world.base)
                answer = await r.api.get(jpegs[0]["href"])
                assert answer.status_code == 200
                assert answer.headers["content-type"].startswith("image/jpeg")
                assert Image.open(io.BytesIO(answer.content)).format == "JPEG"

    asyncio.run(scenario())


def test_every_page_comes_back_as_the_archive_holds_it(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            saga, url = await publication(r, "Image", "Saga", SAGA_TITLE)
            manifest, _ = await manifest_of(r, saga, url)
            for item, data in zip(manifest.readingOrder, SAGA_PAGES.values(), strict=True):
                answer = await r.api.get(item.href)
                assert answer.status_code == 200, item.href
                assert answer.headers["content-type"].split(";")[0] == item.type
                assert sha256(answer.content) == sha256(data)
                assert answer.headers.get("etag")

    asyncio.run(scenario())


# --- progression ---------------------------------------------------------------------------------


def test_a_fresh_issue_has_no_progression(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            _, manifest = await long_run_issue(r, 10)
            link = progression_link(manifest)
            assert link.href == world.url(f"/opds/v2.0/issue/{world.id(long_run(10))}/progression")
            assert await r.progression_sync().get_progression(link.href) is None
            assert r.wire.exchanges[-1][3] == 204

    asyncio.run(scenario())


def test_a_flat_progression_put_is_the_position_everywhere(world: OpdsWorld) -> None:
    k, n = 3, LONG_RUN_PAGES

    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            _, manifest = await long_run_issue(r, 11)
            link = progression_link(manifest)
            assert rels(link) == [FLAT_PROGRESSION]
            assert link.type == "application/opds-progression+json"
            sync = r.progression_sync()
            await sync.update_progression(
                link.href,
                k / (n - 1),
                title=f"Page {k + 1}",
                href=manifest.readingOrder[k].href,
                position=k + 1,
                content_type="image/jpeg",
                rel=link.rel,
            )
            assert [status for _, status in r.wire.puts(link.href)] == [200]
            stored = await sync.get_progression(link.href)
            assert stored is not None
            assert sync.extract_locations(stored) == (pytest.approx(k / (n - 1)), k + 1)
            assert stored["device"]["id"] == f"urn:uuid:{r.device_id}"
            assert stored["device"]["name"].startswith("ComicCatcher")
            modified = datetime.fromisoformat(stored["modified"].replace("Z", "+00:00"))
            assert abs((datetime.now(UTC) - modified).total_seconds()) < 120

    asyncio.run(scenario())
    progress = world.api_issue(long_run(11))["progress"]
    assert progress is not None
    assert (progress["page_number"], progress["total_pages"]) == (k + 1, n)


def test_a_locator_put_without_a_rel_is_accepted_as_sent(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            _, manifest = await long_run_issue(r, 12)
            url = progression_link(manifest).href
            sync = r.progression_sync()
            await sync.update_progression(url, 4 / 5, position=5)
            puts = r.wire.puts(url)
            assert len(puts) == 1, puts
            body, status = puts[0]
            assert "locator" in json.loads(body)
            assert status == 200
            stored = await sync.get_progression(url)
            assert stored is not None and sync.extract_locations(stored)[1] == 5

    asyncio.run(scenario())
    assert world.api_issue(long_run(12))["progress"]["page_number"] == 5


def test_a_stale_put_leaves_the_newer_position(world: OpdsWorld) -> None:
    # Ahead of every clock here, yet within the five minutes a device clock is trusted.
    newer = future(240)
    path = str(world.path(long_run(13)))
    written = world.request(
        "PUT",
        "/api/v1/progress",
        json={"path": path, "page_number": 2, "total_pages": LONG_RUN_PAGES, "updated_at": newer},
    )
    assert written.status_code == 200, written.text

    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            _, manifest = await long_run_issue(r, 13)
            link = progression_link(manifest)
            sync = r.progression_sync()
            await sync.update_progression(link.href, 0.6, position=4, rel=link.rel)
            puts = r.wire.puts(link.href)
            assert [status for _, status in puts] == [409]
            stored = await sync.get_progression(link.href)
            assert stored is not None and sync.extract_locations(stored)[1] == 2

            again = world.request(
                "PUT",
                link.href,
                content=puts[0][0],
                headers={"Content-Type": "application/json"},
            )
            assert again.status_code == 409
            current = again.json()
            assert current["position"] == 2
            assert current["progression"] == pytest.approx(1 / (LONG_RUN_PAGES - 1))
            assert datetime.fromisoformat(current["modified"].replace("Z", "+00:00")) == (
                datetime.fromtimestamp(newer, UTC)
            )

    asyncio.run(scenario())
    progress = world.api_issue(long_run(13))["progress"]
    assert (progress["page_number"], progress["client_updated_at"]) == (2, newer)


# --- download, search, paging -----------------------------------------------------------------


def test_downloads_keep_the_file_name_and_bytes(world: OpdsWorld, tmp_path: Path) -> None:
    from comiccatcher.api.download_manager import DownloadManager
    from comiccatcher.api.feed_reconciler import FeedReconciler

    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            manager = DownloadManager(r.api, download_dir=tmp_path)
            wanted = (
                ("Image", "Saga", SAGA_TITLE, SAGA, "Saga 001.cbz"),
                ("Fixture Comics", "Fixture Series", RAR_TITLE, RAR, "Fixture Series 007.cbr"),
            )
            try:
                for publisher, series, title, relative, name in wanted:
                    pub, url = await publication(r, publisher, series, title)
                    acquisition, _, _ = FeedReconciler._find_acquisition_link(pub, url)
                    await manager.start_download(pub.identifier, title, acquisition)
                    await manager._queue.join()
                    task = manager.get_task(pub.identifier)
                    assert task.status == "Completed", task.error
                    assert Path(task.file_path).name == name
                    assert sha256(Path(task.file_path).read_bytes()) == sha256(
                        world.path(relative).read_bytes()
                    )
            finally:
                if manager._worker_task is not None:
                    manager._worker_task.cancel()

    asyncio.run(scenario())
    # The name is the file's own, whatever the last segment of the URL says.
    answer = world.get(f"/opds/issue/{world.id(RAR)}/file/whatever.cbr")
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert (
        'filename="Fixture Series 007.cbr"' in disposition
        or "filename*=UTF-8''Fixture%20Series%20007.cbr" in disposition
    )


def test_search_finds_saga_and_an_empty_search_is_still_a_feed(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            root = await r.opds.get_feed(world.url(ROOT))
            template = link_with(root.links, "search").href
            found = await r.opds.get_feed(template.replace("{?query}", "?query=saga"))
            titles = [p.metadata.title for p in found.publications or ()]
            assert titles == [SAGA_TITLE]

            nothing = await r.opds.get_feed(template.replace("{?query}", "?query=zzqxv"))
            assert not nothing.publications
            assert link_with(nothing.links, "self").href.startswith(world.base)
            assert nothing.metadata.numberOfItems == 0

    asyncio.run(scenario())


def test_a_long_series_pages_in_natural_order(world: OpdsWorld) -> None:
    async def scenario() -> None:
        async with reader(world, ROOT) as r:
            first, _ = await series_feed(r, "Paging Press", "Long Run")
            meta = first.metadata
            assert (meta.numberOfItems, meta.itemsPerPage, meta.currentPage) == (LONG_RUN, 50, 1)
            assert len(first.publications) == 50
            following = link_with(first.links, "next").href
            assert following.startswith(world.base)
            second = await r.opds.get_feed(following)
            assert second.metadata.currentPage == 2
            assert len(second.publications) == LONG_RUN - 50
            assert "next" not in [rel for link in second.links for rel in rels(link)]
            both = [*first.publications, *second.publications]
            ids = [p.metadata.identifier for p in both]
            assert len(set(ids)) == LONG_RUN
            titles = [p.metadata.title for p in both]
            assert titles == [f"Long Run #{n}" for n in range(1, LONG_RUN + 1)]
            assert ids == [f"urn:bagboard:issue:{world.id(long_run(n))}" for n in range(1, 61)]

    asyncio.run(scenario())


# --- logins and scope ----------------------------------------------------------------------------


def test_bearer_api_key_and_basic_all_open_the_catalog(world: OpdsWorld) -> None:
    async def scenario() -> None:
        for auth_type in ("bearer", "apikey", "basic"):
            async with reader(world, ROOT, auth_type=auth_type) as r:
                feed = await r.opds.get_feed(world.url(ROOT))
                assert feed.navigation, auth_type

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "credentials",
    [{}, {"bearer_token": "not-a-token"}, {"api_key": "not-a-token"}, {"password": "nope"}],
    ids=["none", "wrong-bearer", "wrong-api-key", "wrong-basic"],
)
def test_no_or_a_wrong_login_is_a_401_with_the_authentication_document(
    world: OpdsWorld, credentials: dict[str, str]
) -> None:
    from comiccatcher.api.opds_v2 import OPDSClientError

    auth_type = {"bearer_token": "bearer", "api_key": "apikey", "password": "basic"}
    kind = next((auth_type[key] for key in credentials), "none")
    extra = {"username": "anything"} if kind == "basic" else {}

    async def scenario() -> Any:
        async with reader(world, ROOT, auth_type=kind, token="", **credentials, **extra) as r:
            with pytest.raises(OPDSClientError) as failure:
                await r.opds.get_feed(world.url(ROOT))
            assert failure.value.status_code == 401
            return r.wire.exchanges[-1]

    method, _, _, status = asyncio.run(scenario())
    assert (method, status) == ("GET", 401)

    headers = {
        "none": {},
        "bearer": {"Authorization": "Bearer not-a-token"},
        "apikey": {"X-API-Key": "not-a-token"},
        "basic": basic("nope"),
    }[kind]
    for path in (ROOT, "/opds/v1.2/catalog", f"/opds/v2.0/issue/{world.id(SAGA)}/manifest"):
        answer = world.get(path, token="", headers=headers)
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"].startswith("Basic")
        assert 'realm="bagboard"' in answer.headers["www-authenticate"]
        link = answer.headers["link"]
        assert f"<{world.url('/opds/v2.0/auth')}>" in link and AUTH_DOCUMENT_REL in link
        assert answer.headers["content-type"].startswith("application/opds-authentication+json")
        document = answer.json()
        assert document["id"] == world.url("/opds/v2.0/auth")
        assert document["title"]
        assert document["authentication"][0]["type"] == AUTH_BASIC


def test_the_authentication_document_is_public(world: OpdsWorld) -> None:
    answer = world.get("/opds/v2.0/auth", token="")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/opds-authentication+json")
    assert answer.json()["id"] == world.url("/opds/v2.0/auth")


def test_a_reader_limited_to_library_1_never_meets_the_private_comic(world: OpdsWorld) -> None:
    from comiccatcher.api.opds_v2 import OPDSClientError

    hidden = world.id(PRIVATE)
    manifest = f"/opds/v2.0/issue/{hidden}/manifest"
    progression = f"/opds/v2.0/issue/{hidden}/progression"
    # The owner reaches it: the 404s below are about scope, not about the routes.
    assert world.get(manifest).status_code == 200

    async def scenario() -> None:
        async with reader(world, ROOT, token=world.reader_token) as r:
            with pytest.raises(OPDSClientError) as failure:
                await r.opds.get_publication(world.url(manifest))
            assert failure.value.status_code == 404
            sync = r.progression_sync()
            assert await sync.get_progression(world.url(progression)) is None
            assert r.wire.exchanges[-1][3] == 404
            await sync.update_progression(
                world.url(progression), 0.0, position=1, rel=FLAT_PROGRESSION
            )
            assert [status for _, status in r.wire.puts(world.url(progression))] == [404]

            root = await r.opds.get_feed(world.url(ROOT))
            publishers = await r.opds.get_feed(
                urljoin(ROOT, navigation_to(root, "Publishers").href)
            )
            names = [link.title for link in publishers.navigation or ()]
            assert any(name.startswith("Image") for name in names)
            assert not any("Hidden House" in name for name in names)
            template = link_with(root.links, "search").href
            found = await r.opds.get_feed(template.replace("{?query}", "?query=private"))
            assert not found.publications
            recent = await r.opds.get_feed(
                urljoin(ROOT, navigation_to(root, "Recently added").href)
            )
            listed = [p.metadata.identifier for p in recent.publications or ()]
            for group in root.groups or ():
                listed += [p.metadata.identifier for p in group.publications or ()]
            assert listed and f"urn:bagboard:issue:{hidden}" not in listed

    asyncio.run(scenario())
    for path, owner_sees in (
        (f"/api/v1/issue/{hidden}/page/1", 200),
        (f"/opds/issue/{hidden}/file/Private%20001.cbz", 200),
        (f"/opds/v1.2/issue/{hidden}/pse/0", 200),
        (progression, 204),
    ):
        assert world.get(path, token=world.reader_token).status_code == 404, path
        assert world.get(path).status_code == owner_sees, path
