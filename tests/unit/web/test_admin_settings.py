"""The settings page: owners change the browse mode, which the API then follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bagboard.domain.model import BrowseMode
from tests.unit.web.admin_support import bearer, token_of
from tests.unit.web.support import WebWorld, web_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    with web_world(tmp_path) as made:
        yield made


def _publisher_paths(world: WebWorld) -> list[str | None]:
    answer = world.client().get("/api/v1/library/publishers", headers=bearer(world))
    assert answer.status_code == 200, answer.text
    return [item["path"] for item in answer.json()["items"]]


def test_an_owner_changes_the_browse_mode(world: WebWorld) -> None:
    client = world.signed_in("owner")
    page = client.get("/admin/settings")
    assert page.status_code == 200
    assert 'value="metadata" checked' in page.text
    assert set(_publisher_paths(world)) == {None}  # ComicInfo publishers have no folder
    saved = client.post(
        "/admin/settings",
        data={"csrf_token": token_of(client, "/admin/settings"), "browse_mode": "filesystem"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert world.library.settings.current().browse_mode is BrowseMode.FILESYSTEM
    after = client.get(saved.headers["location"]).text
    assert 'value="filesystem" checked' in after
    assert "Saved." in after
    assert all(isinstance(path, str) for path in _publisher_paths(world))


def test_a_bad_mode_is_a_clear_400(world: WebWorld) -> None:
    client = world.signed_in("owner")
    answer = client.post(
        "/admin/settings",
        data={"csrf_token": token_of(client, "/admin/settings"), "browse_mode": ""},
    )
    assert answer.status_code == 400
    assert "metadata" in answer.text
    assert world.library.settings.current().browse_mode is BrowseMode.METADATA


def test_a_reader_may_neither_see_nor_change_the_settings(world: WebWorld) -> None:
    client = world.signed_in("kid")
    assert client.get("/admin/settings").status_code == 403
    answer = client.post(
        "/admin/settings", data={"csrf_token": token_of(client), "browse_mode": "filesystem"}
    )
    assert answer.status_code == 403
    assert world.library.settings.current().browse_mode is BrowseMode.METADATA


def test_a_change_without_the_csrf_token_is_refused(world: WebWorld) -> None:
    client = world.signed_in("owner")
    for data in ({"browse_mode": "filesystem"}, {"csrf_token": "x", "browse_mode": "filesystem"}):
        assert client.post("/admin/settings", data=data).status_code == 403
    assert world.library.settings.current().browse_mode is BrowseMode.METADATA
