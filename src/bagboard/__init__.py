"""bagboard: a self-hosted comic library server and Python library.

As a library: ``open_library()`` opens a data folder (or a database, or memory) and gives the
domain services the server uses, without the server. Everything a program needs to call them
and read what they return is importable from here; the README's "Use as a library" shows it.

The names are loaded when first used (PEP 562): ``from bagboard import X`` works as ever,
but importing any module of the package no longer imports all of it. A process that reads
archives for a scan (``pools``) imports its few modules in a fifth of the time.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each public name lives.
_MODULES = {
    "bagboard.bootstrap": "Container",
    "bagboard.config": "Settings",
    "bagboard.domain.archive": "ArchiveFormat",
    "bagboard.domain.browse": "ComicRow Facet FolderRow ReadingState Scope",
    "bagboard.domain.catalog": "IndexedComic",
    "bagboard.domain.comicinfo": "ComicInfo ComicPageInfo",
    "bagboard.domain.errors": (
        "AlreadyExists ArchiveMissing ArchiveUnreadable ComicNotFound CoverFailed "
        "CoverUnavailable DomainError Forbidden ImageUnreadable InvalidInput InvalidMode "
        "InvalidPath LibraryNotFound NotFound ScanStopped StorageUnavailable "
        "TooManyAttempts UserNotFound"
    ),
    "bagboard.domain.images": "FileStamp PageInfo Rendition RenditionKey",
    "bagboard.domain.model": "ApiToken BrowseMode Library Role ServerSettings User",
    "bagboard.domain.pagination": "DEFAULT_PAGE_SIZE MAX_PAGE_SIZE Page PageRequest",
    "bagboard.domain.problems": "Problem",
    "bagboard.domain.progress": "ComicReading Device ProgressChange ReadingProgress StaleProgress",
    "bagboard.domain.progress_feed": "ChangeKind Feed FeedCursor FeedItem Source",
    "bagboard.domain.readlist_matching": "MatchStatus",
    "bagboard.domain.readlists": (
        "InvalidReadingList ListBook ParsedList ReadingList ReadingListEntry"
    ),
    "bagboard.domain.server_status": "FolderChoice",
    "bagboard.domain.shelves": "Shelf ShelfEntry ShelfKind",
    "bagboard.library": "ComicLibrary open_library",
    "bagboard.ports.comic_files": "FileVersion OpenComicFile ReadyFile",
    "bagboard.services.accounts": "AccountService IssuedToken",
    "bagboard.services.auth": "Authenticator Credential",
    "bagboard.services.browse": "BrowseService FolderContents FolderItem IssueItem Listing",
    "bagboard.services.cover_warming": "CoverWarmer WarmReport",
    "bagboard.services.downloads": "ComicDownload",
    "bagboard.services.issues": "IssueDetail IssueService",
    "bagboard.services.libraries": "LibraryService RemovedLibrary",
    "bagboard.services.monitor": "LibraryMonitor",
    "bagboard.services.problems": "ProblemService ProblemView",
    "bagboard.services.progress": "ProgressService",
    "bagboard.services.reading_lists": (
        "ImportedBook ImportReport ReadingListService ReadingListView"
    ),
    "bagboard.services.reading_orders": "ComicList ListKind ReadingOrderService",
    "bagboard.services.renditions": "RenditionService RenditionTarget",
    "bagboard.services.scan.progress": "ScanPhase ScanProgress",
    "bagboard.services.scan.scanner": "Scanner ScanReport",
    "bagboard.services.scanner_election": "ScannerElection",
    "bagboard.services.settings": "SettingsService",
    "bagboard.services.shelves": "ShelfService ShelfView",
    "bagboard.services.web_sessions": "SetupLink WebSession WebSessionService",
    "bagboard.version": "__version__",
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names.split()}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
