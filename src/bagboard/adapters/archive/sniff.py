"""Which container a file really is, from its first bytes, falling back to its extension.

Comics are often misnamed (a ``.cbr`` that is really a zip is common), so content wins.
"""

from __future__ import annotations

import os

from bagboard.domain.archive import ArchiveFormat, format_for_name
from bagboard.domain.errors import ArchiveUnreadable

__all__ = ["HEAD_BYTES", "detect_format", "open_detected", "sniff_format"]

HEAD_BYTES = 512

_MAGIC: tuple[tuple[int, bytes, ArchiveFormat], ...] = (
    (0, b"PK\x03\x04", ArchiveFormat.ZIP),
    # An empty zip starts with its end-of-directory record; a spanned one with this marker.
    (0, b"PK\x05\x06", ArchiveFormat.ZIP),
    (0, b"PK\x07\x08", ArchiveFormat.ZIP),
    # RAR 1.5-4 and RAR5 share the first six bytes.
    (0, b"Rar!\x1a\x07", ArchiveFormat.RAR),
    (0, b"7z\xbc\xaf\x27\x1c", ArchiveFormat.SEVEN_ZIP),
    # POSIX and GNU tar both put "ustar" in the first header block.
    (257, b"ustar", ArchiveFormat.TAR),
    (0, b"%PDF-", ArchiveFormat.PDF),
)


def sniff_format(head: bytes) -> ArchiveFormat | None:
    """The format announced by the leading bytes of a file, if any."""
    for offset, magic, archive_format in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return archive_format
    return None


def detect_format(path: str) -> ArchiveFormat:
    """The format to open ``path`` with: its magic bytes, else what its extension claims.

    The extension still matters for files without a recognisable signature (old v7 tar,
    self-extracting or prefixed zips); the format's own reader then decides.
    """
    archive_format, fd = open_detected(path)
    os.close(fd)
    return archive_format


def open_detected(path: str) -> tuple[ArchiveFormat, int]:
    """``detect_format`` and a descriptor open on the file it read: a reader that can take
    one (zip) opens the file once. A bare descriptor, read at an offset: a buffered file
    would also ask whether the file is a terminal, where it stands, and more, for each comic."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        head = os.pread(fd, HEAD_BYTES, 0)
        archive_format = sniff_format(head) or format_for_name(path)
        if archive_format is None:
            raise ArchiveUnreadable("not a comic archive (zip, rar, 7z, tar or pdf)")
    except BaseException:
        os.close(fd)
        raise
    return archive_format, fd
