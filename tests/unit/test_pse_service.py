"""``IssueService.stream_page`` on the memory adapters: which page, which bytes, encoded once."""

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
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexChanges
from bagboard.domain.errors import ComicNotFound, NotFound
from bagboard.domain.model import Role, User
from bagboard.services.issues import IssueService
from tests.unit.opds_v1_support import BLUE, GREEN, RED, alpha_png, decoded, near, page

ROOT = "/srv/comics"
MIXED = f"{ROOT}/Pub/Series/Mixed 01.cbz"
OWNER = User(1, "owner", Role.OWNER)
PAGES = {
    "a.jpg": page(RED),
    "b.webp": page(GREEN, "WEBP"),
    "c.png": alpha_png(),
    "d.gif": page(BLUE, "GIF"),
}


class CountingImages(PillowImages):
    """Pillow, slowly, counting the pages it encodes for streaming."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self._lock = threading.Lock()

    def jpeg_fit_width(self, data: bytes, max_width: int | None) -> bytes:
        with self._lock:
            self.calls += 1
        time.sleep(0.2)
        return super().jpeg_fit_width(data, max_width)


@dataclass
class Setup:
    service: IssueService
    images: CountingImages
    hot: MemoryRenditionCache
    disk: MemoryRenditionCache
    comic_id: int


@pytest.fixture
def setup() -> Setup:
    clock = ManualClock()
    index, libraries = MemoryLibraryIndex(), MemoryLibraryStore()
    library = libraries.add("Comics", ROOT)
    folders = [FolderEntry(ROOT, 0, 1), FolderEntry(f"{ROOT}/Pub", 1, 1)]
    folders.append(FolderEntry(f"{ROOT}/Pub/Series", 2, 1))
    entry = ComicEntry(MIXED, 10, 1, MIXED, ArchiveFormat.ZIP, page_count=len(PAGES))
    changes = IndexChanges(folders=folders, added=[(entry, clock.now())])
    index.apply(library.id, changes, clock.now())
    archives = MemoryArchiveReader()
    archives.add(MIXED, PAGES)
    images = CountingImages()
    reading = MemoryProgressStore(index)
    hot, disk = MemoryRenditionCache(1 << 22), MemoryRenditionCache(1 << 22)
    service = IssueService(
        index, libraries, reading, archives, images, hot, disk,
        MemoryPageCatalog(index), clock,
    )  # fmt: skip
    comic = index.comic_at(MIXED)
    assert comic is not None
    return Setup(service, images, hot, disk, comic.id)


def test_pages_count_from_zero_and_every_one_is_a_jpeg(setup: Setup) -> None:
    colours = [RED, GREEN, (0, 0, 255), BLUE]
    for index, colour in enumerate(colours):
        rendition = setup.service.stream_page(OWNER, setup.comic_id, index)
        assert rendition.media_type == "image/jpeg"
        assert rendition.key.page == index + 1
        image = decoded(rendition.data)
        assert image.format == "JPEG"
        assert near(
            image.convert("RGB").getpixel((image.width // 2, image.height // 2)), colour, 40
        )
    # The JPEG page as wide as asked (or wider than the page) is the stored bytes, not encoded.
    assert setup.service.stream_page(OWNER, setup.comic_id, 0, 600).data == PAGES["a.jpg"]
    assert setup.service.stream_page(OWNER, setup.comic_id, 0, "9000").data == PAGES["a.jpg"]
    assert setup.images.calls == 3


@pytest.mark.parametrize("index", [4, 5, -1, "x", "", "1.0"])
def test_a_page_out_of_range_is_not_found(setup: Setup, index: int | str) -> None:
    with pytest.raises(NotFound):
        setup.service.stream_key(OWNER, setup.comic_id, index)


def test_a_user_outside_the_library_finds_nothing(setup: Setup) -> None:
    elsewhere = User(2, "kid", Role.READER, frozenset({999}))
    with pytest.raises(ComicNotFound):
        setup.service.stream_page(elsewhere, setup.comic_id, 0)


def test_concurrent_requests_for_one_page_encode_it_once_and_keep_it(setup: Setup) -> None:
    def fetch(_: int) -> bytes:
        return setup.service.stream_page(OWNER, setup.comic_id, 1, 300).data

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(fetch, range(6)))
    assert len(set(results)) == 1
    assert setup.images.calls == 1
    assert decoded(results[0]).size == (300, 450)
    key = setup.service.stream_key(OWNER, setup.comic_id, 1, 300)
    assert key.size == -300
    assert setup.hot.get(key) == results[0] == setup.disk.get(key)
    # Another width is another rendition; the covers' and pages' keys are never negative.
    setup.service.stream_page(OWNER, setup.comic_id, 1, 200)
    assert setup.images.calls == 2
    assert setup.service.stream_page(OWNER, setup.comic_id, 1, 300).data == results[0]
    assert setup.images.calls == 2


def test_a_page_key_is_not_a_stream_key(setup: Setup) -> None:
    page_key = setup.service.page_key(OWNER, setup.comic_id, 1)
    with pytest.raises(NotFound):
        setup.service.stream(OWNER, page_key)
