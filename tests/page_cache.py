"""The page cache as the download tests need it: whether this system can tell cached bytes
from the disk's (``preadv2`` with ``RWF_NOWAIT``), and a file's bytes dropped from it."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["drop_from_memory", "nowait_works"]


def nowait_works(folder: Path) -> bool:
    """Whether this system and the file system of ``folder`` tell cached bytes from the
    disk's."""
    probe = folder / "probe"
    probe.write_bytes(b"x" * 8192)
    fd = os.open(probe, os.O_RDONLY)
    try:
        return os.preadv(fd, [bytearray(8192)], 0, os.RWF_NOWAIT) == 8192
    except (AttributeError, OSError):
        return False
    finally:
        os.close(fd)
        probe.unlink()


def drop_from_memory(path: Path | str) -> None:
    """Out of the page cache: written back first, so that the kernel may let it go."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
