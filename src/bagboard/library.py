"""The one facade over a wired bagboard: for Python programs, the CLI and the server alike.

``open_library`` wires the same services the HTTP server uses (``bootstrap.build``), so a
script that scans, browses or syncs progress through it sees exactly what reader apps see, and
may run beside a server on the same data folder. The web framework is imported only by
``create_app``, which a program using bagboard as a library never calls.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from bagboard.adapters.archive.reader import FileArchiveReader
from bagboard.bootstrap import SQL, Container, build
from bagboard.config import Settings, load_settings
from bagboard.domain.errors import UserNotFound
from bagboard.domain.model import Library, Role, User
from bagboard.library_db import DatabaseSteps
from bagboard.library_lists import AfterScanSteps
from bagboard.library_scans import ScanSteps
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.browse import BrowseService
from bagboard.services.cover_warming import CoverWarmer
from bagboard.services.issues import IssueService
from bagboard.services.libraries import LibraryService, RemovedLibrary
from bagboard.services.problems import ProblemService
from bagboard.services.progress import ProgressService
from bagboard.services.renditions import RenditionService
from bagboard.services.scan.progress import ProgressCallback
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.settings import SettingsService
from bagboard.services.shelves import ShelfService
from bagboard.services.web_sessions import WebSessionService

__all__ = ["ComicLibrary", "StrPath", "open_library"]

StrPath = str | os.PathLike[str]


class ComicLibrary(AfterScanSteps, DatabaseSteps, ScanSteps):
    """An opened bagboard: its domain services, and the few steps that take more than one.

    Services take a ``User`` first (what they show depends on whose libraries, shelves and
    progress they are); ``user()`` gives one. Lists take and return the server's pagination
    objects, ``PageRequest`` and ``Page``. Close it (or use ``with``) to release the database.
    """

    def __init__(self, container: Container, config: Settings) -> None:
        self._container = container
        self.config = config
        """What it was opened with: data folder, database, address, logging."""

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        memory: bool = False,
        workers: int | None = None,
        **overrides: object,
    ) -> ComicLibrary:
        """Wire a library for ``settings`` (see ``bootstrap.build`` for the other arguments)."""
        return cls(build(settings, memory=memory, workers=workers, **overrides), settings)

    @property
    def container(self) -> Container:
        """The wired container, for what the facade does not cover (tests, maintenance)."""
        return self._container

    # --- the services -----------------------------------------------------------------------

    @property
    def browse(self) -> BrowseService:
        """Publishers, series and issues in both modes, recent comics, the shelves."""
        service: BrowseService = self._container.browse_service()
        return service

    @property
    def shelves(self) -> ShelfService:
        """Each user's favorites and want-to-read list."""
        service: ShelfService = self._container.shelf_service()
        return service

    @property
    def issues(self) -> IssueService:
        """One comic: its detail and ComicInfo, its page list, pages and cover images."""
        service: IssueService = self._container.issue_service()
        return service

    @property
    def renditions(self) -> RenditionService:
        """Covers, resized and streamed pages, rendered once and cached."""
        service: RenditionService = self._container.rendition_service()
        return service

    def cover_warmer(self) -> CoverWarmer:
        """Renders the covers of chosen libraries ahead of time (``bagboard covers warm``)."""
        warmer: CoverWarmer = self._container.cover_warmer()
        return warmer

    @property
    def progress(self) -> ProgressService:
        """Reading positions and read marks by path, and the sync feed."""
        service: ProgressService = self._container.progress_service()
        return service

    @property
    def accounts(self) -> AccountService:
        """Users and API tokens."""
        service: AccountService = self._container.accounts()
        return service

    @property
    def authenticator(self) -> Authenticator:
        """Who an ``Authorization`` header belongs to, as the server decides it."""
        service: Authenticator = self._container.authenticator()
        return service

    @property
    def web_sessions(self) -> WebSessionService:
        """Passwords, web sign-in sessions and the first-run setup link."""
        service: WebSessionService = self._container.web_sessions()
        return service

    @property
    def libraries(self) -> LibraryService:
        """The library folders: add, list, enable, disable."""
        service: LibraryService = self._container.library_service()
        return service

    @property
    def problems(self) -> ProblemService:
        """The files the scans could not read, by library."""
        service: ProblemService = self._container.problem_service()
        return service

    @property
    def settings(self) -> SettingsService:
        """Server-wide settings, such as the default browse mode."""
        service: SettingsService = self._container.settings_service()
        return service

    # --- steps that take more than one service ----------------------------------------------

    def add_folder(self, root: StrPath, name: str | None = None) -> Library:
        """The library at ``root`` (resolved to an absolute path), added when it is new."""
        return self.libraries.ensure(str(Path(root).resolve()), name)

    def scan(
        self,
        root: StrPath | None = None,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
    ) -> list[ScanReport]:
        """Index the library at ``root`` (added when new), or every enabled library.

        Raises ``InvalidPath`` when a library folder is missing, unreadable, or suddenly empty
        while comics are indexed; the index of that library is then left as it was. A library
        another process scans meanwhile is scanned once that process is done (``scan_lease``).
        """
        if root is None:
            targets = self.libraries.list(enabled_only=True)
        else:
            targets = [self.add_folder(root)]
        scanner = self.scanner()
        reports = []
        for library in targets:
            with self.scan_lease(library):
                reports.append(scanner.scan(library, full=full, progress=progress))
        self.after_scan(reports)
        return reports

    def find_library(self, target: StrPath) -> Library:
        """The library at ``target``, a path resolved as ``add_folder`` resolves it or taken as
        given (the folder may be gone from disk), else the library named ``target``."""
        raw = str(target)
        path = Path(raw).expanduser()
        return self.libraries.find(raw, [str(path.resolve()), str(path.absolute())])

    def remove_library(self, target: StrPath) -> RemovedLibrary:
        """Forget the library ``find_library`` finds, and its index. Reading positions and
        read marks stay, by path: adding the folder back and scanning it brings them back.
        Shelf entries in it and users' grants of it go."""
        return self.libraries.remove(self.find_library(target))

    def update_user(
        self,
        name: str,
        *,
        role: Role | None = None,
        library_ids: Iterable[int] | None = None,
        all_libraries: bool = False,
    ) -> User:
        """Change a user's role or library allowance (``AccountService.update_user``); every
        running server sees the change on its next request."""
        user = self.accounts.update_user(
            name, role=role, library_ids=library_ids, all_libraries=all_libraries
        )
        self.authenticator.forget()
        return user

    def remove_user(self, name: str) -> User:
        """Delete a user, its tokens and its reading state (``AccountService.remove_user``);
        every running server refuses its tokens from its next request on."""
        user = self.accounts.remove_user(name)
        self.authenticator.forget()
        return user

    def user(self, name: str | None = None) -> User:
        """The user named ``name``, created (as a reader) when there is none; without a name,
        the owner, who sees every library."""
        if name is None:
            return self.accounts.owner()
        try:
            return self.accounts.user(name)
        except UserNotFound:
            return self.accounts.add_user(name)

    # --- running a server -------------------------------------------------------------------

    def formats(self) -> dict[str, bool]:
        """Which archive formats can be read on this machine."""
        formats: dict[str, bool] = self._container.archive_reader().formats()
        return formats

    def prepare_storage(self) -> None:
        """Create the database and apply migrations now rather than on the first request."""
        if self._container.config.storage() == SQL:
            self._container.engine()

    def create_app(self, *, debug: bool = False, access_log: bool = False) -> Any:
        """The ASGI app serving this library; with ``access_log``, every request is logged."""
        # Imported here, not at the top: a program that uses bagboard as a library never loads
        # the web framework (tests/unit/test_public_api.py checks it).
        from bagboard.web import create_app

        return create_app(self._container, self.config, debug=debug, access_log=access_log)

    def close(self) -> None:
        """Release the database, the archive-reading processes and the archives kept open."""
        # What is noted and not yet written (pages streamed with tracking, last uses of tokens
        # and web sessions), first, while the database is still there: the resources are shut
        # down in no order that would see to it.
        if self._container.page_tracker.initialized:
            self._container.page_tracker.shutdown()
        for touches in (self._container.token_touch_writer, self._container.session_touch_writer):
            if touches.initialized:
                touches.shutdown()
        reader: FileArchiveReader = self._container.page_reader()
        reader.close()
        self._container.shutdown_resources()

    def __enter__(self) -> ComicLibrary:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def open_library(
    data_dir: StrPath | None = None,
    *,
    database_url: str | None = None,
    memory: bool = False,
    workers: int | None = 0,
) -> ComicLibrary:
    """Open the bagboard kept in ``data_dir``: its SQLite database, created and migrated on
    first use, and its cache of rendered covers. The default is the ``bagboard`` command's:
    this user's data folder (``~/.local/share/bagboard`` on Linux), or an older version's
    ``./bagboard-data`` when the current folder has one.

    ``database_url`` uses another database (``postgresql+psycopg://...``), as ``bagboard
    --database-url`` does. ``memory=True`` keeps everything in memory (nothing is written;
    the comics are still read from disk): fast and throwaway, for tests and one-off scripts.
    ``workers`` is how many processes read archives while scanning: 0 (the default) reads in
    this process; ``None`` starts one per CPU for large libraries, which, like any
    ``multiprocessing`` user, needs the script's entry point behind
    ``if __name__ == "__main__":``. Environment variables are not read: what is opened is
    what the call says.
    """
    settings = load_settings(
        data_dir=None if data_dir is None else str(data_dir),
        database_url=database_url,
        environ={},
    )
    return ComicLibrary.from_settings(settings, memory=memory, workers=workers)
