"""A reader limited to library A sees nothing of library B: no page, image, link or name."""

from __future__ import annotations

import pytest

from tests.unit.web.support import HIDDEN_NAMES, WebWorld, csrf

HIDDEN = "Secret Press/Hidden Depths/Hidden Depths 01.cbz"


@pytest.fixture(scope="module")
def hidden_id(web: WebWorld) -> int:
    return web.comic_id(f"{web.lib_b.root}/{HIDDEN}")


def test_the_owner_sees_library_b(web: WebWorld, hidden_id: int) -> None:
    client = web.signed_in("owner")
    assert client.get(f"/issue/{hidden_id}").status_code == 200
    assert HIDDEN_NAMES[1] in client.get("/browse/series?publisher=Secret+Press").text


@pytest.mark.parametrize(
    "url",
    [
        "/issue/{id}",
        "/read/{id}",
        "/issue/{id}/download",
        "/web/issue/{id}/cover",
        "/web/issue/{id}/page/1",
    ],
)
def test_every_way_to_b_s_comic_is_404(web: WebWorld, hidden_id: int, url: str) -> None:
    answer = web.signed_in("kid").get(url.format(id=hidden_id))
    assert answer.status_code == 404
    assert HIDDEN_NAMES[1] not in answer.text


def test_writes_to_b_s_comic_are_404(web: WebWorld, hidden_id: int) -> None:
    client = web.signed_in("kid")
    token = csrf(client.get("/").text)
    saved = client.put(
        f"/web/api/issue/{hidden_id}/progress", json={"page": 2}, headers={"X-CSRF-Token": token}
    )
    assert saved.status_code == 404
    for action in ("read", "to-read", "favourite"):
        answer = client.post(f"/issue/{hidden_id}/{action}", data={"on": "1", "csrf_token": token})
        assert answer.status_code == 404


def test_b_s_series_lists_nothing(web: WebWorld) -> None:
    client = web.signed_in("kid")
    for url in (
        "/browse/issues?mode=metadata&publisher=Secret+Press&series=Hidden+Depths",
        "/browse/series?mode=metadata&publisher=Secret+Press",
    ):
        answer = client.get(url)
        assert answer.status_code == 200
        main = answer.text.split("<main", 1)[1]
        assert "Hidden Depths #1" not in main and "/issue/" not in main
    folder = client.get(
        "/browse/issues?mode=filesystem&publisher=Secret+Press&series=Hidden+Depths"
    )
    assert folder.status_code in (200, 404) and "Hidden Depths #1" not in folder.text
    path = f"{web.lib_b.root}/Secret Press"
    assert client.get("/folder", params={"path": path}).status_code == 404


def test_no_page_names_library_b(web: WebWorld) -> None:
    client = web.signed_in("kid")
    pages = [
        "/",
        "/browse?mode=metadata",
        "/browse?mode=filesystem",
        "/browse/series?mode=metadata",
        "/search?q=hidden",
        "/search?q=secret",
        "/folder",
    ]
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        for name in (*HIDDEN_NAMES, "comics-b"):
            assert name not in answer.text, (url, name)
