"""Scan locks of processes sharing one SQLite file: ``flock`` on files beside it.

The locks live in ``<database file>.locks/`` (``bagboard.db.locks/lead``,
``bagboard.db.locks/library-3``), beside the database wherever it is, as SQLite's own ``-wal``
and ``-shm`` files are: every process that opens the database finds them. The kernel lets a
lock go when the process holding it dies, however it dies. The holder's description is
written into the file once locked, and emptied on release (a killed holder's stays behind,
harmless: only a locked file's description is read).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from pathlib import Path

from bagboard.domain.errors import StorageUnavailable
from bagboard.ports.scan_locks import ScanLock, ScanLocks

__all__ = ["FileScanLocks", "lock_folder"]

# A description is a short line; more is never read back.
_MAX_DESCRIPTION = 200


def lock_folder(database_file: str | Path) -> Path:
    """The folder of the lock files of the SQLite database at ``database_file``."""
    path = Path(database_file)
    return path.with_name(path.name + ".locks")


class FileScanLocks(ScanLocks):
    def __init__(self, folder: Path, holder: str) -> None:
        self._folder = folder
        self._description = holder.encode("utf-8", "replace")[:_MAX_DESCRIPTION]
        self._guard = threading.Lock()
        self._held: dict[ScanLock, int] = {}  # lock -> the descriptor holding it

    def _path(self, lock: ScanLock) -> Path:
        name = "lead" if lock.library_id is None else f"library-{int(lock.library_id)}"
        return self._folder / name

    def try_hold(self, lock: ScanLock) -> bool:
        with self._guard:
            if lock in self._held:
                return False
            path = self._path(lock)
            try:
                self._folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise StorageUnavailable("the scan lock files cannot be written") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            # Locked, but maybe a file someone removed meanwhile: then no other process would
            # see this lock, and it does not count.
            if not _same_file(fd, path):
                os.close(fd)
                return False
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, self._description, 0)
            self._held[lock] = fd
            return True

    def still_held(self, lock: ScanLock) -> bool:
        with self._guard:
            fd = self._held.get(lock)
            return fd is not None and _same_file(fd, self._path(lock))

    def release(self, lock: ScanLock) -> None:
        with self._guard:
            fd = self._held.pop(lock, None)
            if fd is not None:
                _let_go(fd)

    def holder(self, lock: ScanLock) -> str | None:
        try:
            with self._path(lock).open("rb") as file:
                text = file.read(_MAX_DESCRIPTION).decode("utf-8", "replace").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageUnavailable("the scan lock files cannot be read") from exc
        return text or None

    def close(self) -> None:
        with self._guard:
            for fd in self._held.values():
                _let_go(fd)
            self._held.clear()


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, named = os.fstat(fd), path.stat()
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (named.st_dev, named.st_ino)


def _let_go(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
    os.close(fd)  # closing the last descriptor of the file unlocks it
