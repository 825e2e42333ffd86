"""7z members (.cb7, .7z) through py7zr, decompressed straight into a capped memory buffer.

py7zr pushes decompressed data into writer objects made by a factory; ours refuses the write
that crosses the cap, so extraction stops there. With a factory py7zr never touches the disk.
"""

from __future__ import annotations

import py7zr
import py7zr.exceptions
import py7zr.io

from bagboard.adapters.archive.source import (
    CappedBuffer,
    MemberSource,
    check_declared_size,
)
from bagboard.domain.errors import ArchiveUnreadable

__all__ = ["SevenZipSource"]


class _CappedWriter(py7zr.io.Py7zIO):
    def __init__(self, limit: int) -> None:
        self.buffer = CappedBuffer(limit)

    def write(self, s: bytes | bytearray) -> int:
        return self.buffer.write(s)

    def read(self, size: int | None = None) -> bytes:
        # py7zr only reads back from writers it rewinds for its own BytesIO products.
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self.buffer.size


class _CappedFactory(py7zr.io.WriterFactory):
    def __init__(self, limit: int) -> None:
        self._limit = limit
        self.writers: list[_CappedWriter] = []

    def create(self, filename: str) -> py7zr.io.Py7zIO:
        writer = _CappedWriter(self._limit)
        self.writers.append(writer)
        return writer


class SevenZipSource(MemberSource):
    def __init__(self, path: str) -> None:
        try:
            self._archive = py7zr.SevenZipFile(path, mode="r")
        except py7zr.exceptions.PasswordRequired as exc:
            # Raised when even the header (the member list) is encrypted.
            raise ArchiveUnreadable("the archive is password-protected") from exc
        try:
            members = self._archive.list()
        except BaseException:
            self._archive.close()
            raise
        self._sizes = {
            info.filename: info.uncompressed
            for info in members
            if info.is_file and not info.is_symlink
        }

    def names(self) -> list[str]:
        return list(self._sizes)

    def check_readable(self, name: str) -> None:
        if name not in self._sizes:
            raise KeyError(name)
        if self._archive.needs_password():
            raise ArchiveUnreadable("the archive is password-protected")

    def read(self, name: str, limit: int) -> bytes:
        self.check_readable(name)
        check_declared_size(self._sizes[name], limit)
        factory = _CappedFactory(limit)
        # Each extraction consumes the decompressor state; rewind so reads can follow reads.
        self._archive.reset()
        self._archive.extract(targets=[name], factory=factory)
        if not factory.writers:
            raise KeyError(name)
        return factory.writers[0].buffer.getvalue()

    def close(self) -> None:
        self._archive.close()
