"""The status page: the server's version, counts, last scans, database and cache."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bagboard.version import __version__
from tests.unit.web.support import WebWorld, web_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    with web_world(tmp_path) as made:
        yield made


def _facts(html: str) -> dict[str, str]:
    pairs = re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html)
    return dict(pairs)


def test_an_owner_sees_the_counts(world: WebWorld, tmp_path: Path) -> None:
    world.library.accounts.create_token()
    revoked = world.library.accounts.create_token()
    world.library.accounts.revoke_token(revoked.token.id)
    client = world.signed_in("owner")
    page = client.get("/admin/status")
    assert page.status_code == 200
    facts = _facts(page.text)
    assert facts["Version"] == __version__
    assert facts["Libraries"] == "2"
    assert facts["Comics"] == "5"  # 4 in A, 1 readable in B
    assert facts["Series"] == "3"
    assert facts["Users"] == "2"
    assert facts["API tokens"] == "2"  # the revoked one is not counted
    assert re.fullmatch(r"SQLite, \d+(\.\d)? (bytes|KB|MB)", facts["Database"])
    assert re.fullmatch(r"\d+(\.\d)? (bytes|KB|MB)", facts["Image cache"])
    # Never where the database lives.
    assert str(tmp_path) not in page.text
    assert page.text.count("never") == 0  # both libraries were scanned


def test_the_cache_size_grows_with_the_covers_rendered(world: WebWorld) -> None:
    client = world.signed_in("owner")
    before = _facts(client.get("/admin/status").text)["Image cache"]
    comic = world.comic_id(str(world.lib_a.root) + "/Orbit/Night Owls/Night Owls 01.cbz")
    assert client.get(f"/web/issue/{comic}/cover").status_code == 200
    after = _facts(client.get("/admin/status").text)["Image cache"]
    assert before == "0 bytes"
    assert after != before


def test_a_reader_may_not_see_the_status(world: WebWorld) -> None:
    client = world.signed_in("kid")
    page = client.get("/admin/status")
    assert page.status_code == 403
    assert "SQLite" not in page.text
