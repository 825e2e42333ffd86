"""The RenditionCache contract, on the memory cache and the disk cache."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bagboard.adapters.filesystem.renditions import DiskRenditionCache
from bagboard.adapters.images.memory_cache import MemoryRenditionCache
from bagboard.domain.images import COVER, FileStamp, RenditionKey
from bagboard.ports.rendition_cache import RenditionCache

LIMIT = 10_000
STAMP = FileStamp(5000, 1_700_000_000_000_000_000)
NEWER = FileStamp(5000, 1_700_000_000_000_000_001)

Make = Callable[[int], RenditionCache]


@pytest.fixture(params=["memory", "disk"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Make:
    if request.param == "memory":
        return MemoryRenditionCache
    return lambda limit: DiskRenditionCache(tmp_path / "renditions", limit, touch_after=0)


@pytest.fixture
def cache(make: Make) -> RenditionCache:
    return make(LIMIT)


def key(
    comic_id: int, *, page: int = COVER, size: int = 400, stamp: FileStamp = STAMP
) -> RenditionKey:
    return RenditionKey(comic_id, stamp, page, size)


def test_a_stored_rendition_comes_back(cache: RenditionCache) -> None:
    assert cache.get(key(1)) is None
    cache.put(key(1), b"cover-1")
    cache.put(key(1, size=200), b"small")
    cache.put(key(1, page=3), b"page-3")
    assert cache.get(key(1)) == b"cover-1"
    assert cache.get(key(1, size=200)) == b"small"
    assert cache.get(key(1, page=3)) == b"page-3"
    assert cache.get(key(2)) is None
    assert cache.total_bytes() == len(b"cover-1small" + b"page-3")


def test_a_newer_version_of_the_file_misses_and_replaces_the_old(cache: RenditionCache) -> None:
    cache.put(key(1), b"old" * 100)
    assert cache.get(key(1, stamp=NEWER)) is None
    cache.put(key(1, stamp=NEWER), b"new")
    assert cache.get(key(1, stamp=NEWER)) == b"new"
    assert cache.get(key(1)) is None
    assert cache.total_bytes() == 3


def test_the_least_recently_used_go_first_and_the_limit_holds(cache: RenditionCache) -> None:
    block = b"x" * 3000
    for comic_id in (1, 2, 3):
        cache.put(key(comic_id), block)
    assert cache.get(key(1)) == block  # 1 is now more recent than 2 and 3
    cache.put(key(4), block)
    assert cache.total_bytes() <= LIMIT
    assert cache.get(key(2)) is None
    assert cache.get(key(1)) == block
    assert cache.get(key(4)) == block


def test_a_rendition_bigger_than_the_limit_is_not_kept(cache: RenditionCache) -> None:
    cache.put(key(1), b"small")
    cache.put(key(2), b"y" * (LIMIT + 1))
    assert cache.get(key(2)) is None
    assert cache.get(key(1)) == b"small"


def test_concurrent_writers_and_readers_never_see_a_partial_rendition(
    cache: RenditionCache,
) -> None:
    payloads = [bytes([n]) * 2000 for n in range(4)]
    seen: list[bytes | None] = []

    def work(n: int) -> None:
        for _ in range(50):
            cache.put(key(1), payloads[n])
            seen.append(cache.get(key(1)))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(item is None or item in payloads for item in seen)
    assert cache.get(key(1)) in payloads
    assert cache.total_bytes() <= LIMIT


def test_the_disk_cache_survives_a_restart_and_keeps_counting(tmp_path: Path) -> None:
    root = tmp_path / "renditions"
    DiskRenditionCache(root, LIMIT).put(key(1), b"a" * 4000)
    again = DiskRenditionCache(root, LIMIT)
    assert again.get(key(1)) == b"a" * 4000
    assert again.total_bytes() == 4000
    again.put(key(2), b"b" * 4000)
    again.put(key(3), b"c" * 4000)
    assert again.total_bytes() <= LIMIT
    assert sum(f.stat().st_size for f in root.rglob("*.jpg")) == again.total_bytes()


def _write_many(root: str, payload: bytes, rounds: int) -> None:
    cache = DiskRenditionCache(Path(root), 10 * 1024 * 1024)
    for _ in range(rounds):
        cache.put(key(1), payload)


def test_two_processes_writing_one_rendition_in_a_shared_folder_leave_one_whole_file(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shared"
    payloads = [bytes([n]) * 300_000 for n in (1, 2)]
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_write_many, args=(str(root), payload, 40)) for payload in payloads
    ]
    for writer in writers:
        writer.start()
    reader = DiskRenditionCache(root, 10 * 1024 * 1024)
    seen = []
    while any(writer.is_alive() for writer in writers):
        seen.append(reader.get(key(1)))
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    # Every read saw nothing or one writer's whole payload; one file is left, no scratch file.
    assert all(item is None or item in payloads for item in seen)
    assert reader.get(key(1)) in payloads
    assert [p.name for p in root.rglob("*") if p.is_file() and p.suffix != ".jpg"] == []
