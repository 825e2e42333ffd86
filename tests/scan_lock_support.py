"""Scan locks as another process holds them: ``python -m tests.scan_lock_support URL LOCK``
takes ``LOCK`` (``lead`` or a library id) for the database at ``URL``, prints ``held`` (or
``busy``), and lets go when its standard input closes or reads ``release``.

``locks_for`` builds the locks a process has for a database URL, ``HeldElsewhere`` runs one
such process for a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bagboard.adapters.storage.locks import scan_locks_for
from bagboard.ports.scan_locks import SCANNER_LEAD, ScanLock, ScanLocks

__all__ = ["HOLDER", "HeldElsewhere", "lock_named", "locks_for"]

HOLDER = "lock holder (pid on host test)"
ROOT = Path(__file__).resolve().parents[1]


def locks_for(url: str, holder: str) -> ScanLocks:
    locks = scan_locks_for(url, holder)
    assert locks is not None, "no lock shared between processes for this database"
    return locks


def lock_named(name: str) -> ScanLock:
    return SCANNER_LEAD if name == "lead" else ScanLock.lease(int(name))


class HeldElsewhere:
    """A process of its own holding one lock of the database at ``url``."""

    def __init__(self, url: str, lock: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.scan_lock_support", url, lock],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        said = self.process.stdout.readline().strip()
        assert said == "held", f"the other process could not take the lock: {said!r}"

    def release(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("release\n")
        self.process.stdin.flush()
        self.process.wait(10)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def _main(url: str, name: str) -> None:
    locks = locks_for(url, HOLDER)
    lock = lock_named(name)
    if not locks.try_hold(lock):
        print("busy", flush=True)
        return
    print("held", flush=True)
    for line in sys.stdin:
        if line.strip() == "release":
            break
    locks.release(lock)
    locks.close()


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2])
