"""bagboard: a self-hosted comic library server and Python library.

As a library: ``open_library()`` opens a data folder (or a database, or memory) and gives the
domain services the server uses, without the server. Everything a program needs to call them
and read what they return is importable from here; the README's "Use as a library" shows it.
"""

from __future__ import annotations

from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import ComicRow, Facet, FolderRow, ReadingState, Scope
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import ComicInfo, ComicPageInfo
from bagboard.domain.errors import (
    AlreadyExists,
    ArchiveMissing,
    ArchiveUnreadable,
    ComicNotFound,
    CoverFailed,
    CoverUnavailable,
    DomainError,
    ImageUnreadable,
    InvalidInput,
    InvalidMode,
    InvalidPath,
    LibraryNotFound,
    NotFound,
    StaleProgress,
    StorageUnavailable,
    UserNotFound,
)
from bagboard.domain.images import FileStamp, PageInfo, Rendition, RenditionKey
from bagboard.domain.model import ApiToken, BrowseMode, Library, Role, ServerSettings, User
from bagboard.domain.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest
from bagboard.domain.progress import ComicReading, Device, ProgressChange, ReadingProgress
from bagboard.domain.progress_feed import ChangeKind, Feed, FeedCursor, FeedItem, Source
from bagboard.domain.shelves import Shelf, ShelfEntry, ShelfKind
from bagboard.library import ComicLibrary, open_library
from bagboard.services.accounts import AccountService, IssuedToken
from bagboard.services.browse import (
    BrowseService,
    FolderContents,
    FolderItem,
    IssueItem,
    Listing,
    ShelfView,
)
from bagboard.services.issues import IssueDetail, IssueService
from bagboard.services.libraries import LibraryService
from bagboard.services.progress import ProgressService
from bagboard.services.scan.progress import ScanPhase, ScanProgress
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.settings import SettingsService
from bagboard.version import __version__

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "AccountService",
    "AlreadyExists",
    "ApiToken",
    "ArchiveFormat",
    "ArchiveMissing",
    "ArchiveUnreadable",
    "BrowseMode",
    "BrowseService",
    "ChangeKind",
    "ComicInfo",
    "ComicLibrary",
    "ComicNotFound",
    "ComicPageInfo",
    "ComicReading",
    "ComicRow",
    "CoverFailed",
    "CoverUnavailable",
    "Device",
    "DomainError",
    "Facet",
    "Feed",
    "FeedCursor",
    "FeedItem",
    "FileStamp",
    "FolderContents",
    "FolderItem",
    "FolderRow",
    "ImageUnreadable",
    "IndexedComic",
    "InvalidInput",
    "InvalidMode",
    "InvalidPath",
    "IssueDetail",
    "IssueItem",
    "IssueService",
    "IssuedToken",
    "Library",
    "LibraryNotFound",
    "LibraryService",
    "Listing",
    "NotFound",
    "Page",
    "PageInfo",
    "PageRequest",
    "ProgressChange",
    "ProgressService",
    "ReadingProgress",
    "ReadingState",
    "Rendition",
    "RenditionKey",
    "Role",
    "ScanPhase",
    "ScanProgress",
    "ScanReport",
    "Scope",
    "ServerSettings",
    "SettingsService",
    "Shelf",
    "ShelfEntry",
    "ShelfKind",
    "ShelfView",
    "Source",
    "StaleProgress",
    "StorageUnavailable",
    "User",
    "UserNotFound",
    "__version__",
    "open_library",
]
