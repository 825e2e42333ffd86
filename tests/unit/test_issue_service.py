"""``IssueService`` on the memory adapters: who sees a comic, renders once, failures remembered."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from bagboard.adapters.images.memory_cache import MemoryRenditionCache
from bagboard.adapters.images.pillow import PillowImages
from bagboard.adapters.memory.archive import MemoryArchiveReader
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.pages import MemoryPageCatalog
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.domain.archive import ArchiveFormat, ArchiveSummary
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexChanges
from bagboard.domain.errors import ComicNotFound, CoverFailed, CoverUnavailable
from bagboard.domain.model import Role, User
from bagboard.services.issues import IssueService
from tests.archive_factory import jpeg

ROOT = "/srv/comics"
GOOD, BROKEN, EMPTY = (f"{ROOT}/Pub/Series/{name}.cbz" for name in ("good", "broken", "empty"))
OWNER = User(1, "owner", Role.OWNER)


class SlowImages(PillowImages):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self._lock = threading.Lock()

    def thumbnail(self, data: bytes, long_edge: int) -> bytes:
        with self._lock:
            self.calls += 1
        time.sleep(0.2)
        return super().thumbnail(data, long_edge)


class CountingArchives(MemoryArchiveReader):
    def __init__(self) -> None:
        super().__init__()
        self.inspected = 0

    def inspect(self, path: str) -> ArchiveSummary:
        self.inspected += 1
        return super().inspect(path)


@dataclass
class Setup:
    service: IssueService
    images: SlowImages
    archives: CountingArchives
    libraries: MemoryLibraryStore
    ids: dict[str, int]


@pytest.fixture
def setup() -> Setup:
    clock = ManualClock()
    index, libraries = MemoryLibraryIndex(), MemoryLibraryStore()
    library = libraries.add("Comics", ROOT)
    folders = [FolderEntry(ROOT, 0, 1), FolderEntry(f"{ROOT}/Pub", 1, 1)]
    folders.append(FolderEntry(f"{ROOT}/Pub/Series", 2, 1))
    entries = [
        ComicEntry(p, 10, 1, p, ArchiveFormat.ZIP, page_count=1) for p in (GOOD, BROKEN, EMPTY)
    ]
    added = [(entry, clock.now()) for entry in entries]
    index.apply(library.id, IndexChanges(folders=folders, added=added), clock.now())
    archives = CountingArchives()
    archives.add(GOOD, {"p1.jpg": jpeg((9, 9, 9), (300, 450))})
    archives.add(BROKEN, {"p1.jpg": b"not a jpeg at all"})
    archives.add(EMPTY, {"notes.txt": b"-"})
    images = SlowImages()
    reading = MemoryProgressStore(index)
    service = IssueService(
        index, libraries, reading, archives, images, MemoryRenditionCache(1 << 20),
        MemoryRenditionCache(1 << 20), MemoryPageCatalog(index), clock,
    )  # fmt: skip
    ids = {}
    for path in (GOOD, BROKEN, EMPTY):
        comic = index.comic_at(path)
        assert comic is not None
        ids[path] = comic.id
    return Setup(service, images, archives, libraries, ids)


def test_concurrent_requests_for_one_cover_render_it_once(setup: Setup) -> None:
    key = setup.service.cover_key(OWNER, str(setup.ids[GOOD]), None)
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: setup.service.rendition(OWNER, key).data, range(6)))
    assert len(set(results)) == 1
    assert setup.images.calls == 1
    assert setup.service.hot(key) is not None


def test_a_failed_cover_is_remembered_until_the_file_changes(setup: Setup) -> None:
    key = setup.service.cover_key(OWNER, str(setup.ids[BROKEN]), "200")
    for _ in range(3):
        with pytest.raises(CoverFailed):
            setup.service.rendition(OWNER, key)
    assert setup.archives.inspected == 1


def test_no_image_is_cover_unavailable(setup: Setup) -> None:
    key = setup.service.cover_key(OWNER, str(setup.ids[EMPTY]), None)
    with pytest.raises(CoverUnavailable):
        setup.service.rendition(OWNER, key)


def test_limited_users_and_disabled_libraries_see_nothing(setup: Setup) -> None:
    comic_id = str(setup.ids[GOOD])
    assert setup.service.comic(OWNER, comic_id).path == GOOD
    elsewhere = User(2, "kid", Role.READER, frozenset({999}))
    for call in (
        lambda: setup.service.comic(elsewhere, comic_id),
        lambda: setup.service.detail(elsewhere, comic_id),
        lambda: setup.service.cover_key(elsewhere, comic_id, None),
        lambda: setup.service.pages(elsewhere, comic_id),
    ):
        with pytest.raises(ComicNotFound):
            call()
    setup.libraries.set_enabled(setup.libraries.list()[0].id, False)
    with pytest.raises(ComicNotFound):
        setup.service.comic(OWNER, comic_id)
