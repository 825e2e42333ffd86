"""What every container format offers the reader, and the size-capped read they all share."""

from __future__ import annotations

from typing import Protocol

__all__ = [
    "CHUNK_BYTES",
    "CappedBuffer",
    "MemberSource",
    "MemberTooLarge",
    "Readable",
    "check_declared_size",
    "read_capped",
]

# Small enough that overshooting a cap costs little, large enough to keep the loop cheap.
CHUNK_BYTES = 64 * 1024


class MemberTooLarge(Exception):
    """A member inflates past the cap it is read with; the read stops as soon as it is known."""


class MemberSource(Protocol):
    """One opened archive. Members are read into memory only, never extracted to disk."""

    def names(self) -> list[str]:
        """Names of the regular file members (no directories, links or special entries)."""
        ...

    def check_readable(self, name: str) -> None:
        """Raise ``ArchiveUnreadable`` when ``name`` cannot be decoded here (a password, a
        compression method whose tool is missing); ``KeyError`` when there is no such member."""
        ...

    def read(self, name: str, limit: int) -> bytes:
        """The member's bytes; ``MemberTooLarge`` when it declares or inflates past ``limit``."""
        ...

    def close(self) -> None: ...


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def check_declared_size(declared: int | None, limit: int) -> None:
    """Refuse early when the header admits the member is too large, before inflating anything."""
    if declared is not None and declared > limit:
        raise MemberTooLarge


def read_capped(stream: Readable, limit: int) -> bytes:
    """Read a decompressing stream to its end, refusing more than ``limit`` bytes.

    Bytes are counted as they arrive because a header's declared size may lie; at most
    ``limit + 1`` bytes are ever pulled, so a bomb is never inflated in memory.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK_BYTES, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise MemberTooLarge
        chunks.append(chunk)


class CappedBuffer:
    """A write-side sink for libraries that push decompressed data (py7zr) instead of
    letting it be pulled; it refuses the write that would cross the cap."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray) -> int:
        if self._size + len(data) > self._limit:
            raise MemberTooLarge
        self._chunks.append(bytes(data))
        self._size += len(data)
        return len(data)

    @property
    def size(self) -> int:
        return self._size

    def getvalue(self) -> bytes:
        return b"".join(self._chunks)
