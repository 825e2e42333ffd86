"""Tracked page streaming over HTTP: a ``track=1`` fetch is answered without writing, the highest
page fetched is written once, and every protocol that reads progress sees it at once.

The world's tracker waits an hour before writing on its own, so what is written here is
written because a flush was asked for: a read of the user's progress, or the app stopping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree

import pytest
from litestar.testing import TestClient

from bagboard.services.page_tracking import PageTracker
from tests.archive_factory import jpeg, write_cbz
from tests.browse_support import BACKENDS, auth
from tests.scanned_world import ScannedWorld, scanned_world
from tests.unit.opds_v1_support import GREEN, NS, RED, V1, info

PAGES: Final = 10
LONG: Final = "Acme/Long/Long 01.cbz"
HIDDEN: Final = "Acme/Hidden/Hidden 01.cbz"
HOUR: Final = 3600.0


def write_library(base: Path) -> tuple[Path, Path]:
    root_a, root_b = (base / "comics-a").resolve(), (base / "comics-b").resolve()
    pages = {f"p{n:02d}.jpg": jpeg(RED if n % 2 else GREEN) for n in range(1, PAGES + 1)}
    for path, members in (
        (root_a / LONG, {**pages, "ComicInfo.xml": info("Long", "1", "Acme")}),
        (root_b / HIDDEN, {"p.jpg": jpeg(RED), "ComicInfo.xml": info("Hidden", "1", "Acme")}),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, members)
    return root_a, root_b


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ScannedWorld]:
    with scanned_world(
        ScannedWorld, request.param, tmp_path_factory, write_library, page_tracking_delay=HOUR
    ) as built:
        yield built


def tracker(world: ScannedWorld) -> PageTracker:
    found: PageTracker = world.app.container.page_tracker()
    return found


def fetch_pages(client: TestClient[Any], world: ScannedWorld, token: str, *numbers: int) -> None:
    for number in numbers:
        response = client.get(
            f"{V1}/issue/{world.id_of(LONG)}/pse/{number}",
            params={"track": "1", "width": "300"},
            headers=auth(token),
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"


def api_page(world: ScannedWorld, token: str) -> int | None:
    response = world.get("/api/v1/progress", token, path=world.path(LONG))
    assert response.status_code == 200
    found = response.json()
    return None if found is None else int(found["page_number"])


def test_tracked_pages_are_noted_and_the_highest_is_written_at_a_flush(
    world: ScannedWorld,
) -> None:
    reader = world.new_reader()
    fetch_pages(world.client, world, reader, 3, 5, 4)
    # Three fetches, one position noted, none written: nothing was due yet.
    assert tracker(world).pending() == 1
    assert tracker(world).flush_due() == 0
    # The flush the server makes when it stops writes it: page 6 (fetched page 5, from 0).
    assert tracker(world).stop() == 1
    assert tracker(world).pending() == 0
    assert api_page(world, reader) == 6
    # Leafing back does not move it back.
    fetch_pages(world.client, world, reader, 0, 2)
    assert tracker(world).stop() == 1
    assert api_page(world, reader) == 6


def read_api(world: ScannedWorld, token: str) -> int | None:
    return api_page(world, token)


def read_issue(world: ScannedWorld, token: str) -> int | None:
    response = world.get(f"/api/v1/issue/{world.id_of(LONG)}", token)
    found = response.json()["progress"]
    return None if found is None else int(found["page_number"])


def read_since(world: ScannedWorld, token: str) -> int | None:
    items = world.get("/api/v1/progress/since", token, ts=0).json()["items"]
    pages = [int(item["page_number"]) for item in items if item.get("page_number") is not None]
    return pages[-1] if pages else None


def read_progression(world: ScannedWorld, token: str) -> int | None:
    response = world.get(f"/opds/v2.0/issue/{world.id_of(LONG)}/progression", token)
    return None if response.status_code == 204 else int(response.json()["position"])


def read_komga(world: ScannedWorld, token: str) -> int | None:
    response = world.client.get(
        f"/komga/api/v1/books/{world.id_of(LONG)}", headers={"X-API-Key": token}
    )
    assert response.status_code == 200
    found = response.json()["readProgress"]
    return None if found is None else int(found["page"])


def read_opds_feed(world: ScannedWorld, token: str) -> int | None:
    response = world.get(f"{V1}/keep-reading", token)
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    for link in feed.iterfind("a:entry/a:link", NS):
        last = link.get(f"{{{NS['pse']}}}lastRead")
        if last is not None:
            return int(last)
    return None


@pytest.mark.parametrize(
    "read",
    [read_api, read_issue, read_since, read_progression, read_komga, read_opds_feed],
    ids=lambda read: read.__name__.removeprefix("read_"),
)
def test_every_protocol_sees_a_tracked_page_right_after_the_fetch(
    world: ScannedWorld, read: Callable[[ScannedWorld, str], int | None]
) -> None:
    reader = world.new_reader()
    fetch_pages(world.client, world, reader, 3, 5, 4)
    assert tracker(world).pending() == 1
    assert read(world, reader) == 6
    assert tracker(world).pending() == 0


def test_a_position_saved_after_a_tracked_fetch_is_not_overtaken_by_it(
    world: ScannedWorld,
) -> None:
    reader = world.new_reader()
    fetch_pages(world.client, world, reader, 7)
    # The reader sets the position back by its own clock, after the fetch: it stands.
    body = {"path": world.path(LONG), "page_number": 2, "updated_at": 4_000_000_000}
    assert world.put("/api/v1/progress", body, reader).status_code == 200
    assert tracker(world).stop() == 0
    assert api_page(world, reader) == 2


def test_the_app_writes_noted_pages_when_it_stops(world: ScannedWorld) -> None:
    reader = world.new_reader()
    with TestClient(world.app.create_app()) as client:
        fetch_pages(client, world, reader, 3, 5, 4)
        assert tracker(world).pending() == 1
    # The lifespan's shutdown wrote it, before anything asked.
    assert tracker(world).pending() == 0
    assert api_page(world, reader) == 6
