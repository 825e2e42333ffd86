"""What a scan sees of the disk: folder listings, file stats, content fingerprints.

These rules are shared by every ``FileTree`` adapter so a real disk and an in-memory tree
list, skip and fingerprint the same way.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from dataclasses import dataclass
from typing import Any

from bagboard.domain.archive import COMIC_EXTENSIONS
from bagboard.domain.catalog import THUMBNAIL_NAMES
from bagboard.domain.kosync import Seekable, partial_md5

__all__ = [
    "FINGERPRINT_EDGE_BYTES",
    "IGNORED_NAMES",
    "ComicFile",
    "FileDigests",
    "FileStat",
    "FolderListing",
    "file_digests",
    "fingerprint",
    "fingerprint_sample",
    "is_comic_name",
    "is_ignored_name",
    "is_thumbnail_name",
    "library_path",
    "parent_folder",
]

# A fingerprint reads this much from each end of a file: enough to tell comics apart (zip
# central directories and the first page's header live there), cheap on a slow NAS.
FINGERPRINT_EDGE_BYTES = 64 * 1024

# Folders that NAS boxes and operating systems create and that never hold comics; hidden
# entries (a leading ".") are skipped as well.
IGNORED_NAMES = frozenset(
    name.casefold() for name in ("@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information")
)


def parent_folder(path: str) -> str:
    """``posixpath.dirname`` of a normalised absolute path, several times faster: a rescan
    asks it of every known comic and folder."""
    return path[: path.rfind("/")] or "/"


@dataclass(frozen=True, slots=True)
class FileStat:
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class ComicFile:
    """A comic file as a listing or a stat found it (its content unread)."""

    path: str
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)


@dataclass(frozen=True, slots=True)
class FolderListing:
    """One folder's direct content, as far as a scan cares.

    ``folders`` and ``comics`` hold absolute paths. An entry reached through a symbolic link
    inside the library carries its target's path, which then does not lie in this folder.
    """

    path: str
    mtime_ns: int
    folders: tuple[str, ...] = ()
    comics: tuple[ComicFile, ...] = ()
    has_thumbnail: bool = False


def is_ignored_name(name: str) -> bool:
    """True for hidden entries and NAS/OS housekeeping folders, which a scan never enters,
    and for names that are not valid Unicode (undecodable bytes on disk): such a path could
    be neither stored nor sent to a client."""
    if not name or name.startswith(".") or name.casefold() in IGNORED_NAMES:
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def is_comic_name(name: str) -> bool:
    return posixpath.splitext(name.casefold())[1] in COMIC_EXTENSIONS


def is_thumbnail_name(name: str) -> bool:
    return name.casefold() in THUMBNAIL_NAMES


def library_path(real_target: str, real_root: str, root: str) -> str | None:
    """Where a link target lies in the library: ``root`` joined with its place below the
    real root, or None when it lies outside the root or inside an ignored folder."""
    if real_target == real_root:
        return root
    prefix = real_root.rstrip("/") + "/"
    if not real_target.startswith(prefix):
        return None
    relative = real_target[len(prefix) :]
    if any(is_ignored_name(part) for part in relative.split("/")):
        return None
    return posixpath.join(root, relative)


def fingerprint_sample(data: bytes) -> bytes:
    """The part of a whole file's content that its fingerprint hashes."""
    if len(data) <= 2 * FINGERPRINT_EDGE_BYTES:
        return data
    return data[:FINGERPRINT_EDGE_BYTES] + data[-FINGERPRINT_EDGE_BYTES:]


def fingerprint(size: int, sample: bytes) -> str:
    """A content fingerprint: the size plus a hash of the first and last 64 KiB (the whole
    file when it is smaller than 128 KiB).

    It survives renames and moves (nothing of the path or mtime enters it), which is how a
    scan recognises a moved comic; it reads two small blocks instead of a whole archive.
    """
    return _fingerprint(size, hashlib.sha256(sample))


def _fingerprint(size: int, digest: Any) -> str:
    return f"{size}:{digest.hexdigest()[:32]}"


@dataclass(frozen=True, slots=True)
class FileDigests:
    """What a scan learns from reading a new or changed comic file: its content fingerprint
    (``fingerprint``) and KOReader's id of its content (``domain.kosync.partial_md5``)."""

    fingerprint: str
    kosync_md5: str


def file_digests(file: Seekable, size: int) -> FileDigests:
    """Both digests of ``file`` (open for reading, ``size`` bytes long), in one opening.

    The fingerprint reads the first and last 64 KiB; KOReader's samples below 64 KiB come
    from that first read, the few beyond it are read where they lie.
    """
    if size <= 2 * FINGERPRINT_EDGE_BYTES:
        data = file.read(size)
        return FileDigests(fingerprint(size, data), partial_md5(io.BytesIO(data)))
    head = file.read(FINGERPRINT_EDGE_BYTES)
    file.seek(size - FINGERPRINT_EDGE_BYTES)
    tail = file.read(FINGERPRINT_EDGE_BYTES)
    digest = hashlib.sha256(head)
    digest.update(tail)  # the hash of ``head + tail`` without copying both into one
    return FileDigests(_fingerprint(size, digest), partial_md5(_HeadFirst(head, file)))


class _HeadFirst:
    """A file whose first bytes were already read: reads within them come from memory."""

    def __init__(self, head: bytes, file: Seekable) -> None:
        self._head = head
        self._file = file
        self._offset = 0

    def seek(self, offset: int, /) -> int:
        self._offset = offset
        return offset

    def read(self, size: int, /) -> bytes:
        end = self._offset + size
        if end <= len(self._head):
            return self._head[self._offset : end]
        self._file.seek(self._offset)
        return self._file.read(size)
