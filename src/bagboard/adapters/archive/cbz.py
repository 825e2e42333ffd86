"""ZIP members (.cbz, .zip) through the standard library's zipfile."""

from __future__ import annotations

import stat
import zipfile
from typing import BinaryIO

from bagboard.adapters.archive.source import MemberSource, check_declared_size, read_capped
from bagboard.domain.errors import ArchiveUnreadable

__all__ = ["ZipSource"]

_ENCRYPTED = 0x1
# What zipfile can decode; Deflate64 and PPMd zips exist in the wild and cannot be read.
_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


def _is_regular(info: zipfile.ZipInfo) -> bool:
    # Unix zips record the file type in the high 16 bits; a symlink's "content" is its target.
    return not info.is_dir() and not stat.S_ISLNK(info.external_attr >> 16)


class ZipSource(MemberSource):
    """A zip by its path, or by a file open on it, which it then owns and closes."""

    def __init__(self, path: str | BinaryIO) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except BaseException:
            if not isinstance(path, str):
                path.close()
            raise
        self._file = None if isinstance(path, str) else path

    def names(self) -> list[str]:
        return [info.filename for info in self._zip.infolist() if _is_regular(info)]

    def check_readable(self, name: str) -> None:
        info = self._zip.getinfo(name)
        if info.flag_bits & _ENCRYPTED:
            raise ArchiveUnreadable("the archive is password-protected")
        if info.compress_type not in _METHODS:
            raise ArchiveUnreadable("the archive uses a compression method that is not supported")

    def read(self, name: str, limit: int) -> bytes:
        info = self._zip.getinfo(name)
        check_declared_size(info.file_size, limit)
        with self._zip.open(info) as stream:
            return read_capped(stream, limit)

    def close(self) -> None:
        self._zip.close()
        if self._file is not None:
            self._file.close()
