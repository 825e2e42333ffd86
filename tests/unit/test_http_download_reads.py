"""How a download reads its file: on the event loop when the file was looked at lately and is
in the page cache, in worker threads otherwise; the bytes on the wire are the file's either way.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio.to_thread
import pytest

from bagboard.adapters.http.files.download import WHOLE_BYTES
from tests.browse_support import BACKENDS
from tests.issue_support import IssueWorld, issue_world
from tests.page_cache import drop_from_memory, nowait_works

SMALL = "Acme/Plain/Plain 01.cbz"
BIG = "Acme/Big/Big 01.cbz"
# What a download hands to worker threads: the stat and small read, a stream's open, a chunk.
READS = {"download.<locals>.<lambda>", "ComicDownload.open", "LocalOpenFile.read_at"}


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IssueWorld]:
    with issue_world(request.param, tmp_path_factory) as built:
        if not nowait_works(built.root_a):
            pytest.skip("preadv2(RWF_NOWAIT) is not available here: every read is threaded")
        yield built


@pytest.fixture
def threaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The download reads handed to worker threads during the test, by name."""
    calls: list[str] = []
    original: Callable[..., Awaitable[Any]] = anyio.to_thread.run_sync

    async def spy(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        name = getattr(func, "__qualname__", "")
        if name in READS:
            calls.append(name)
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", spy)
    return calls


def download(world: IssueWorld, relative: str, **headers: str) -> Any:
    return world.get(world.url(relative, "/download"), headers=headers)


def test_a_small_file_in_memory_is_sent_whole_without_a_worker_thread(
    world: IssueWorld, threaded: list[str]
) -> None:
    data = (world.root_a / SMALL).read_bytes()
    assert len(data) <= WHOLE_BYTES
    download(world, SMALL)  # looked at: from now on it is warm
    threaded.clear()
    response = download(world, SMALL)
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-length"] == str(len(data))
    assert response.headers["content-type"] == "application/vnd.comicbook+zip"
    assert threaded == []


def test_ranges_and_head_of_a_small_file_in_memory(world: IssueWorld, threaded: list[str]) -> None:
    data = (world.root_a / SMALL).read_bytes()
    download(world, SMALL)
    threaded.clear()
    one = download(world, SMALL, Range="bytes=10-99")
    assert one.status_code == 206
    assert one.content == data[10:100]
    assert one.headers["content-range"] == f"bytes 10-99/{len(data)}"
    tail = download(world, SMALL, Range="bytes=-7")
    assert tail.content == data[-7:]
    several = download(world, SMALL, Range="bytes=0-3,100-103")
    assert several.headers["content-type"].startswith("multipart/byteranges; boundary=")
    assert data[0:4] in several.content and data[100:104] in several.content
    assert several.headers["content-length"] == str(len(several.content))
    url = world.url(SMALL, "/download")
    head = world.client.head(url, headers={"Authorization": f"Bearer {world.owner}"})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(data))
    assert head.headers["etag"] == one.headers["etag"]
    assert threaded == []


def test_a_large_file_in_memory_streams_its_chunks_without_worker_threads(
    world: IssueWorld, threaded: list[str]
) -> None:
    data = (world.root_a / BIG).read_bytes()
    assert len(data) > WHOLE_BYTES
    download(world, BIG)
    threaded.clear()
    response = download(world, BIG)
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-length"] == str(len(data))
    assert threaded == ["ComicDownload.open"]  # opened in a thread, read on the loop
    part = download(world, BIG, Range="bytes=1000000-2500000")
    assert part.content == data[1_000_000:2_500_001]


def test_files_not_in_memory_are_read_in_worker_threads(
    world: IssueWorld, threaded: list[str]
) -> None:
    for relative in (SMALL, BIG):
        download(world, relative)  # warm paths: only their bytes are missing
        drop_from_memory(world.root_a / relative)
    threaded.clear()
    assert download(world, SMALL).content == (world.root_a / SMALL).read_bytes()
    assert threaded == ["download.<locals>.<lambda>"]
    drop_from_memory(world.root_a / SMALL)
    threaded.clear()
    assert download(world, BIG).content == (world.root_a / BIG).read_bytes()
    assert threaded[0] == "ComicDownload.open"
    assert "LocalOpenFile.read_at" in threaded


def test_a_file_changed_or_removed_after_indexing(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with issue_world("sqlite", tmp_path_factory) as world:
        path = world.root_a / SMALL
        url = world.url(SMALL, "/download")
        before = world.get(url)
        assert before.content == path.read_bytes()
        new_data = os.urandom(50_000)
        path.write_bytes(new_data)
        after = world.get(url)
        assert after.status_code == 200
        assert after.content == new_data
        assert after.headers["content-length"] == "50000"
        assert after.headers["etag"] != before.headers["etag"]
        stale = world.get(url, headers={"Range": "bytes=0-9", "If-Range": before.headers["etag"]})
        assert (stale.status_code, stale.content) == (200, new_data)
        path.unlink()
        gone = world.get(url)
        assert gone.status_code == 404
        assert gone.json()["error"] == "not_found"
        assert str(world.root_a) not in gone.text
