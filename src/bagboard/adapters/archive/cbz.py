"""ZIP members (.cbz, .zip): a plain zip's directory and small members read directly
(``zip_directory``), anything else through the standard library's zipfile."""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from typing import BinaryIO

from bagboard.adapters.archive.source import MemberSource, check_declared_size, read_capped
from bagboard.adapters.archive.zip_directory import (
    ZipDirectory,
    ZipEntry,
    read_directory,
    read_small,
)
from bagboard.adapters.nowait import read_nowait
from bagboard.domain.errors import ArchiveUnreadable

__all__ = ["ZipSource"]

_ENCRYPTED = 0x1
# What zipfile can decode; Deflate64 and PPMd zips exist in the wild and cannot be read.
_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
# A member's local header (the ZIP specification's "local file header"): its signature, then
# the lengths of the name and of the extra field that come between it and the data.
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
# How much larger than the member a deflated member may be (incompressible data grows a
# little): a header declaring more is not read on the event loop.
_SLACK = 64 * 1024


def _is_regular(info: zipfile.ZipInfo) -> bool:
    # Unix zips record the file type in the high 16 bits; a symlink's "content" is its target.
    return not info.is_dir() and not stat.S_ISLNK(info.external_attr >> 16)


def _is_plain_file(name: str, entry: ZipEntry) -> bool:
    """``_is_regular`` of a member of a directory read directly (its names are never empty)."""
    return name[-1] != "/" and not stat.S_ISLNK(entry.external_attr >> 16)


class ZipSource(MemberSource):
    """A zip by its path, or by a descriptor open on it for reading, which it then owns and
    closes.

    A plain zip's directory is read directly, and ``zipfile`` opens it only when something
    asks for more than names and small members (a large page, an unusual member, a read on
    the event loop); any other zip is opened with ``zipfile`` at once, which fails as before.
    """

    def __init__(self, path: str | int) -> None:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC) if isinstance(path, str) else path
        self._fd = fd
        self._file: BinaryIO | None = None
        self._opened: zipfile.ZipFile | None = None
        try:
            self._directory: ZipDirectory | None = read_directory(fd)
            self._entries: dict[str, ZipEntry] | None = None
            self._names: list[str] | None = None
            if self._directory is None:
                self._opened = zipfile.ZipFile(self._buffered())
            else:
                members = self._directory.members
                self._entries = dict(members)
                self._names = [name for name, entry in members if _is_plain_file(name, entry)]
        except BaseException:
            self.close()
            raise

    def _buffered(self) -> BinaryIO:
        """A buffered file on the descriptor, for zipfile (a plain read of the descriptor
        needs none: building one asks the descriptor whether it is a terminal, and more)."""
        if self._file is None:
            self._file = open(self._fd, "rb", closefd=False)  # noqa: SIM115
        return self._file

    @property
    def _zip(self) -> zipfile.ZipFile:
        if self._opened is None:
            self._opened = zipfile.ZipFile(self._buffered())
        return self._opened

    def names(self) -> list[str]:
        if self._names is not None:
            return list(self._names)
        return [info.filename for info in self._zip.infolist() if _is_regular(info)]

    def check_readable(self, name: str) -> None:
        info = self._zip.getinfo(name) if self._entries is None else self._entries.get(name)
        if info is None:  # as zipfile says it
            raise KeyError(f"There is no item named {name!r} in the archive")
        if info.flag_bits & _ENCRYPTED:
            raise ArchiveUnreadable("the archive is password-protected")
        if info.compress_type not in _METHODS:
            raise ArchiveUnreadable("the archive uses a compression method that is not supported")

    def read(self, name: str, limit: int) -> bytes:
        entry = self._entries.get(name) if self._entries is not None else None
        if entry is not None and self._directory is not None:
            check_declared_size(entry.file_size, limit)
            data = read_small(self._fd, entry, self._directory.end_of(entry))
            if data is not None:
                return data
        info = self._zip.getinfo(name)
        check_declared_size(info.file_size, limit)
        with self._zip.open(info) as stream:
            return read_capped(stream, limit)

    def read_ready(self, name: str, limit: int) -> bytes | None:
        """The member's bytes when every byte of it is in the page cache, stored or deflated,
        of at most ``limit`` bytes and whole (its CRC checks); else None, and ``read`` in a
        thread says what is wrong, if anything is."""
        # From the directory read directly when there is one: zipfile would read the
        # directory again, blocking, on the event loop.
        info = self._member(name)
        if (
            info is None
            or info.flag_bits & _ENCRYPTED
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or info.file_size > limit
            or info.compress_size > limit + _SLACK
        ):
            return None
        fd = self._fd
        header = read_nowait(fd, _LOCAL_HEADER.size, info.header_offset)
        if header is None or len(header) != _LOCAL_HEADER.size:
            return None
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        if signature != _LOCAL_SIGNATURE:
            return None
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        data = read_nowait(fd, info.compress_size, start)
        if data is None or len(data) != info.compress_size:
            return None
        if info.compress_type == zipfile.ZIP_DEFLATED:
            inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            data = inflate.decompress(data, limit + 1)
            if not inflate.eof:
                return None
        if len(data) != info.file_size or zlib.crc32(data) != info.crc:
            return None
        return data

    def _member(self, name: str) -> ZipEntry | None:
        """A regular member's entry, None for a missing name, a folder or a link."""
        if self._entries is not None:
            entry = self._entries.get(name)
            return entry if entry is not None and _is_plain_file(name, entry) else None
        info = self._zip.NameToInfo.get(name)
        if info is None or not _is_regular(info):
            return None
        return ZipEntry(
            b"",  # the raw name: not needed here
            info.flag_bits,
            info.compress_type,
            info.CRC,
            info.compress_size,
            info.file_size,
            info.header_offset,
            info.external_attr,
        )

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
        if self._file is not None:
            self._file.close()
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)
