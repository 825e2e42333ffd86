"""The administration pages: owners only."""

from __future__ import annotations

from tests.unit.web.support import WebWorld


def test_an_owner_sees_the_unreadable_files(web: WebWorld) -> None:
    client = web.signed_in("owner")
    # The header leads to the administration pages, whose own menu lists this one.
    assert 'href="/admin/libraries"' in client.get("/").text
    assert 'href="/admin/problems"' in client.get("/admin/libraries").text
    page = client.get("/admin/problems")
    assert page.status_code == 200
    assert "Secret Press/Hidden Depths/Hidden Depths 02.cbz" in page.text
    assert "1 file the last scans could not read." in page.text
    # Paths below their library, never the server's folders.
    assert str(web.lib_b.root) not in page.text


def test_a_reader_may_not_open_them(web: WebWorld) -> None:
    client = web.signed_in("kid")
    assert "/admin/" not in client.get("/").text
    page = client.get("/admin/problems")
    assert page.status_code == 403
    assert "Hidden Depths 02" not in page.text
