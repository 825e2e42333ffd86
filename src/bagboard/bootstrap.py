"""The composition root: the one place that picks adapters and wires services.

``build()`` returns the wired container; ``library.ComicLibrary`` is the typed facade over it
that the CLI, the server and Python programs use. Nothing happens at import time; the database
engine (and its migrations) and the archive-reading pool are created on first use.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from dependency_injector import containers, providers
from sqlalchemy.engine import Engine

from bagboard import pools
from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.attempt_log import FileAttemptLog
from bagboard.adapters.filesystem.clock import SystemClock
from bagboard.adapters.filesystem.comic_files import LocalComicFiles
from bagboard.adapters.filesystem.renditions import DiskRenditionCache
from bagboard.adapters.filesystem.scan_board import FileScanBoard
from bagboard.adapters.filesystem.secret_key import KEY_BYTES, load_or_create_key
from bagboard.adapters.filesystem.server_folders import LocalServerFolders
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.filesystem.watch import WatchfilesWatcher
from bagboard.adapters.images.memory_cache import MemoryRenditionCache
from bagboard.adapters.images.pillow import PillowImages
from bagboard.adapters.memory.browse import MemoryFolderBrowser, MemoryMetadataBrowser
from bagboard.adapters.memory.changes import MemoryChangeFeed
from bagboard.adapters.memory.documents import MemoryComicDocuments
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.kosync import MemoryKosyncOrphans
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.pages import MemoryPageCatalog
from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.adapters.memory.passwords import MemoryKosyncKeys, MemoryPasswordStore
from bagboard.adapters.memory.problems import MemoryProblemList
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.memory.reading_lists import MemoryReadingLists
from bagboard.adapters.memory.scan_locks import MemoryScanLocks
from bagboard.adapters.memory.series_ids import MemorySeriesIds
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.shelves import MemoryShelves
from bagboard.adapters.memory.story_arcs import MemoryStoryArcs
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.memory.web_sessions import MemoryWebSessionStore
from bagboard.adapters.passwords import Argon2Hasher
from bagboard.adapters.storage.admin.libraries import SqlLibraryStore
from bagboard.adapters.storage.admin.passwords import SqlKosyncKeys, SqlPasswordStore
from bagboard.adapters.storage.admin.problems import SqlProblemList
from bagboard.adapters.storage.admin.settings import SqlSettingsStore
from bagboard.adapters.storage.admin.tokens import SqlTokenStore
from bagboard.adapters.storage.admin.users import SqlUserStore
from bagboard.adapters.storage.admin.web_sessions import SqlWebSessionStore
from bagboard.adapters.storage.arcs.story_arcs import SqlStoryArcs
from bagboard.adapters.storage.browse.folders import SqlFolderBrowser
from bagboard.adapters.storage.browse.metadata import SqlMetadataBrowser
from bagboard.adapters.storage.changes import change_feed as storage_change_feed
from bagboard.adapters.storage.db.engine import make_engine
from bagboard.adapters.storage.db.facts import database_probe, memory_database
from bagboard.adapters.storage.db.migrate import upgrade
from bagboard.adapters.storage.db.nowait_writes import NoWaitWrites
from bagboard.adapters.storage.index.documents import SqlComicDocuments
from bagboard.adapters.storage.index.pages import SqlPageCatalog
from bagboard.adapters.storage.index.store import SqlLibraryIndex
from bagboard.adapters.storage.komga.series_ids import SqlSeriesIds
from bagboard.adapters.storage.kosync.orphans import SqlKosyncOrphans
from bagboard.adapters.storage.lists.reading_lists import SqlReadingLists
from bagboard.adapters.storage.lists.shelves import SqlShelves
from bagboard.adapters.storage.locks import scan_locks_for
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.config import Settings
from bagboard.ports.change_feed import ChangeFeed
from bagboard.ports.clock import Clock
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.scan_board import ScanBoard
from bagboard.ports.scan_locks import ScanLocks
from bagboard.process_names import describe_process
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.browse import BrowseService
from bagboard.services.cached_stores import CachedLibraryStore, CachedSettingsStore
from bagboard.services.cover_warming import CoverWarmer
from bagboard.services.issues import IssueService
from bagboard.services.kept_answers import KeptAnswers
from bagboard.services.kosync import KosyncService
from bagboard.services.libraries import LibraryService
from bagboard.services.monitor import LibraryMonitor
from bagboard.services.page_tracking import DELAY as TRACKING_DELAY
from bagboard.services.page_tracking import PageTracker
from bagboard.services.passwords import PasswordCheck
from bagboard.services.problems import ProblemService
from bagboard.services.progress import ProgressService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.recent_cache import Freshness
from bagboard.services.renditions import RenditionService
from bagboard.services.scan.scanner import Scanner
from bagboard.services.scan_jobs import ScanJobs
from bagboard.services.scan_leases import ScanLeases
from bagboard.services.scanner_election import ScannerElection
from bagboard.services.series_catalog import SeriesCatalog
from bagboard.services.series_progress import SeriesProgressService
from bagboard.services.server_status import ServerStatusService
from bagboard.services.settings import SettingsService
from bagboard.services.shelves import ShelfService
from bagboard.services.sign_in_limits import SignInLimiter
from bagboard.services.touches import Touches
from bagboard.services.tracked_progress import TrackedProgressStore
from bagboard.services.web_sessions import WebSessionService

__all__ = [
    "FOLLOWED_CACHE_SECONDS",
    "HOT_RENDITION_BYTES",
    "MEMORY",
    "OPEN_ARCHIVES",
    "SQL",
    "UNFOLLOWED_CACHE_SECONDS",
    "Container",
    "build",
]

MEMORY = "memory"
SQL = "sql"

# What a server read of tokens, users, libraries, settings and index rows stands until the
# change feed shows a change of its kind made by any process (the `bagboard` command, another
# server process): the next request reads it again (services/recent_cache.py). At most this
# long while the feed follows changes as they happen (a bound should a notification be lost)...
FOLLOWED_CACHE_SECONDS = 60
# ...and this long while it cannot (PostgreSQL notifications down, memory storage).
UNFOLLOWED_CACHE_SECONDS = 0.5

# Rendered covers and resized pages: on disk in the data folder, and the most recent in memory
# so a cover asked for again is answered without a thread or a disk read.
HOT_RENDITION_BYTES = 64 * 1024 * 1024
# Archives kept open between page requests (see adapters/archive/open_archives.py).
OPEN_ARCHIVES = 16


def _migrated_engine(database_url: str) -> Iterator[Engine]:
    """Create the engine and bring the schema up to date (start-up applies migrations)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def _followed_changes(engine: Engine) -> Iterator[ChangeFeed]:
    """The database's change feed, stopped (its listener thread, its connection) at shutdown."""
    feed = storage_change_feed(engine)
    try:
        yield feed
    finally:
        feed.close()


def _writes_at_once(engine: Engine) -> Iterator[NoWaitWrites | None]:
    """SQLite's writes that never wait (``db/nowait_writes.py``), closed at shutdown; None on
    PostgreSQL."""
    writes = NoWaitWrites.for_engine(engine)
    try:
        yield writes
    finally:
        if writes is not None:
            writes.close()


def _touches(write: Callable[[int, datetime], None], what: str) -> Iterator[Touches]:
    """Last uses (of tokens, of web sessions) written by a thread of their own
    (``services/touches.py``), what is left written at shutdown."""
    touches = Touches(write, what)
    try:
        yield touches
    finally:
        touches.stop()


def _sign_in_limiter(clock: Clock, storage: str, processes: int, folder: Path) -> SignInLimiter:
    """The sign-in throttle; with several worker processes (``serve --workers N``), counting
    every worker's failures through files in the data folder (``ports/attempt_log.py``)."""
    shared = FileAttemptLog(folder) if storage != MEMORY and processes > 1 else None
    return SignInLimiter(clock, shared=shared)


def _scan_board(storage: str, folder: Path) -> ScanBoard | None:
    """Where the processes of one server post their scans' status: files in the data folder,
    which every worker of ``serve --workers N`` shares; none for a library kept in memory."""
    return None if storage == MEMORY else FileScanBoard(folder)


def _scan_locks(storage: str, database_url: str, holder: str) -> Iterator[ScanLocks]:
    """This process's scan locks (``ports/scan_locks.py``), released when the container's
    resources are shut down."""
    found = None if storage == MEMORY else scan_locks_for(database_url, holder)
    locks = found or MemoryScanLocks(holder)
    try:
        yield locks
    finally:
        locks.close()


def _kept_answers(changes: ChangeFeed, tracker: PageTracker) -> KeptAnswers:
    return KeptAnswers(changes, tracker.flush_user)


def _page_tracker(store: ProgressStore, clock: Clock, delay: float) -> Iterator[PageTracker]:
    """This process's noted page positions (``services/page_tracking.py``), all written when
    the container's resources are shut down (the HTTP app writes them when it stops)."""
    tracker = PageTracker(store, clock, delay=delay)
    try:
        yield tracker
    finally:
        tracker.stop()


class Container(containers.DeclarativeContainer):
    """Every adapter and service, one provider each; ``config`` is filled in by ``build``."""

    config = providers.Configuration()

    clock = providers.Singleton(SystemClock)
    engine = providers.Resource(_migrated_engine, config.database_url)
    # What any process changed (ports/change_feed.py), and how long reads stand by it.
    change_feed = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryChangeFeed),
        sql=providers.Resource(_followed_changes, engine),
    )
    freshness = providers.Singleton(
        Freshness,
        change_feed,
        timedelta(seconds=FOLLOWED_CACHE_SECONDS),
        timedelta(seconds=UNFOLLOWED_CACHE_SECONDS),
    )

    _settings_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemorySettingsStore),
        sql=providers.Singleton(SqlSettingsStore, engine),
    )
    settings_store = providers.Singleton(CachedSettingsStore, _settings_store, clock, freshness)

    library_index = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryLibraryIndex),
        sql=providers.Singleton(SqlLibraryIndex, engine, change_feed),
    )
    folder_browser = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryFolderBrowser, library_index),
        sql=providers.Singleton(SqlFolderBrowser, engine, change_feed),
    )
    metadata_browser = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryMetadataBrowser, library_index),
        sql=providers.Singleton(SqlMetadataBrowser, engine, change_feed),
    )
    series_ids = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemorySeriesIds),
        sql=providers.Singleton(SqlSeriesIds, engine, change_feed),
    )
    shelves = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryShelves, library_index),
        sql=providers.Singleton(SqlShelves, engine),
    )
    _progress_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryProgressStore, library_index),
        sql=providers.Singleton(
            SqlProgressStore,
            engine,
            change_feed,
            # Positions saved on the event loop when they need not wait (api/progress.py).
            at_once=providers.Resource(_writes_at_once, engine),
        ),
    )
    # Pages streamed with tracking are noted and written shortly after, not while the page
    # waits; every service reads and writes progress after the user's noted pages.
    # (Seconds from a page's fetch to its write; tests override it to write only when asked.)
    page_tracking_delay = providers.Object(TRACKING_DELAY)
    page_tracker = providers.Resource(_page_tracker, _progress_store, clock, page_tracking_delay)
    progress_store = providers.Singleton(TrackedProgressStore, _progress_store, page_tracker)
    # Answers to the lists and pages reader apps ask again and again, kept while nothing has
    # changed (services/kept_answers.py); a user's noted pages are written first.
    kept_answers = providers.Singleton(_kept_answers, change_feed, page_tracker)
    tokens = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryTokenStore),
        sql=providers.Singleton(SqlTokenStore, engine),
    )
    # The memory stores are told of a removed user or library by the ones removing it, as
    # SQL cascades (adapters/memory/followers.py); positions before the index they read.
    users = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryUserStore, tokens, shelves, _progress_store),
        sql=providers.Singleton(SqlUserStore, engine),
    )
    _library_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(
            MemoryLibraryStore, _progress_store, shelves, users, library_index, series_ids
        ),
        sql=providers.Singleton(SqlLibraryStore, engine, change_feed),
    )
    # Read on every request: remembered briefly (see services/cached_stores.py).
    libraries = providers.Singleton(CachedLibraryStore, _library_store, clock, freshness)
    problem_list = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryProblemList, library_index),
        sql=providers.Singleton(SqlProblemList, engine),
    )
    archive_reader = providers.Singleton(FileArchiveReader)
    page_reader = providers.Singleton(FileArchiveReader, open_handles=OPEN_ARCHIVES)
    page_images = providers.Singleton(PillowImages)
    page_catalog = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryPageCatalog, library_index),
        sql=providers.Singleton(SqlPageCatalog, engine),
    )
    hot_renditions = providers.Singleton(MemoryRenditionCache, HOT_RENDITION_BYTES)
    renditions = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryRenditionCache, config.rendition_bytes),
        sql=providers.Singleton(DiskRenditionCache, config.rendition_dir, config.rendition_bytes),
    )
    file_tree = providers.Singleton(LocalFileTree)
    comic_files = providers.Singleton(LocalComicFiles)
    watcher = providers.Singleton(WatchfilesWatcher)
    inspect_pool = providers.Resource(pools.inspect_pool, config.workers)
    # The map holds the pool's provider, not the pool: it starts the pool on the first big
    # batch and discards it when a worker dies (see pools.py).
    inspect_map = providers.Singleton(pools.PoolMap, inspect_pool.provider)

    # Password hashes live in the users' rows (memory: beside the user store, which they
    # follow); sessions cascade with their user.
    passwords = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryPasswordStore, users),
        sql=providers.Singleton(SqlPasswordStore, engine),
    )
    web_session_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryWebSessionStore, users),
        sql=providers.Singleton(SqlWebSessionStore, engine),
    )
    # argon2id for stored data; a memory library (tests, throwaway use) hashes cheaply.
    password_hasher = providers.Selector(
        config.storage,
        memory=providers.Singleton(QuickHasher),
        sql=providers.Singleton(Argon2Hasher),
    )

    accounts = providers.Factory(AccountService, users, tokens, clock)
    # Singletons: the throttle's counts and the remembered password checks serve every
    # request of this process (services/sign_in_limits.py, services/passwords.py).
    sign_in_limiter = providers.Singleton(
        _sign_in_limiter, clock, config.storage, config.http_workers, config.attempts_dir
    )
    # KOReader's keys (md5 of the password) are hashed beside the passwords (ports/kosync_keys.py).
    kosync_keys = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryKosyncKeys, users),
        sql=providers.Singleton(SqlKosyncKeys, engine),
    )
    password_check = providers.Singleton(
        PasswordCheck,
        users,
        passwords,
        password_hasher,
        sign_in_limiter,
        clock,
        freshness=freshness,
        kosync_keys=kosync_keys,
    )
    # KOReader's sign-in checks its key as a password, against the key hashes, sharing the
    # web's throttle (failures of either count together).
    kosync_key_check = providers.Singleton(
        PasswordCheck,
        users,
        kosync_keys,
        password_hasher,
        sign_in_limiter,
        clock,
        freshness=freshness,
    )
    # Tokens' and web sessions' last uses, written off the requests' path (services/touches.py);
    # in memory, at once.
    token_touch_writer = providers.Resource(_touches, tokens.provided.touch, "token")
    token_touches = providers.Selector(
        config.storage, memory=providers.Object(None), sql=token_touch_writer
    )
    session_touch_writer = providers.Resource(_touches, web_session_store.provided.touch, "session")
    session_touches = providers.Selector(
        config.storage, memory=providers.Object(None), sql=session_touch_writer
    )
    # A singleton: it holds the first-run setup link of this process.
    web_sessions = providers.Singleton(
        WebSessionService,
        users,
        passwords,
        web_session_store,
        password_check,
        accounts,
        clock,
        touch=session_touches,
    )
    # Singletons so their caches serve every request (see services/recent_cache.py).
    # Keys the session cookies: kept in the data folder, so sessions survive a restart; a
    # memory library has its own for the life of the process.
    session_key = providers.Selector(
        config.storage,
        memory=providers.Singleton(secrets.token_bytes, KEY_BYTES),
        sql=providers.Singleton(load_or_create_key, config.secret_key_path),
    )
    authenticator = providers.Singleton(
        Authenticator,
        users,
        tokens,
        clock,
        freshness=freshness,
        session_key=session_key,
        passwords=password_check,
        password_store=passwords,
        touch=token_touches,
    )
    server_folders = providers.Singleton(LocalServerFolders)
    library_service = providers.Factory(LibraryService, libraries, users, server_folders)
    problem_service = providers.Factory(ProblemService, problem_list, libraries)
    # A singleton: it holds nothing but the (singleton) store, and ``/auth/ping`` asks for it
    # on every request.
    settings_service = providers.Singleton(SettingsService, settings_store)
    # A singleton: it remembers which covers failed, so each is logged and tried once.
    rendition_service = providers.Singleton(
        RenditionService, page_reader, page_images, page_catalog, hot_renditions, renditions
    )
    issue_service = providers.Singleton(
        IssueService,
        library_index,
        libraries,
        progress_store,
        clock,
        renditions=rendition_service,
        files=comic_files,
        freshness=freshness,
        kept_answers=kept_answers,
    )
    cover_warmer = providers.Factory(CoverWarmer, library_index, rendition_service)
    browse_service = providers.Singleton(
        BrowseService,
        folder_browser,
        metadata_browser,
        progress_store,
        library_index,
        libraries,
        settings_store,
        clock,
        freshness=freshness,
        kept_answers=kept_answers,
    )
    series_catalog = providers.Singleton(
        SeriesCatalog, libraries, metadata_browser, progress_store, library_index, series_ids
    )
    shelf_service = providers.Singleton(
        ShelfService, folder_browser, progress_store, shelves, library_index, libraries, clock
    )
    progress_service = providers.Factory(
        ProgressService, progress_store, library_index, libraries, clock, tracker=page_tracker
    )
    series_progress = providers.Factory(SeriesProgressService, progress_service)
    # KOReader sync (services/kosync.py): comics by KOReader's document ids, and what was
    # sent for documents no comic matched yet.
    comic_documents = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryComicDocuments, library_index),
        sql=providers.Singleton(SqlComicDocuments, engine),
    )
    kosync_orphans = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryKosyncOrphans, users),
        sql=providers.Singleton(SqlKosyncOrphans, engine),
    )
    # Reading lists (ports/reading_lists.py): in memory, a removed user's lists go and a
    # removed comic's entries are unresolved again, as the SQL foreign keys do.
    reading_lists = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryReadingLists, users, library_index),
        sql=providers.Singleton(SqlReadingLists, engine),
    )
    reading_list_service = providers.Factory(
        ReadingListService,
        reading_lists,
        metadata_browser,
        library_index,
        libraries,
        users,
        clock,
    )
    # Story arcs (ports/story_arcs.py): kept by index writes in SQL, derived from the memory
    # index's comics in memory.
    story_arcs = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryStoryArcs, library_index),
        sql=providers.Singleton(SqlStoryArcs, engine),
    )
    reading_order_service = providers.Factory(
        ReadingOrderService,
        reading_lists,
        story_arcs,
        progress_store,
        libraries,
        series_catalog,
        library_index,
    )
    kosync_service = providers.Factory(
        KosyncService,
        users,
        authenticator,
        kosync_key_check,
        comic_documents,
        kosync_orphans,
        library_index,
        libraries,
        progress_service,
        clock,
    )
    scanner = providers.Factory(
        Scanner, library_index, file_tree, archive_reader, clock, inspect_map=inspect_map
    )
    # What follows a scan that indexed new comics, in order, wherever the scan ran: waiting
    # KOReader positions attach, then waiting reading-list entries resolve.
    after_scan = providers.List(
        kosync_service.provided.attach_orphans,
        reading_list_service.provided.resolve_pending,
    )
    # How this process is named to the others sharing the database: ``config.process_name``
    # ("bagboard serve") with its pid and host, computed in the process that uses it.
    scan_holder = providers.Callable(describe_process, config.process_name)
    # Held across processes: the scanner lead (one server scans and watches) and each
    # library's scan lease (services/scan_leases.py, services/scanner_election.py).
    scan_locks = providers.Resource(_scan_locks, config.storage, config.database_url, scan_holder)
    scan_leases = providers.Singleton(ScanLeases, scan_locks)
    # A singleton: it runs every scan of the process, the owner's "scan now" and the
    # monitor's, one library at a time, each under the library's lease (services/scan_jobs.py).
    scan_board = providers.Singleton(_scan_board, config.storage, config.scan_board_dir)
    scan_jobs = providers.Singleton(
        ScanJobs,
        scanner.provider,
        libraries,
        clock,
        after_scan=after_scan,
        leases=scan_leases,
        board=scan_board,
    )
    # Called with ``rescan_interval=``, and ``scan=`` to bind the scans to a stop event.
    monitor = providers.Factory(
        LibraryMonitor,
        libraries=libraries,
        watcher=watcher,
        scan=scan_jobs.provided.scan,
        clock=clock,
    )
    # Called with ``run_monitor=``.
    scanner_election = providers.Factory(ScannerElection, scan_locks)
    database_facts = providers.Selector(
        config.storage,
        memory=providers.Object(memory_database),
        sql=providers.Singleton(database_probe, config.database_url),
    )
    server_status = providers.Factory(
        ServerStatusService,
        libraries,
        library_index,
        metadata_browser,
        users,
        tokens,
        renditions,
        database_facts,
    )


def build(
    settings: Settings, *, memory: bool = False, workers: int | None = None, **overrides: object
) -> Container:
    """Wire bagboard for ``settings``; ``memory=True`` swaps every store for its memory twin.

    ``workers`` sizes the archive-reading process pool (default: one per CPU; 0 reads serially).
    ``overrides`` replace any provider by name with a ready object (``clock=ManualClock()``).
    """
    container = Container()
    container.config.from_dict(
        {
            "storage": MEMORY if memory else SQL,
            "database_url": settings.database_url,
            "workers": pools.cpu_count() if workers is None else workers,
            "rendition_dir": settings.rendition_dir,
            "secret_key_path": settings.data_dir / "secret.key",
            "scan_board_dir": settings.data_dir / "scan-status",
            "attempts_dir": settings.data_dir / "sign-in-failures",
            "http_workers": settings.http_workers,
            "rendition_bytes": settings.cover_cache_mb * 1024 * 1024,
        }
    )
    for name, value in overrides.items():
        provider = getattr(container, name, None)
        if not isinstance(provider, providers.Provider):
            raise TypeError(f"unknown provider {name!r}")
        provider.override(providers.Object(value))
    return container
