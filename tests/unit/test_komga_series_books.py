"""``GET /komga/api/v1/series/{id}/books``: its filters and sorts, over a real scanned
collection (the browse world plus the tagged library), on every SQL backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bagboard.domain.model import Library, User
from bagboard.domain.progress import ProgressChange
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import kget, kjson
from tests.unit.komga_tagged import add_tagged_library


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def lib_c(world: World, tmp_path_factory: pytest.TempPathFactory) -> Library:
    return add_tagged_library(world, tmp_path_factory)


def _night(world: World) -> str:
    page = kjson(world, "/api/v1/series", search="Night Tales", unpaged="true")
    return str(next(s["id"] for s in page["content"] if s["name"] == "Night Tales"))


def _titles(world: World, token: str | None = None, params: Any = None) -> list[str]:
    world.client.cookies.clear()
    response = world.client.get(
        f"/komga/api/v1/series/{_night(world)}/books",
        params=params or {},
        headers={"X-API-Key": token or world.owner},
    )
    assert response.status_code == 200, response.text
    return [book["metadata"]["title"] for book in response.json()["content"]]


def _user(world: World, token: str) -> User:
    return world.app.authenticator.authenticate(f"Bearer {token}", None)


def _comic(world: World, root: str, name: str) -> Any:
    path = Path(root) / "Grim/Night Tales" / name
    comic = world.app.container.library_index().comic_at(str(path))
    assert comic is not None, name
    return comic


def test_the_mihon_extension_chapter_query(world: World, lib_c: Library) -> None:
    params = {"media_status": "READY", "deleted": "false", "unpaged": "true"}
    assert _titles(world, params=params) == ["Dusk", "Midnight", "Dawn"]
    assert _titles(world, params={"media_status": "ERROR"}) == []
    assert _titles(world, params={"deleted": "true"}) == []


def test_tag_and_author_filters(world: World, lib_c: Library) -> None:
    assert _titles(world, params={"tag": "vampires"}) == ["Dusk", "Midnight"]
    assert _titles(world, params={"tag": "cats,nothing"}) == ["Midnight"]
    writer = {"author": "Ann Writer,writer"}
    assert _titles(world, params=writer) == ["Dusk", "Midnight"]
    assert _titles(world, params={"author": "Ann Writer,penciller"}) == []
    either = [("author", "Bob Writer,writer"), ("author", "Pat Pencil,penciller")]
    assert _titles(world, params=either) == ["Dusk", "Dawn"]
    both = [("author", "Ann Writer,writer"), ("tag", "cats")]
    assert _titles(world, params=both) == ["Midnight"]


def test_read_status_is_per_user(world: World, lib_c: Library) -> None:
    reader = world.new_reader()
    user = _user(world, reader)
    world.app.progress.set_read_in(user, _comic(world, lib_c.root, "Night Tales 01.cbz"), True)
    world.app.progress.save_in(
        user, _comic(world, lib_c.root, "Night Tales 03.cbz"), ProgressChange(page_number=1)
    )
    assert _titles(world, reader, {"read_status": "READ"}) == ["Dusk"]
    assert _titles(world, reader, {"read_status": "UNREAD"}) == ["Midnight"]
    unread_or_reading = [("read_status", "UNREAD"), ("read_status", "IN_PROGRESS")]
    assert _titles(world, reader, unread_or_reading) == ["Midnight", "Dawn"]
    assert _titles(world, params={"read_status": "READ"}) == []


def test_sorts_and_paging(world: World, lib_c: Library) -> None:
    assert _titles(world, params={"sort": "metadata.numberSort,desc"}) == [
        "Dawn", "Midnight", "Dusk",
    ]  # fmt: skip
    assert _titles(world, params={"sort": "metadata.title,asc"}) == ["Dawn", "Dusk", "Midnight"]
    assert _titles(world, params={"sort": "metadata.releaseDate,desc"}) == [
        "Midnight", "Dawn", "Dusk",
    ]  # fmt: skip
    page = kjson(world, f"/api/v1/series/{_night(world)}/books", tag="vampires", size=1, page=1)
    assert page["totalElements"] == 2 and page["number"] == 1
    assert [b["metadata"]["title"] for b in page["content"]] == ["Midnight"]


def test_a_hidden_series_is_404(world: World, lib_c: Library) -> None:
    path = f"/api/v1/series/{_night(world)}/books"
    assert kget(world, path, world.kid, media_status="READY").status_code == 404
