"""Covers and resumable downloads from a real ``bagboard serve`` over a real socket."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.archive_factory import jpeg, write_cbz
from tests.system.conftest import bagboard


@pytest.fixture
def comic(comics: Path) -> Path:
    """Written before the server starts (requested first), so its first scan finds it."""
    path = comics / "Pub" / "Series" / "Issue 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {"p1.jpg": jpeg((200, 10, 10), (900, 1350)), "blob.bin": os.urandom(5 << 20)})
    return path


def test_a_cover_and_a_download_resumed_over_the_network(
    comic: Path, server: tuple[str, Path]
) -> None:
    base, data_dir = server
    path = comic
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    issues = base + "/api/v1/library/issues"
    query = {"mode": "filesystem", "publisher": "Pub", "series": "Series"}
    deadline = time.monotonic() + 30
    while not (items := httpx.get(issues, params=query, headers=headers).json()["items"]):
        assert time.monotonic() < deadline, "the comic was never indexed"
        time.sleep(0.3)
    url = f"{base}/api/v1/issue/{items[0]['id']}"

    cover = httpx.get(url + "/cover", headers=headers)
    assert cover.status_code == 200
    assert Image.open(io.BytesIO(cover.content)).size == (267, 400)

    data = path.read_bytes()
    first = httpx.get(url + "/download", headers={**headers, "Range": "bytes=0-999999"})
    assert first.status_code == 206
    with httpx.stream(
        "GET",
        url + "/download",
        headers={**headers, "Range": "bytes=1000000-", "If-Range": first.headers["etag"]},
    ) as rest:
        assert rest.status_code == 206
        tail = b"".join(rest.iter_bytes())
    assert hashlib.sha256(first.content + tail).digest() == hashlib.sha256(data).digest()
