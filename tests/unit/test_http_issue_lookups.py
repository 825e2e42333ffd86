"""Each cover, page, stream and download request reads the comic from the index once: the
target the lookup returns carries the comic (and its page list) to the render step."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import TestClient

from bagboard.adapters.memory.archive import MemoryArchiveReader
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry, ComicPlace, FolderEntry, IndexChanges, IndexedComic
from bagboard.services.progress import ProgressService
from tests.archive_factory import jpeg
from tests.unit.http_support import issue_app
from tests.unit.issue_wiring import IssueWiring

ROOT = "/srv/comics"
PATH = f"{ROOT}/Acme/Saga 01.cbz"
PAGES = {f"p{n}.jpg": jpeg((40 * n, 90, 160), (300, 450)) for n in range(1, 4)}


class CountingIndex(MemoryLibraryIndex):
    """The memory index, counting the reads that find comics."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: Counter[str] = Counter()

    def comic(self, comic_id: int) -> IndexedComic | None:
        self.reads["comic"] += 1
        return super().comic(comic_id)

    def comics(self, ids: Sequence[int]) -> dict[int, IndexedComic]:
        self.reads["comics"] += 1
        return super().comics(ids)

    def comic_at(self, path: str) -> IndexedComic | None:
        self.reads["comic_at"] += 1
        return super().comic_at(path)

    def place_at(self, path: str) -> ComicPlace | None:
        self.reads["place_at"] += 1
        return super().place_at(path)


@dataclass
class World:
    client: TestClient[Any]
    index: CountingIndex
    headers: dict[str, str]
    comic_id: int

    def lookups(
        self, url: str, etag: str | None = None, *, method: str = "GET", body: bytes = b""
    ) -> tuple[int, int, str]:
        """Index reads made by one request, its status and its ETag."""
        self.index.reads.clear()
        revalidate = {} if etag is None else {"If-None-Match": etag}
        headers = {**self.headers, **revalidate}
        response = self.client.request(method, url, headers=headers, content=body or None)
        return sum(self.index.reads.values()), response.status_code, response.headers.get("etag")


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    clock = ManualClock()
    index = CountingIndex()
    library = MemoryLibraryStore()
    root = library.add("Comics", ROOT).root
    folders = [FolderEntry(ROOT, 0, 1), FolderEntry(f"{ROOT}/Acme", 1, 1)]
    entry = ComicEntry(PATH, 10, 1, "fp", ArchiveFormat.ZIP, page_count=len(PAGES))
    index.apply(1, IndexChanges(folders=folders, added=[(entry, clock.now())]), clock.now())
    # No memo of comic rows (a server keeps them until the index changes), so every lookup is
    # counted; and a page catalog that does not check the index on its own, as the SQL one
    # does not.
    plain = MemoryLibraryIndex.__new__(MemoryLibraryIndex)
    plain.__dict__ = index.__dict__  # the same comics, seen past the counter
    positions = MemoryProgressStore(plain)
    wiring = IssueWiring(
        index,
        library,
        MemoryArchiveReader({PATH: PAGES}),
        clock=clock,
        catalog_checks_index=False,
        progress=positions,
    )
    wiring.files.write(PATH, b"the comic file")
    assert root == ROOT
    # The services look comics up through the counted index (a tracked page or a progression
    # counts too); the progress store's own joins read it uncounted, as a SQL join would.
    app, headers = issue_app(wiring, clock, ProgressService(positions, index, library, clock))
    comic = index.comic_at(PATH)
    assert comic is not None
    with TestClient(app) as client:
        yield World(client, index, headers, comic.id)


@pytest.mark.parametrize(
    "suffix",
    [
        "/cover",
        "/cover?size=200",
        "/page/2",
        "/page/2?size=200",
        "/download",
    ],
)
def test_an_api_image_or_file_request_reads_the_index_once(world: World, suffix: str) -> None:
    url = f"/api/v1/issue/{world.comic_id}{suffix}"
    for _ in range(2):  # the first renders and measures, the second finds it all cached
        reads, status, etag = world.lookups(url)
        assert (reads, status) == (1, 200)
    # A revalidation is answered from the same one read, without rendering anything.
    assert world.lookups(url, etag)[:2] == (1, 304)


@pytest.mark.parametrize("query", ["", "?width=200"])
def test_a_streamed_page_reads_the_index_once(world: World, query: str) -> None:
    url = f"/opds/v1.2/issue/{world.comic_id}/pse/1{query}"
    for _ in range(2):
        reads, status, etag = world.lookups(url)
        assert (reads, status) == (1, 200)
    assert world.lookups(url, etag)[:2] == (1, 304)


def test_a_tracked_streamed_page_reads_the_index_once(world: World) -> None:
    """Serving the page and moving the position forward share the one lookup."""
    url = f"/opds/v1.2/issue/{world.comic_id}/pse/2?track=1"
    assert world.lookups(url)[:2] == (1, 200)
    progression = f"/opds/v2.0/issue/{world.comic_id}/progression"
    assert world.client.get(progression, headers=world.headers).json()["position"] == 3


def test_a_divina_manifest_reads_the_index_once(world: World) -> None:
    assert world.lookups(f"/opds/v2.0/issue/{world.comic_id}/manifest")[:2] == (1, 200)


@pytest.mark.parametrize("suffix", ["/progression", "/progression/readium"])
def test_a_progression_read_or_write_reads_the_index_once(world: World, suffix: str) -> None:
    url = f"/opds/v2.0/issue/{world.comic_id}{suffix}"
    body = b'{"position": 3, "modified": "2030-01-01T00:00:00Z"}' if suffix.endswith("n") else None
    if body is not None:
        assert world.lookups(url, method="PUT", body=body)[:2] == (1, 200)
    reads, status, _ = world.lookups(url)
    assert (reads, status) in {(1, 200), (1, 204)}
