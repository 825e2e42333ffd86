"""Nonsense in a signed-in request gets a clear 4xx: a page for pages, JSON for scripts, never
a trace or a server path."""

from __future__ import annotations

import pytest

from tests.unit.web.support import WebWorld, csrf

PAGES = [
    ("/browse?mode=sideways", 400),
    ("/browse?page=-5", 200),
    ("/browse/series?mode=filesystem", 400),
    ("/browse/issues?mode=metadata&series=%00", 400),
    ("/browse/issues?mode=filesystem&publisher=..&series=x", 400),
    ("/folder?path=/etc", 404),
    ("/folder?path=../../etc", 400),
    ("/search?q=" + "x" * 5000, 200),
    ("/issue/abc", 404),
    ("/issue/-1", 404),
    ("/read/99999999999999999999", 404),
]
SCRIPTS = [
    ("/web/issue/abc/cover", 404),
    ("/web/issue/1/cover?size=huge", 400),
    ("/web/issue/1/page/0", 404),
    ("/web/issue/1/page/x", 404),
]


@pytest.mark.parametrize(("url", "status"), PAGES)
def test_pages(web: WebWorld, url: str, status: int) -> None:
    answer = web.signed_in("owner").get(url)
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    for leak in ("Traceback", str(web.lib_a.root), "/etc"):
        if status != 200:
            assert leak not in answer.text


@pytest.mark.parametrize(("url", "status"), SCRIPTS)
def test_images(web: WebWorld, url: str, status: int) -> None:
    answer = web.signed_in("owner").get(url)
    assert answer.status_code == status, answer.text[:300]
    assert answer.json()["error"]


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"page": "two"}', b'{"page": -1}', b'{"page": 2, "x": 1}'],
)
def test_position_writes(web: WebWorld, body: bytes) -> None:
    client = web.signed_in("owner")
    token = csrf(client.get("/").text)
    answer = client.put(
        "/web/api/issue/1/progress",
        content=body,
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]
