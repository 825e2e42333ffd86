"""The attempt log (``ports/attempt_log.py``) as small files in a folder the processes of one
server share: one per key, named by a hash of it (never the name or address itself), a line
per failure appended whole. A file is cut back to its last lines once long, and files no
failure touched for a while are removed now and then, so a flood of addresses leaves little.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from bagboard.ports.attempt_log import AttemptLog

__all__ = ["FileAttemptLog"]

# Times kept per key when a file is cut back: more than any limit counts.
KEEP = 64
# Files untouched this long (seconds) are removed, every SWEEP_EVERY failures of a process.
STALE_SECONDS = 3600
SWEEP_EVERY = 256


class FileAttemptLog(AttemptLog):
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._prefix = f"{folder}{os.sep}"
        self._adds = itertools.count(1)

    def _file(self, key: str) -> str:
        # A plain string: asked on every password check, where pathlib's cost shows.
        digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:40]
        return f"{self._prefix}{digest}"

    def add(self, key: str, at: datetime) -> None:
        path = self._file(key)
        with contextlib.suppress(OSError):
            self._folder.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(descriptor, f"{at.timestamp():.6f}\n".encode())
                long = os.fstat(descriptor).st_size > 2 * KEEP * 18
            finally:
                os.close(descriptor)
            if long:
                self._cut(Path(path))
        if next(self._adds) % SWEEP_EVERY == 0:
            self._sweep()

    def times(self, key: str) -> list[datetime]:
        try:
            descriptor = os.open(self._file(key), os.O_RDONLY)
        except OSError:  # mostly: no failure of that key
            return []
        try:
            lines = os.read(descriptor, 1 << 16).decode("ascii", "replace").split()
        except OSError:
            return []
        finally:
            os.close(descriptor)
        found = []
        for line in lines[-KEEP:]:
            with contextlib.suppress(ValueError, OverflowError, OSError):
                found.append(datetime.fromtimestamp(float(line), UTC))
        return found

    def forget(self, key: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self._file(key))  # noqa: PTH108 (a plain path: asked on every check)

    def _cut(self, path: Path) -> None:
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        with contextlib.suppress(OSError):
            kept = path.read_text(encoding="ascii").split()[-KEEP:]
            temporary.write_text("".join(f"{line}\n" for line in kept), encoding="ascii")
            temporary.replace(path)

    def _sweep(self) -> None:
        cutoff = time.time() - STALE_SECONDS
        with contextlib.suppress(OSError):
            for path in self._folder.iterdir():
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
