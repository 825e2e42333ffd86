"""bagboard: a self-hosted comic library server and Python library.

As a library: ``open_library()`` opens a data folder (or a database, or memory) and gives the
domain services the server uses, without the server. Everything a program needs to call them
and read what they return is importable from here; the README's "Use as a library" shows it.
"""

from __future__ import annotations

from bagboard.bootstrap import Container
from bagboard.config import Settings
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
    Forbidden,
    ImageUnreadable,
    InvalidInput,
    InvalidMode,
    InvalidPath,
    LibraryNotFound,
    NotFound,
    ScanStopped,
    StorageUnavailable,
    TooManyAttempts,
    UserNotFound,
)
from bagboard.domain.images import FileStamp, PageInfo, Rendition, RenditionKey
from bagboard.domain.model import ApiToken, BrowseMode, Library, Role, ServerSettings, User
from bagboard.domain.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest
from bagboard.domain.problems import Problem
from bagboard.domain.progress import (
    ComicReading,
    Device,
    ProgressChange,
    ReadingProgress,
    StaleProgress,
)
from bagboard.domain.progress_feed import ChangeKind, Feed, FeedCursor, FeedItem, Source
from bagboard.domain.readlist_matching import MatchStatus
from bagboard.domain.readlists import (
    InvalidReadingList,
    ListBook,
    ParsedList,
    ReadingList,
    ReadingListEntry,
)
from bagboard.domain.server_status import FolderChoice
from bagboard.domain.shelves import Shelf, ShelfEntry, ShelfKind
from bagboard.library import ComicLibrary, open_library
from bagboard.ports.comic_files import FileVersion, OpenComicFile, ReadyFile
from bagboard.services.accounts import AccountService, IssuedToken
from bagboard.services.auth import Authenticator, Credential
from bagboard.services.browse import (
    BrowseService,
    FolderContents,
    FolderItem,
    IssueItem,
    Listing,
)
from bagboard.services.cover_warming import CoverWarmer, WarmReport
from bagboard.services.downloads import ComicDownload
from bagboard.services.issues import IssueDetail, IssueService
from bagboard.services.libraries import LibraryService, RemovedLibrary
from bagboard.services.monitor import LibraryMonitor
from bagboard.services.problems import ProblemService, ProblemView
from bagboard.services.progress import ProgressService
from bagboard.services.reading_lists import (
    ImportedBook,
    ImportReport,
    ReadingListService,
    ReadingListView,
)
from bagboard.services.reading_orders import ComicList, ListKind, ReadingOrderService
from bagboard.services.renditions import RenditionService, RenditionTarget
from bagboard.services.scan.progress import ScanPhase, ScanProgress
from bagboard.services.scan.scanner import Scanner, ScanReport
from bagboard.services.scanner_election import ScannerElection
from bagboard.services.settings import SettingsService
from bagboard.services.shelves import ShelfService, ShelfView
from bagboard.services.web_sessions import SetupLink, WebSession, WebSessionService
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
    "Authenticator",
    "BrowseMode",
    "BrowseService",
    "ChangeKind",
    "ComicDownload",
    "ComicInfo",
    "ComicLibrary",
    "ComicList",
    "ComicNotFound",
    "ComicPageInfo",
    "ComicReading",
    "ComicRow",
    "Container",
    "CoverFailed",
    "CoverUnavailable",
    "CoverWarmer",
    "Credential",
    "Device",
    "DomainError",
    "Facet",
    "Feed",
    "FeedCursor",
    "FeedItem",
    "FileStamp",
    "FileVersion",
    "FolderChoice",
    "FolderContents",
    "FolderItem",
    "FolderRow",
    "Forbidden",
    "ImageUnreadable",
    "ImportReport",
    "ImportedBook",
    "IndexedComic",
    "InvalidInput",
    "InvalidMode",
    "InvalidPath",
    "InvalidReadingList",
    "IssueDetail",
    "IssueItem",
    "IssueService",
    "IssuedToken",
    "Library",
    "LibraryMonitor",
    "LibraryNotFound",
    "LibraryService",
    "ListBook",
    "ListKind",
    "Listing",
    "MatchStatus",
    "NotFound",
    "OpenComicFile",
    "Page",
    "PageInfo",
    "PageRequest",
    "ParsedList",
    "Problem",
    "ProblemService",
    "ProblemView",
    "ProgressChange",
    "ProgressService",
    "ReadingList",
    "ReadingListEntry",
    "ReadingListService",
    "ReadingListView",
    "ReadingOrderService",
    "ReadingProgress",
    "ReadingState",
    "ReadyFile",
    "RemovedLibrary",
    "Rendition",
    "RenditionKey",
    "RenditionService",
    "RenditionTarget",
    "Role",
    "ScanPhase",
    "ScanProgress",
    "ScanReport",
    "ScanStopped",
    "Scanner",
    "ScannerElection",
    "Scope",
    "ServerSettings",
    "Settings",
    "SettingsService",
    "SetupLink",
    "Shelf",
    "ShelfEntry",
    "ShelfKind",
    "ShelfService",
    "ShelfView",
    "Source",
    "StaleProgress",
    "StorageUnavailable",
    "TooManyAttempts",
    "User",
    "UserNotFound",
    "WarmReport",
    "WebSession",
    "WebSessionService",
    "__version__",
    "open_library",
]
