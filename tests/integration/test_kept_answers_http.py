"""Lists, an issue's page and OPDS feeds answered again from what was kept, on the real app
over a scanned library, on every SQL backend: whatever writes a position (this process,
another process, a page streamed with tracking) or the index, the next answer shows it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bagboard.adapters.storage import make_engine
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.domain.progress import ComicKey, ProgressChange
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import ASM, BACKENDS, World, auth, browse_world

SERIES = {"mode": "metadata", "series": "Amazing Spider-Man", "publisher": "Marvel"}
FIRST = f"{ASM}/Amazing Spider-Man #1.cbz"
# PostgreSQL tells another process's write by a notification, which arrives after the commit.
WITHIN = 5.0


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as found:
        yield found


@pytest.fixture
def other(world: World) -> Iterator[Engine]:
    """An engine of its own on the same database: another process writing."""
    url = world.app.container.engine().url.render_as_string(hide_password=False)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def issue(world: World, token: str, path: str) -> dict[str, Any]:
    listing = world.json("/api/v1/library/issues", token, **SERIES)
    (found,) = [item for item in listing["items"] if item["path"] == path]
    return found


def shown(check: Callable[[], bool], *, at_once: bool) -> bool:
    """``check`` true now (``at_once``), or within ``WITHIN`` seconds."""
    deadline = time.monotonic() + (0 if at_once else WITHIN)
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_an_answer_asked_again_is_the_same_document(world: World) -> None:
    token = world.new_reader()
    for url, params in (
        ("/api/v1/library/issues", SERIES),
        (f"/api/v1/issue/{world.comic_id(f'{world.a}/{FIRST}')}", {}),
        ("/opds/v1.2/issues", {"series": SERIES["series"]}),
        ("/opds/v2.0/issues", {"series": SERIES["series"]}),
    ):
        first, again = world.get(url, token, **params), world.get(url, token, **params)
        assert first.status_code == again.status_code == 200, url
        assert first.content == again.content and first.headers["etag"] == again.headers["etag"]
        headers = auth(token) | {"If-None-Match": first.headers["etag"]}
        assert world.client.get(url, params=params, headers=headers).status_code == 304


def test_a_position_written_by_another_process_shows_in_every_answer(
    world: World, other: Engine
) -> None:
    token = world.new_reader()
    user_id, path = world.user_id(token), f"{world.a}/{FIRST}"
    comic_id = world.comic_id(path)
    detail_url = f"/api/v1/issue/{comic_id}"
    assert issue(world, token, path)["last_page"] is None
    assert world.json(detail_url, token)["progress"] is None
    v1 = world.get("/opds/v1.2/issues", token, series=SERIES["series"]).text
    v2 = world.get("/opds/v2.0/issues", token, series=SERIES["series"]).text

    SqlProgressStore(other).save(user_id, ComicKey(path, comic_id), ProgressChange(2), world.now)

    at_once = world.app.container.engine().dialect.name == "sqlite"
    assert shown(lambda: issue(world, token, path)["last_page"] == 2, at_once=at_once)
    detail = world.json(detail_url, token)
    assert detail["progress"] is not None and detail["progress"]["page_number"] == 2
    assert world.get("/opds/v1.2/issues", token, series=SERIES["series"]).text != v1
    assert world.get("/opds/v2.0/issues", token, series=SERIES["series"]).text != v2


def test_a_position_written_here_shows_at_once(world: World) -> None:
    token = world.new_reader()
    path = f"{world.a}/{FIRST}"
    assert issue(world, token, path)["last_page"] is None
    for page in (3, 1):
        body = {"path": path, "page_number": page, "total_pages": 2}
        assert world.client.put("/api/v1/progress", json=body, headers=auth(token)).is_success
        assert issue(world, token, path)["last_page"] == page


def test_a_page_streamed_with_tracking_shows_in_the_next_list(world: World) -> None:
    """Noted pages are written before any answer for their reader, kept or not."""
    token = world.new_reader()
    path = f"{world.a}/{FIRST}"
    comic_id = world.comic_id(path)
    assert issue(world, token, path)["last_page"] is None
    streamed = world.get(f"/opds/v1.2/issue/{comic_id}/pse/1", token, track="1")
    assert streamed.status_code == 200
    assert issue(world, token, path)["last_page"] is not None


def test_a_scan_that_adds_a_comic_shows_in_the_next_list(world: World) -> None:
    token = world.new_reader()
    before = world.json("/api/v1/library/issues", token, **SERIES)
    added = f"{ASM}/Amazing Spider-Man #11.cbz"
    info = {"Publisher": "Marvel", "Series": "Amazing Spider-Man", "Number": "11"}
    page = jpeg((10, 20, 30))
    root = world.lib_a.root
    write_cbz(Path(root) / added, {"p001.jpg": page, "ComicInfo.xml": comicinfo_xml(info)})
    world.app.scanner().scan(world.lib_a)
    after = world.json("/api/v1/library/issues", token, **SERIES)
    assert after["total"] == before["total"] + 1
    assert f"{root}/{added}" in [item["path"] for item in after["items"]]
