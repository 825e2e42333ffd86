"""``IssueService`` and its ``RenditionService`` wired on memory adapters, as bootstrap does."""

from __future__ import annotations

from dataclasses import dataclass, field

from bagboard.adapters.images.memory_cache import MemoryRenditionCache
from bagboard.adapters.images.pillow import PillowImages
from bagboard.adapters.memory.archive import MemoryArchiveReader
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.comic_files import MemoryComicFiles
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.pages import MemoryPageCatalog
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.ports.archive_reader import ArchiveReader
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.page_images import PageImages
from bagboard.ports.progress_store import ProgressStore
from bagboard.services.issues import IssueService
from bagboard.services.renditions import RenditionService


@dataclass
class IssueWiring:
    index: LibraryIndex = field(default_factory=MemoryLibraryIndex)
    libraries: MemoryLibraryStore = field(default_factory=MemoryLibraryStore)
    archives: ArchiveReader = field(default_factory=MemoryArchiveReader)
    images: PageImages = field(default_factory=PillowImages)
    clock: ManualClock = field(default_factory=ManualClock)
    files: MemoryComicFiles = field(default_factory=MemoryComicFiles)
    hot: MemoryRenditionCache = field(default_factory=lambda: MemoryRenditionCache(1 << 22))
    disk: MemoryRenditionCache = field(default_factory=lambda: MemoryRenditionCache(1 << 22))
    # The page catalog forgets lists of comics the index no longer holds; None trusts every id.
    catalog_checks_index: bool = True
    # Positions and marks; by default a memory store over ``index``.
    progress: ProgressStore | None = None

    def __post_init__(self) -> None:
        watched = self.index if self.catalog_checks_index else None
        self.renditions = RenditionService(
            self.archives, self.images, MemoryPageCatalog(watched), self.hot, self.disk
        )
        self.issues = IssueService(
            self.index,
            self.libraries,
            self.progress or MemoryProgressStore(self.index),
            self.clock,
            renditions=self.renditions,
            files=self.files,
        )
