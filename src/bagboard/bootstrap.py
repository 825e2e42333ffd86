"""The composition root: the one place that picks adapters and wires services.

``build()`` is used by the server, the CLI and tests alike. Nothing happens at import time; the
database engine (and its migrations) is created on first use.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dependency_injector import containers, providers
from sqlalchemy.engine import Engine

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.clock import SystemClock
from bagboard.adapters.filesystem.renditions import DiskRenditionCache
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.filesystem.watch import WatchfilesWatcher
from bagboard.adapters.images.memory_cache import MemoryRenditionCache
from bagboard.adapters.images.pillow import PillowImages
from bagboard.adapters.memory.browse import MemoryFolderBrowser, MemoryMetadataBrowser
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.pages import MemoryPageCatalog
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.shelves import MemoryShelves
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.storage.admin.libraries import SqlLibraryStore
from bagboard.adapters.storage.admin.settings import SqlSettingsStore
from bagboard.adapters.storage.admin.tokens import SqlTokenStore
from bagboard.adapters.storage.admin.users import SqlUserStore
from bagboard.adapters.storage.browse.folders import SqlFolderBrowser
from bagboard.adapters.storage.browse.metadata import SqlMetadataBrowser
from bagboard.adapters.storage.db.engine import make_engine
from bagboard.adapters.storage.db.migrate import upgrade
from bagboard.adapters.storage.index.pages import SqlPageCatalog
from bagboard.adapters.storage.index.store import SqlLibraryIndex
from bagboard.adapters.storage.lists.shelves import SqlShelves
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.config import Settings
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.progress_store import ProgressStore
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.browse import BrowseService
from bagboard.services.cached_stores import CachedLibraryStore, CachedSettingsStore
from bagboard.services.issues import IssueService
from bagboard.services.libraries import LibraryService
from bagboard.services.monitor import LibraryMonitor
from bagboard.services.progress import ProgressService
from bagboard.services.scan.scanner import InspectMap, Scanner
from bagboard.services.settings import SettingsService
from bagboard.version import __version__
from bagboard.workers import exit_with

if TYPE_CHECKING:
    from bagboard.adapters.http.app import HttpServices

MEMORY = "memory"
SQL = "sql"

# How long a server trusts what it read of tokens, libraries and settings: a change made with
# the `bagboard` command while the server runs applies within this many seconds.
REQUEST_CACHE_SECONDS = 2

_A = TypeVar("_A")
_R = TypeVar("_R")

# Rendered covers and resized pages: on disk in the data folder, and the most recent in memory
# so a cover asked for again is answered without a thread or a disk read.
HOT_RENDITION_BYTES = 64 * 1024 * 1024
# Archives kept open between page requests (see adapters/archive/open_archives.py).
OPEN_ARCHIVES = 16

# Below this many files a pool costs more than it saves: starting the worker processes takes
# about as long as reading a few hundred comics inline (bench/scan.py, "touching 1%" row).
POOL_THRESHOLD = 500


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


def _inspect_pool(workers: int) -> Iterator[Executor | None]:
    """A process pool sized to the CPUs for reading archives; ``workers=0`` reads serially.

    Reading ComicInfo and page lists is CPU work under the GIL, so processes (not threads) are
    what scale it. ``forkserver`` keeps the server's threads out of the children.
    """
    if workers <= 0:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        # Workers outlive a server killed outright unless they watch it (``workers``).
        initializer=exit_with,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    finally:
        with contextlib.suppress(OSError):  # a broken pool may fail to close its pipes
            pool.shutdown(wait=True, cancel_futures=True)


class PoolMap:
    """``InspectMap`` over an optional pool: small batches run inline, big ones in the pool.

    A pool that breaks (a worker killed) is discarded, so the next batch gets a fresh one.
    """

    def __init__(self, pool: Callable[[], Executor | None], reset: Callable[[], object]) -> None:
        self._pool = pool
        self._reset = reset

    def __call__(self, fn: Callable[[_A], _R], items: Iterable[_A], /) -> Iterator[_R]:
        work = list(items)
        if len(work) < POOL_THRESHOLD:
            return map(fn, work)
        pool = self._pool()
        if pool is None:
            return map(fn, work)
        return self._guarded(pool.map(fn, work, chunksize=8))

    def _guarded(self, results: Iterator[_R]) -> Iterator[_R]:
        try:
            yield from results
        except BrokenExecutor:
            self._reset()
            raise


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    clock = providers.Singleton(SystemClock)
    engine = providers.Resource(_migrated_engine, config.database_url)

    users = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryUserStore),
        sql=providers.Singleton(SqlUserStore, engine),
    )
    tokens = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryTokenStore),
        sql=providers.Singleton(SqlTokenStore, engine),
    )
    _library_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryLibraryStore),
        sql=providers.Singleton(SqlLibraryStore, engine),
    )
    # Read on every request: remembered briefly (see domain/cached_stores.py).
    libraries = providers.Singleton(
        CachedLibraryStore, _library_store, clock, timedelta(seconds=REQUEST_CACHE_SECONDS)
    )
    _settings_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemorySettingsStore),
        sql=providers.Singleton(SqlSettingsStore, engine),
    )
    settings_store = providers.Singleton(
        CachedSettingsStore, _settings_store, clock, timedelta(seconds=REQUEST_CACHE_SECONDS)
    )

    library_index = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryLibraryIndex),
        sql=providers.Singleton(SqlLibraryIndex, engine),
    )
    folder_browser = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryFolderBrowser, library_index),
        sql=providers.Singleton(SqlFolderBrowser, engine),
    )
    metadata_browser = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryMetadataBrowser, library_index),
        sql=providers.Singleton(SqlMetadataBrowser, engine),
    )
    shelves = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryShelves, library_index),
        sql=providers.Singleton(SqlShelves, engine),
    )
    progress_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryProgressStore, library_index),
        sql=providers.Singleton(SqlProgressStore, engine),
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
    watcher = providers.Singleton(WatchfilesWatcher)
    inspect_pool = providers.Resource(_inspect_pool, config.workers)

    accounts = providers.Factory(AccountService, users, tokens, clock)
    # Singletons so their short-lived caches serve every request (see domain/recent_cache.py).
    authenticator = providers.Singleton(
        Authenticator, users, tokens, clock, cache_ttl=timedelta(seconds=REQUEST_CACHE_SECONDS)
    )
    library_service = providers.Factory(LibraryService, libraries)
    settings_service = providers.Factory(SettingsService, settings_store)
    # A singleton: it remembers which covers failed, so each is logged and tried once.
    issue_service = providers.Singleton(
        IssueService,
        library_index,
        libraries,
        progress_store,
        page_reader,
        page_images,
        hot_renditions,
        renditions,
        page_catalog,
        clock,
        cache_ttl=timedelta(seconds=REQUEST_CACHE_SECONDS),
    )
    browse_service = providers.Singleton(
        BrowseService,
        folder_browser,
        metadata_browser,
        progress_store,
        shelves,
        library_index,
        libraries,
        settings_store,
        clock,
        cache_ttl=timedelta(seconds=REQUEST_CACHE_SECONDS),
    )
    progress_service = providers.Factory(
        ProgressService, progress_store, library_index, libraries, clock
    )


class Bagboard:
    """Typed access to a wired container: what the CLI, the server and tests use."""

    def __init__(self, container: Container, settings: Settings) -> None:
        self._container = container
        self.settings = settings

    def accounts(self) -> AccountService:
        service: AccountService = self._container.accounts()
        return service

    def authenticator(self) -> Authenticator:
        service: Authenticator = self._container.authenticator()
        return service

    def libraries(self) -> LibraryService:
        service: LibraryService = self._container.library_service()
        return service

    def settings_service(self) -> SettingsService:
        service: SettingsService = self._container.settings_service()
        return service

    def browse(self) -> BrowseService:
        service: BrowseService = self._container.browse_service()
        return service

    def progress(self) -> ProgressService:
        service: ProgressService = self._container.progress_service()
        return service

    def issues(self) -> IssueService:
        service: IssueService = self._container.issue_service()
        return service

    def inspect_map(self) -> InspectMap:
        """How the scanner reads archives: through the process pool, made on first need."""
        container = self._container

        def pool() -> Executor | None:
            executor: Executor | None = container.inspect_pool()
            return executor

        def reset() -> None:
            container.inspect_pool.shutdown()

        return PoolMap(pool, reset)

    def scanner(self) -> Scanner:
        container = self._container
        return Scanner(
            container.library_index(),
            container.file_tree(),
            container.archive_reader(),
            container.clock(),
            inspect_map=self.inspect_map(),
        )

    def formats(self) -> dict[str, bool]:
        """Which archive formats can be read on this machine."""
        reader: FileArchiveReader = self._container.archive_reader()
        return reader.formats()

    def monitor(self, rescan_interval: timedelta) -> LibraryMonitor:
        scanner = self.scanner()

        def scan(library: Library) -> object:
            return scanner.scan(library)

        container = self._container
        return LibraryMonitor(
            container.libraries(),
            container.watcher(),
            scan,
            container.clock(),
            rescan_interval=rescan_interval,
        )

    def library_index(self) -> LibraryIndex:
        index: LibraryIndex = self._container.library_index()
        return index

    def progress_store(self) -> ProgressStore:
        store: ProgressStore = self._container.progress_store()
        return store

    def engine(self) -> Engine:
        """The SQL engine (created and migrated on first use); only with SQL storage."""
        if self._container.config.storage() != SQL:
            raise RuntimeError("this bagboard keeps its data in memory")
        engine: Engine = self._container.engine()
        return engine

    def prepare_storage(self) -> None:
        """Create the database and apply migrations now rather than on the first request."""
        if self._container.config.storage() == SQL:
            self._container.engine()

    def http_services(self) -> HttpServices:
        # Imported here, not at the top: a program that uses bagboard as a library never loads
        # the web framework (tests/unit/test_public_api.py checks it).
        from bagboard.adapters.http.app import HttpServices

        # Plain closures, not bound methods: Litestar deep-copies its handlers' dependencies,
        # and a function is copied by reference while a bound method would drag the container.
        container = self._container

        def authenticator() -> Authenticator:
            service: Authenticator = container.authenticator()
            return service

        def settings() -> SettingsService:
            service: SettingsService = container.settings_service()
            return service

        def browse() -> BrowseService:
            service: BrowseService = container.browse_service()
            return service

        def issues() -> IssueService:
            service: IssueService = container.issue_service()
            return service

        def progress() -> ProgressService:
            service: ProgressService = container.progress_service()
            return service

        return HttpServices(
            authenticator=authenticator,
            settings=settings,
            version=__version__,
            browse=browse,
            issues=issues,
            progress=progress,
            public_url=self.settings.public_url,
            trusted_proxies=self.settings.trusted_proxies,
        )

    def create_app(self, *, debug: bool = False, access_log: bool = False) -> Any:
        """The ASGI app; with ``access_log``, wrapped so that every request is logged, whatever
        answers it (the access log sits outside the framework's error handling)."""
        from bagboard.adapters.http.access_log import AccessLogMiddleware
        from bagboard.adapters.http.app import create_app

        app = create_app(self.http_services(), debug=debug)
        return AccessLogMiddleware(app) if access_log else app

    def close(self) -> None:
        """Release the database engine, if one was opened."""
        self._container.shutdown_resources()


def build(
    settings: Settings, *, memory: bool = False, workers: int | None = None, **overrides: object
) -> Bagboard:
    """Wire bagboard for ``settings``; ``memory=True`` swaps every store for its memory twin.

    ``workers`` sizes the archive-reading process pool (default: one per CPU; 0 reads serially).
    ``overrides`` replace any provider by name with a ready object (``clock=ManualClock()``).
    """
    container = Container()
    container.config.from_dict(
        {
            "storage": MEMORY if memory else SQL,
            "database_url": settings.database_url,
            "workers": (os.cpu_count() or 1) if workers is None else workers,
            "rendition_dir": settings.data_dir / "renditions",
            "rendition_bytes": settings.cover_cache_mb * 1024 * 1024,
        }
    )
    for name, value in overrides.items():
        provider = getattr(container, name, None)
        if not isinstance(provider, providers.Provider):
            raise TypeError(f"unknown provider {name!r}")
        provider.override(providers.Object(value))
    return Bagboard(container, settings)
