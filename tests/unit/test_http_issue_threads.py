"""Decoding never runs on the event loop: a slow cover does not hold up other requests (§5)."""

from __future__ import annotations

import threading
import time

import anyio
import httpx

from bagboard.adapters.images.pillow import PillowImages
from bagboard.adapters.memory.archive import MemoryArchiveReader
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexChanges
from tests.archive_factory import jpeg
from tests.unit.http_support import issue_app
from tests.unit.issue_wiring import IssueWiring

ROOT = "/srv/comics"
PATH = f"{ROOT}/Pub/Series/Slow 01.cbz"


class SlowImages(PillowImages):
    """Pillow, but every thumbnail takes a while and records the thread it ran on."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []

    def thumbnail(self, data: bytes, long_edge: int) -> bytes:
        self.threads.append(threading.get_ident())
        time.sleep(0.6)
        return super().thumbnail(data, long_edge)


def test_a_slow_cover_leaves_the_event_loop_free() -> None:
    clock = ManualClock()
    index, libraries = MemoryLibraryIndex(), MemoryLibraryStore()
    library = libraries.add("Comics", ROOT)
    folders = [FolderEntry(ROOT, 0, 1), FolderEntry(f"{ROOT}/Pub", 1, 1)]
    folders.append(FolderEntry(f"{ROOT}/Pub/Series", 2, 1))
    entry = ComicEntry(PATH, 10, 1, "fp", ArchiveFormat.ZIP, page_count=1)
    index.apply(
        library.id, IndexChanges(folders=folders, added=[(entry, clock.now())]), clock.now()
    )
    comic = index.comic_at(PATH)
    assert comic is not None
    archives = MemoryArchiveReader({PATH: {"p1.jpg": jpeg((1, 2, 3))}})
    images = SlowImages()
    wiring = IssueWiring(index, libraries, archives, images, clock)
    app, headers = issue_app(wiring, clock)
    loop_thread: list[int] = []
    finished: dict[str, float] = {}

    async def main() -> None:
        loop_thread.append(threading.get_ident())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            started = time.monotonic()

            async def cover() -> None:
                response = await client.get(f"/api/v1/issue/{comic.id}/cover", headers=headers)
                assert response.status_code == 200
                finished["cover"] = time.monotonic() - started

            async def ping() -> None:
                await anyio.sleep(0.1)
                response = await client.get("/api/v1/auth/ping", headers=headers)
                assert response.status_code == 200
                finished["ping"] = time.monotonic() - started

            async with anyio.create_task_group() as group:
                group.start_soon(cover)
                group.start_soon(ping)

    anyio.run(main)
    assert finished["ping"] < 0.4 < finished["cover"]
    assert images.threads and loop_thread[0] not in images.threads
