"""A zip's central directory read straight from its bytes, for the zips that need nothing more.

Opening a comic with ``zipfile`` costs as much as the rest of its inspection: a dozen reads
and seeks through a buffered file to find and read the directory, and a ``ZipInfo`` built per
member; reading its ComicInfo.xml a few more, through ``ZipExtFile``. ``read_directory`` reads
the end of the file once and unpacks the directory itself; ``read_small`` reads a member of a
known size with one more read. Both answer only when the zip is of the plain kind whose answer
is certainly ``zipfile``'s (no archive comment, nothing before the zip, no Zip64, no odd name
or extra field; a member stored or deflated, its name alike in both headers, its CRC right)
and None otherwise, so that ``zipfile`` reads it, with its own answer or error.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from bisect import bisect_right
from typing import NamedTuple

__all__ = [
    "DIRECTORY_TAIL",
    "SMALL_MEMBER",
    "ZipDirectory",
    "ZipEntry",
    "read_directory",
    "read_small",
]

# How much of the file's end one read takes: the directory of a comic of a few hundred pages.
DIRECTORY_TAIL = 8 * 1024
# The largest member ``read_small`` reads in one go (a ComicInfo.xml is a few kilobytes).
SMALL_MEMBER = 1024 * 1024

_END = struct.Struct("<4s4H2LH")  # the end of central directory record
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory entry
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # a member's local header
_LOCAL_SIGNATURE = b"PK\x03\x04"
_EXTRA = struct.Struct("<HH")
_ZIP64_EXTRA = 0x0001
_UTF8_NAME = 1 << 11
# Encrypted, compressed patched data, strong encryption: ``zipfile`` decides.
_UNUSUAL_FLAGS = 0x1 | 0x20 | 0x40
_MAX_EXTRACT_VERSION = 63  # zipfile.MAX_EXTRACT_VERSION


class ZipEntry(NamedTuple):
    """What the central directory says of one member, as ``zipfile.ZipInfo`` would hold it."""

    raw_name: bytes
    flag_bits: int
    compress_type: int
    crc: int
    compress_size: int
    file_size: int
    header_offset: int
    external_attr: int


class ZipDirectory(NamedTuple):
    """A plain zip's members in directory order, under the names ``zipfile`` gives them."""

    members: list[tuple[str, ZipEntry]]
    # Every member's header offset, sorted, and where the directory starts: a member's data
    # ends before the next one's header (newer zipfiles refuse overlapping members).
    starts: list[int]
    offset: int

    def end_of(self, entry: ZipEntry) -> int | None:
        """Where ``entry``'s data must end; None when another member starts where it does."""
        after = bisect_right(self.starts, entry.header_offset)
        if after >= 2 and self.starts[after - 2] == entry.header_offset:
            return None
        return self.starts[after] if after < len(self.starts) else self.offset


def read_directory(fd: int) -> ZipDirectory | None:
    """The directory of the zip open on ``fd``, or None when ``zipfile`` should read this one."""
    size = os.fstat(fd).st_size
    if size < _END.size:
        return None
    tail_start = max(0, size - DIRECTORY_TAIL)
    tail = os.pread(fd, size - tail_start, tail_start)
    if len(tail) != size - tail_start:
        return None
    end = tail[-_END.size :]
    if end[:4] != _END_SIGNATURE or end[-2:] != b"\x00\x00":
        return None  # an archive comment, or no zip at all
    locator = tail[-_END.size - _ZIP64_LOCATOR_SIZE : -_END.size]
    if locator[:4] == _ZIP64_LOCATOR_SIGNATURE:
        return None
    directory_size, directory_offset = _END.unpack(end)[5:7]
    if directory_offset + directory_size != size - _END.size:
        return None  # something before the zip (or a lie): zipfile works out where it is
    if directory_offset >= tail_start:
        at = directory_offset - tail_start
        directory = tail[at : at + directory_size]
    else:
        directory = os.pread(fd, directory_size, directory_offset)
    if len(directory) != directory_size:
        return None
    try:
        members = _members(directory)
    except (struct.error, UnicodeDecodeError):
        return None
    if members is None:
        return None
    starts = sorted(entry.header_offset for _, entry in members)
    return ZipDirectory(members, starts, directory_offset)


def _members(directory: bytes) -> list[tuple[str, ZipEntry]] | None:
    members: list[tuple[str, ZipEntry]] = []
    unpack = _CENTRAL.unpack_from
    at = 0
    while at < len(directory):
        (
            signature,
            _,
            _,
            extract_version,
            _,
            flag_bits,
            compress_type,
            _,
            _,
            crc,
            compress_size,
            file_size,
            name_length,
            extra_length,
            comment_length,
            _,
            _,
            external_attr,
            header_offset,
        ) = unpack(directory, at)
        if signature != _CENTRAL_SIGNATURE or extract_version > _MAX_EXTRACT_VERSION:
            return None
        at += _CENTRAL.size
        name_end = at + name_length
        raw_name = directory[at:name_end]
        at = name_end + extra_length + comment_length
        if at > len(directory):
            return None
        if extra_length and not _plain_extra(directory[name_end : name_end + extra_length]):
            return None
        if raw_name.isascii():  # alike in UTF-8 and in cp437
            name = raw_name.decode("ascii")
        else:
            name = raw_name.decode("utf-8" if flag_bits & _UTF8_NAME else "cp437")
        if not name or "\x00" in name or (os.sep != "/" and os.sep in name):
            return None
        entry = ZipEntry(
            raw_name,
            flag_bits,
            compress_type,
            crc,
            compress_size,
            file_size,
            header_offset,
            external_attr,
        )
        members.append((name, entry))
    return members


def _plain_extra(extra: bytes) -> bool:
    """True for extra fields ``zipfile`` reads nothing from: no Zip64 sizes, none cut short."""
    while len(extra) >= _EXTRA.size:
        kind, length = _EXTRA.unpack_from(extra)
        if kind == _ZIP64_EXTRA or length + _EXTRA.size > len(extra):
            return False
        extra = extra[length + _EXTRA.size :]
    return True


def read_small(fd: int, entry: ZipEntry, end: int | None) -> bytes | None:
    """The member's bytes, its data ending by ``end`` (``ZipDirectory.end_of``), or None when
    ``zipfile`` should read it: larger than ``SMALL_MEMBER``, neither stored nor deflated,
    flagged, overlapping another, or not whole and right."""
    if (
        end is None
        or entry.flag_bits & _UNUSUAL_FLAGS
        or entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or entry.file_size > SMALL_MEMBER
        or entry.compress_size > SMALL_MEMBER
    ):
        return None
    name_length = len(entry.raw_name)
    # The local extra field is usually as long as none or the central one: read as if none,
    # and once more when it is longer.
    want = _LOCAL.size + name_length + entry.compress_size
    block = os.pread(fd, want, entry.header_offset)
    if len(block) < _LOCAL.size:
        return None
    header = _LOCAL.unpack_from(block)
    signature, flag_bits = header[0], header[3]
    local_name_length, extra_length = header[10], header[11]
    if signature != _LOCAL_SIGNATURE or local_name_length != name_length:
        return None
    name_end = _LOCAL.size + name_length
    if (
        block[_LOCAL.size : name_end] != entry.raw_name
        or (flag_bits ^ entry.flag_bits) & _UTF8_NAME
    ):
        return None  # zipfile compares the decoded names; alike bytes and encodings are alike
    start = name_end + extra_length
    if extra_length:
        block = os.pread(fd, start + entry.compress_size, entry.header_offset)
    data = block[start : start + entry.compress_size]
    if len(data) != entry.compress_size or entry.header_offset + start + len(data) > end:
        return None  # overlapping another member: newer zipfiles refuse it
    if entry.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflate.decompress(data, entry.file_size + 1)
        except zlib.error:
            return None
        if not inflate.eof:
            return None
    if len(data) != entry.file_size or zlib.crc32(data) != entry.crc:
        return None
    return data
