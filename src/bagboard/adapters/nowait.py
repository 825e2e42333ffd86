"""Reads that never wait for the disk: what the page cache holds, or nothing.

``preadv2(RWF_NOWAIT)`` reads what is in the page cache and refuses (``EAGAIN``) rather than
read the disk. The event loop reads through it what a request needs when every byte is in
memory (a comic file served lately, a page of an archive read lately), and hands anything
else to a worker thread, where a cold file costs a thread, never the loop.
"""

from __future__ import annotations

import os
from typing import Final

__all__ = ["NOWAIT", "read_nowait"]

NOWAIT: Final = getattr(os, "RWF_NOWAIT", 0)  # Linux only: elsewhere nothing is "ready"


def read_nowait(fd: int, count: int, offset: int) -> bytes | None:
    """Up to ``count`` bytes at ``offset`` that are in the page cache (fewer when only a first
    part is; ``b""`` at the end), or None when the first byte would need the disk. ``OSError``
    when the file system cannot tell (``EOPNOTSUPP``)."""
    if not NOWAIT or count <= 0:
        return None if count > 0 else b""
    buffer = bytearray(count)
    try:
        got = os.preadv(fd, [buffer], offset, NOWAIT)
    except BlockingIOError:  # EAGAIN: not all in memory
        return None
    if got == count:
        return bytes(buffer)
    return bytes(memoryview(buffer)[:got])
