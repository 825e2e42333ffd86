"""``FileArchiveReader``: the ``ArchiveReader`` for comic files on disk, any container format.

PDFs go through the same calls: their pages are rendered rather than read (``pdf.py``), at
the long edge the caller asks for when it says one.

The readers of RAR, 7z and PDF are imported when a file of theirs is first opened: pdfium and
py7zr's codecs take about 9 MiB a process, which a server of CBZ comics never uses. A scan's
reading processes load them beforehand (``pools._WORKER_MODULES``).
"""

from __future__ import annotations

import importlib.util
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bagboard.adapters.archive.cbt import TarSource
from bagboard.adapters.archive.cbz import ZipSource
from bagboard.adapters.archive.comicinfo import parse_comicinfo
from bagboard.adapters.archive.open_archives import OpenArchives
from bagboard.adapters.archive.sniff import open_detected
from bagboard.adapters.archive.source import MemberSource, MemberTooLarge
from bagboard.domain.archive import (
    MAX_COMICINFO_BYTES,
    MAX_PAGE_BYTES,
    RAR_COMPRESSED,
    ArchiveFormat,
    ArchiveSummary,
    find_comicinfo,
    is_safe_member_name,
    kosync_pages,
    page_order,
)
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.errors import ArchiveMissing, ArchiveUnreadable
from bagboard.ports.archive_reader import ArchiveReader

if TYPE_CHECKING:
    from bagboard.adapters.archive.pdf import PdfSource

__all__ = ["READY_BYTES", "UNREADABLE", "FileArchiveReader"]

UNREADABLE = "the archive is corrupt, truncated or in an unsupported format"
# The largest member read on the event loop (``read_member_ready``): copying and checking a
# megabyte takes about a millisecond; a larger page goes to a worker thread, whose hand-off is
# small beside the page's own cost.
READY_BYTES = 1024 * 1024


def _seven_zip_installed() -> bool:
    # py7zr leans on several compiled codec packages; a platform without wheels for them
    # should lose 7z support, not the whole reader, so the 7z source is imported lazily
    # (``_source``). Asked without importing it: a server that lists formats at start would
    # otherwise keep py7zr loaded for good.
    return importlib.util.find_spec("py7zr") is not None


def _pdf(source: MemberSource) -> PdfSource:
    """The source of a file opened as a PDF (``_source`` made it a ``PdfSource``)."""
    from bagboard.adapters.archive.pdf import PdfSource

    assert isinstance(source, PdfSource)
    return source


class FileArchiveReader(ArchiveReader):
    """Reads CBZ/ZIP, CBR/RAR, CB7/7Z, CBT/TAR and PDF files, choosing the format by content.

    ``has_unrar`` forces the answer to "is unrar installed?"; by default it is probed once,
    on the first compressed RAR member or ``formats()`` call. ``open_handles`` keeps that many
    archives open between calls (see ``open_archives.py``): for serving pages, not for scans.
    """

    def __init__(
        self,
        *,
        max_member_bytes: int = MAX_PAGE_BYTES,
        max_comicinfo_bytes: int = MAX_COMICINFO_BYTES,
        has_unrar: bool | None = None,
        open_handles: int = 0,
    ) -> None:
        self._max_member_bytes = max_member_bytes
        self._max_comicinfo_bytes = max_comicinfo_bytes
        self._unrar = has_unrar
        self.handles = OpenArchives(open_handles, self._open_source) if open_handles else None

    def close(self) -> None:
        """Close the archives kept open between calls (a reader without any has nothing to do)."""
        if self.handles is not None:
            self.handles.close()

    def inspect(self, path: str) -> ArchiveSummary:
        with self._open(path) as (archive_format, source):
            if archive_format is ArchiveFormat.PDF:
                return self._inspect_pdf(_pdf(source))
            names = source.names()
            pages = page_order(names)
            # Fail here, once, rather than on every page request later.
            for page in pages:
                source.check_readable(page)
            return ArchiveSummary(
                archive_format,
                pages,
                self._comic_info(source, names),
                kosync_pages(archive_format, names, pages),
            )

    def read_member(self, path: str, name: str, *, long_edge: int | None = None) -> bytes:
        if not is_safe_member_name(name):
            raise ArchiveUnreadable("no such page in the archive")
        with self._open(path) as (archive_format, source):
            if name not in source.names():
                raise ArchiveUnreadable("no such page in the archive")
            try:
                if archive_format is ArchiveFormat.PDF:
                    return _pdf(source).render(name, long_edge, self._max_member_bytes)
                return source.read(name, self._max_member_bytes)
            except MemberTooLarge:
                raise ArchiveUnreadable(
                    f"the page is larger than {self._max_member_bytes} bytes"
                ) from None

    def read_member_ready(self, path: str, name: str) -> bytes | None:
        # A ZIP kept open whose member's bytes are all in the page cache: read on the loop.
        if self.handles is None or not is_safe_member_name(name):
            return None
        try:
            with self.handles.idle(path) as opened:
                if opened is None or not isinstance(opened[1], ZipSource):
                    return None
                return opened[1].read_ready(name, min(self._max_member_bytes, READY_BYTES))
        except (OSError, ValueError, zlib.error):
            return None  # gone, changed or damaged: the blocking read says which

    def page_sizes(self, path: str) -> tuple[tuple[int, int], ...] | None:
        with self._open(path) as (archive_format, source):
            return _pdf(source).page_sizes() if archive_format is ArchiveFormat.PDF else None

    def formats(self) -> dict[str, bool]:
        return {
            ArchiveFormat.ZIP.value: True,
            ArchiveFormat.RAR.value: True,
            RAR_COMPRESSED: self._has_unrar(),
            ArchiveFormat.SEVEN_ZIP.value: _seven_zip_installed(),
            ArchiveFormat.TAR.value: True,
            ArchiveFormat.PDF.value: True,
        }

    def _has_unrar(self) -> bool:
        if self._unrar is None:
            from bagboard.adapters.archive.cbr import find_unrar

            self._unrar = find_unrar()
        return self._unrar

    def _inspect_pdf(self, source: PdfSource) -> ArchiveSummary:
        # Pages are already in reading order; KOReader counts them in the same order.
        return ArchiveSummary(
            ArchiveFormat.PDF,
            tuple(source.names()),
            source.comic_info(self._max_comicinfo_bytes, self._parse_comicinfo),
        )

    def _parse_comicinfo(self, data: bytes) -> ComicInfo | None:
        return parse_comicinfo(data, max_bytes=self._max_comicinfo_bytes)

    def _comic_info(self, source: MemberSource, names: list[str]) -> ComicInfo | None:
        name = find_comicinfo(names)
        if name is None:
            return None
        try:
            source.check_readable(name)
            data = source.read(name, self._max_comicinfo_bytes)
        except (ArchiveUnreadable, MemberTooLarge):
            # Metadata that cannot be had (oversized, encrypted) leaves the pages usable.
            return None
        return parse_comicinfo(data, max_bytes=self._max_comicinfo_bytes)

    def _source(self, archive_format: ArchiveFormat, path: str) -> MemberSource:
        if archive_format is ArchiveFormat.ZIP:
            return ZipSource(path)
        if archive_format is ArchiveFormat.RAR:
            from bagboard.adapters.archive.cbr import RarSource

            return RarSource(path, self._has_unrar)
        if archive_format is ArchiveFormat.SEVEN_ZIP:
            try:
                from bagboard.adapters.archive.cb7 import SevenZipSource
            except ImportError:
                raise ArchiveUnreadable("7z support is not installed (py7zr)") from None
            return SevenZipSource(path)
        if archive_format is ArchiveFormat.PDF:
            from bagboard.adapters.archive.pdf import PdfSource

            return PdfSource(path)
        return TarSource(path)

    def _open_source(self, path: str) -> tuple[ArchiveFormat, MemberSource]:
        archive_format, fd = open_detected(path)
        if archive_format is ArchiveFormat.ZIP:
            return archive_format, ZipSource(fd)  # the file read to sniff, taken over
        os.close(fd)
        return archive_format, self._source(archive_format, path)

    @contextmanager
    def _open(self, path: str) -> Iterator[tuple[ArchiveFormat, MemberSource]]:
        """Open ``path`` and turn every failure inside the block into ``ArchiveUnreadable``."""
        try:
            path = os.fspath(path)
            if self.handles is not None:
                with self.handles.use(path) as opened:
                    yield opened
                return
            archive_format, source = self._open_source(path)
            try:
                yield archive_format, source
            finally:
                source.close()
        except ArchiveUnreadable:
            raise
        except FileNotFoundError as exc:
            raise ArchiveMissing("the archive file does not exist") from exc
        except (IsADirectoryError, PermissionError) as exc:
            raise ArchiveUnreadable("the archive file cannot be opened") from exc
        except Exception as exc:
            # The archive libraries are parsers of untrusted bytes: besides their own error
            # types (BadZipFile, rarfile.Error, Bad7zFile, TarError) hostile input makes them
            # raise EOFError, zlib/lzma errors, struct.error, IndexError, RuntimeError for
            # encryption, NotImplementedError for unknown methods... Whatever it is, the
            # archive cannot be read, and no library exception may cross the port.
            raise ArchiveUnreadable(UNREADABLE) from exc
