"""The scan board (``ports/scan_board.py``) as files in a folder every process of the server
shares: one file per library, written whole and renamed into place (a reader sees the old
post or the new one, never half of one), naming the process that wrote it."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from pathlib import Path

from bagboard.ports.scan_board import Posted, ScanBoard

__all__ = ["FileScanBoard"]


class FileScanBoard(ScanBoard):
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._host = socket.gethostname()

    def _file(self, library_id: int) -> Path:
        return self._folder / f"library-{int(library_id)}.json"

    def post(self, library_id: int, document: str) -> None:
        target = self._file(library_id)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        body = {"pid": os.getpid(), "host": self._host, "document": document}
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(body), encoding="utf-8")
            temporary.replace(target)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            for post in self._folder.glob("library-*.json"):
                with contextlib.suppress(OSError):
                    post.unlink()

    def read(self, library_id: int) -> Posted | None:
        try:
            body = json.loads(self._file(library_id).read_text(encoding="utf-8"))
            document, pid, host = str(body["document"]), int(body["pid"]), str(body["host"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        # Another machine's process (a folder shared over the network) cannot be asked.
        return Posted(document, host != self._host or _alive(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True
