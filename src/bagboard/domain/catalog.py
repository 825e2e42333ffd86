"""The library index: what a scan knows about every folder and comic below the library roots.

Paths are absolute POSIX paths as found on disk (below a library root, symlinks resolved).
Modification times are integer nanoseconds (``st_mtime_ns``) so comparisons are exact.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime

from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import ComicRow
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.kosync import PageMap
from bagboard.domain.names import NO_SOURCES, Sources

__all__ = [
    "THUMBNAIL_NAMES",
    "ComicDigest",
    "ComicEntry",
    "ComicMove",
    "ComicPlace",
    "FolderEntry",
    "IndexChanges",
    "IndexSnapshot",
    "IndexSummary",
    "IndexedComic",
    "KnownComic",
    "KnownFolder",
]

THUMBNAIL_NAMES = frozenset(
    {"folder.jpg", "folder.jpeg", "folder.png", "folder.gif", "folder.webp"}
)


@dataclass(frozen=True, slots=True)
class FolderEntry:
    """A folder as a scan observed it. ``depth`` is 0 for the library root, 1 for a publisher
    folder, 2 for a series folder, 3 for a volume folder."""

    path: str
    depth: int
    mtime_ns: int
    has_thumbnail: bool = False
    # Comics anywhere below this folder, every supported format.
    comic_count: int = 0

    @property
    def name(self) -> str:
        return posixpath.basename(self.path) or self.path

    @property
    def parent_path(self) -> str | None:
        return None if self.depth == 0 else posixpath.dirname(self.path)


@dataclass(frozen=True, slots=True)
class ComicEntry:
    """A comic file as a scan observed and read it.

    ``comic_info`` holds what its ComicInfo.xml says with the blanks filled from its names on
    disk (``domain.names``); ``sources`` says where each filled value came from, and
    ``tagged`` whether the file carries a ComicInfo.xml at all.

    ``kosync_md5`` is KOReader's id of the content (``domain.kosync.partial_md5``), None when
    this write did not read the file and the index keeps what it holds; the id of the name is
    derived from ``path`` wherever it is stored. ``kosync_pages`` is the archive's
    ``ArchiveSummary.kosync_pages``.
    """

    path: str
    size: int
    mtime_ns: int
    fingerprint: str
    format: ArchiveFormat | None
    page_count: int = 0
    comic_info: ComicInfo | None = None
    # Why the file could not be read; such a comic stays indexed and is retried when it changes.
    error: str | None = None
    tagged: bool = True
    sources: Sources = NO_SOURCES
    kosync_md5: str | None = None
    kosync_pages: PageMap | None = None

    @property
    def name(self) -> str:
        path = self.path  # posixpath.basename, without its checks of the argument's type
        return path[path.rfind("/") + 1 :]

    @property
    def folder_path(self) -> str:
        # posixpath.dirname, the same way: a scan asks it of every comic it writes, twice.
        path = self.path
        head = path[: path.rfind("/") + 1]
        return head.rstrip("/") if head and head != "/" * len(head) else head


@dataclass(frozen=True, slots=True)
class KnownFolder:
    id: int
    path: str
    depth: int
    mtime_ns: int
    has_thumbnail: bool
    comic_count: int


@dataclass(frozen=True, slots=True)
class KnownComic:
    """What the incremental scan needs to know about an indexed comic."""

    id: int
    path: str
    size: int
    mtime_ns: int
    fingerprint: str
    error: str | None = None
    # False for a comic written before blank metadata was filled from names (migration
    # 0013): the next scan fills it without opening the file.
    named: bool = True
    # False for a comic written before KOReader's ids were stored (migration 0016): the next
    # scan reads its partial MD5 (at most 12 KiB) without opening the archive.
    digested: bool = True

    @property
    def folder_path(self) -> str:
        return posixpath.dirname(self.path)


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """Everything indexed for one library, keyed by path."""

    folders: dict[str, KnownFolder]
    comics: dict[str, KnownComic]
    # None until the library's first scan completed: that scan dates comics by file mtime.
    last_scan_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IndexSummary:
    """How much of one library the index holds: readable comics, unreadable files, and when
    its last complete scan ended (None before the first)."""

    comics: int = 0
    unreadable: int = 0
    last_scan_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ComicMove:
    """An indexed comic found under a new path with the same content: it keeps its id."""

    comic_id: int
    entry: ComicEntry


@dataclass(frozen=True, slots=True)
class ComicDigest:
    """KOReader's id of an unchanged comic's content, read for a comic indexed before such
    ids were stored; its name's id is derived from ``path``."""

    comic_id: int
    path: str
    kosync_md5: str


@dataclass(slots=True)
class IndexChanges:
    """One batch of index writes, applied atomically by ``LibraryIndex.apply``.

    Folders are upserted by path (parents before children), comics reference their folder by
    path, and removals come last so a comic can move out of a folder that disappears.
    """

    folders: list[FolderEntry] = field(default_factory=list)
    added: list[tuple[ComicEntry, datetime]] = field(default_factory=list)  # with added_at
    changed: list[tuple[int, ComicEntry]] = field(default_factory=list)
    moved: list[ComicMove] = field(default_factory=list)
    removed_comics: list[int] = field(default_factory=list)
    removed_folders: list[str] = field(default_factory=list)
    # KOReader's ids of unchanged comics indexed without them; nothing else of theirs changes.
    digests: list[ComicDigest] = field(default_factory=list)
    # A first import leaves the index's summaries of its comics (series and publisher
    # facets) alone batch by batch (``defer_facets``) and has its last batch rebuild the
    # library's whole (``rebuild_facets``): one pass over the library instead of one per batch.
    # An index that derives them when read may ignore both.
    defer_facets: bool = False
    rebuild_facets: bool = False

    def __bool__(self) -> bool:
        return self.rewrites or bool(self.digests) or self.rebuild_facets

    @property
    def rewrites(self) -> bool:
        """Whether the batch writes more than ``digests``: folders or comics."""
        return bool(
            self.folders
            or self.added
            or self.changed
            or self.moved
            or self.removed_comics
            or self.removed_folders
        )


@dataclass(frozen=True, slots=True)
class ComicPlace:
    """Which indexed comic is at a path, and in which library: what keying a position, a read
    mark or a shelf entry to a comic needs, without reading its metadata."""

    id: int
    library_id: int
    path: str


@dataclass(frozen=True, slots=True)
class IndexedComic:
    """A comic as the rest of the application sees it."""

    id: int
    library_id: int
    path: str
    size: int
    mtime_ns: int
    format: ArchiveFormat | None
    added_at: datetime
    page_count: int
    # ComicInfo with its blanks filled from the comic's names, as ``ComicEntry`` has it.
    comic_info: ComicInfo | None
    error: str | None = None
    tagged: bool = True
    sources: Sources = NO_SOURCES
    # How KOReader's page order maps to ours (``ArchiveSummary.kosync_pages``).
    kosync_pages: PageMap | None = None

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    def as_row(self) -> ComicRow:
        """The comic as lists show it."""
        info = self.comic_info
        return ComicRow(
            id=self.id,
            library_id=self.library_id,
            path=self.path,
            name=self.name,
            size=self.size,
            has_comicinfo=self.has_comicinfo,
            page_count=self.page_count,
            added_at=self.added_at,
            title=info.title if info is not None else "",
            series=info.series if info is not None else "",
            number=info.number if info is not None else "",
            year=info.year if info is not None else "",
            publisher=info.publisher if info is not None else "",
        )

    @property
    def has_comicinfo(self) -> bool:
        """Whether the file carries a ComicInfo.xml (filled values aside)."""
        return self.tagged and self.comic_info is not None

    @property
    def folder_path(self) -> str:
        return posixpath.dirname(self.path)
