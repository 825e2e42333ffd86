"""bagboard without the server: open a data folder, a database or memory, and use the domain.

``open_library`` wires the same services the HTTP server uses (``bootstrap.build``), so a
script that scans, browses or syncs progress through it sees exactly what reader apps see, and
may run beside a server on the same data folder. The web framework is never imported.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from bagboard.bootstrap import Bagboard, build
from bagboard.config import load_settings
from bagboard.domain.errors import UserNotFound
from bagboard.domain.model import Library, User
from bagboard.services.accounts import AccountService
from bagboard.services.browse import BrowseService
from bagboard.services.issues import IssueService
from bagboard.services.libraries import LibraryService
from bagboard.services.progress import ProgressService
from bagboard.services.scan.progress import ProgressCallback
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.settings import SettingsService

StrPath = str | os.PathLike[str]


class ComicLibrary:
    """An opened bagboard: its domain services, and the few steps that take more than one.

    Services take a ``User`` first (what they show depends on whose libraries, shelves and
    progress they are); ``user()`` gives one. Lists take and return the server's pagination
    objects, ``PageRequest`` and ``Page``. Close it (or use ``with``) to release the database.
    """

    def __init__(self, board: Bagboard) -> None:
        self._board = board

    @property
    def browse(self) -> BrowseService:
        """Publishers, series and issues in both modes, recent comics, the shelves."""
        return self._board.browse()

    @property
    def issues(self) -> IssueService:
        """One comic: its detail and ComicInfo, its page list, pages and cover images."""
        return self._board.issues()

    @property
    def progress(self) -> ProgressService:
        """Reading positions and read marks by path, and the sync feed."""
        return self._board.progress()

    @property
    def accounts(self) -> AccountService:
        """Users and API tokens."""
        return self._board.accounts()

    @property
    def libraries(self) -> LibraryService:
        """The library folders: add, list, enable, disable."""
        return self._board.libraries()

    @property
    def settings(self) -> SettingsService:
        """Server-wide settings, such as the default browse mode."""
        return self._board.settings_service()

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
        while comics are indexed; the index of that library is then left as it was.
        """
        if root is None:
            targets = self.libraries.list(enabled_only=True)
        else:
            targets = [self.add_folder(root)]
        scanner = self._board.scanner()
        return [scanner.scan(library, full=full, progress=progress) for library in targets]

    def user(self, name: str | None = None) -> User:
        """The user named ``name``, created (as a reader) when there is none; without a name,
        the owner, who sees every library."""
        if name is None:
            return self.accounts.owner()
        try:
            return self.accounts.user(name)
        except UserNotFound:
            return self.accounts.add_user(name)

    def close(self) -> None:
        """Release the database and the archive-reading processes."""
        self._board.close()

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
    """Open the bagboard kept in ``data_dir`` (default ``./bagboard-data``): its SQLite
    database, created and migrated on first use, and its cache of rendered covers.

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
    return ComicLibrary(build(settings, memory=memory, workers=workers))
