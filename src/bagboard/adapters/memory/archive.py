from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bagboard.domain.archive import (
    FORMAT_KEYS,
    MAX_COMICINFO_BYTES,
    MAX_PAGE_BYTES,
    ArchiveFormat,
    ArchiveSummary,
    find_comicinfo,
    format_for_name,
    is_safe_member_name,
    kosync_pages,
    page_order,
)
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.errors import ArchiveMissing, ArchiveUnreadable
from bagboard.ports.archive_reader import ArchiveReader

__all__ = ["ComicInfoParser", "MemoryArchiveReader"]

ComicInfoParser = Callable[[bytes], ComicInfo | None]


@dataclass(frozen=True, slots=True)
class _Archive:
    format: ArchiveFormat | None
    members: Mapping[str, bytes]
    comic_info: ComicInfo | None


class MemoryArchiveReader(ArchiveReader):
    """Archives held in memory as ``path -> {member name: bytes}``.

    It applies the same page rules, size caps and errors as the file reader. Decoding
    ComicInfo.xml bytes is the archive adapter's job, so a parser is passed in (the
    composition root or a test hands it ``parse_comicinfo``); without one, an archive's
    metadata is only what ``add(..., comic_info=...)`` gives.
    """

    def __init__(
        self,
        archives: Mapping[str, Mapping[str, bytes]] | None = None,
        *,
        comicinfo_parser: ComicInfoParser | None = None,
        max_member_bytes: int = MAX_PAGE_BYTES,
        max_comicinfo_bytes: int = MAX_COMICINFO_BYTES,
        formats: Mapping[str, bool] | None = None,
    ) -> None:
        self._parser = comicinfo_parser
        self._max_member_bytes = max_member_bytes
        self._max_comicinfo_bytes = max_comicinfo_bytes
        self._formats = {key: True for key in FORMAT_KEYS} | dict(formats or {})
        self._archives: dict[str, _Archive | None] = {}
        self._lock = threading.Lock()
        for path, members in (archives or {}).items():
            self.add(path, members)

    def add(
        self,
        path: str,
        members: Mapping[str, bytes],
        *,
        format: ArchiveFormat | None = None,
        comic_info: ComicInfo | None = None,
    ) -> None:
        """Store an archive; its format defaults to what the path's extension claims."""
        archive = _Archive(format or format_for_name(path), dict(members), comic_info)
        with self._lock:
            self._archives[path] = archive

    def add_unreadable(self, path: str) -> None:
        """Store a file that every read refuses, like a corrupt or non-archive file on disk."""
        with self._lock:
            self._archives[path] = None

    def remove(self, path: str) -> None:
        with self._lock:
            self._archives.pop(path, None)

    def inspect(self, path: str) -> ArchiveSummary:
        archive = self._get(path)
        if archive.format is None:
            raise ArchiveUnreadable("not a comic archive (zip, rar, 7z or tar)")
        names = list(archive.members)
        pages = page_order(names)
        return ArchiveSummary(
            archive.format,
            pages,
            self._comic_info(archive, names),
            kosync_pages(archive.format, names, pages),
        )

    def page_sizes(self, path: str) -> tuple[tuple[int, int], ...] | None:
        self._get(path)
        return None

    def read_member(self, path: str, name: str, *, long_edge: int | None = None) -> bytes:
        archive = self._get(path)
        data = archive.members.get(name) if is_safe_member_name(name) else None
        if data is None or name.endswith("/"):
            raise ArchiveUnreadable("no such page in the archive")
        if len(data) > self._max_member_bytes:
            raise ArchiveUnreadable(f"the page is larger than {self._max_member_bytes} bytes")
        return data

    def formats(self) -> dict[str, bool]:
        return dict(self._formats)

    def _get(self, path: str) -> _Archive:
        if path not in self._archives:
            raise ArchiveMissing("the archive file does not exist")
        archive = self._archives[path]
        if archive is None:
            raise ArchiveUnreadable("the archive is corrupt, truncated or in an unsupported format")
        return archive

    def _comic_info(self, archive: _Archive, names: list[str]) -> ComicInfo | None:
        if archive.comic_info is not None:
            return archive.comic_info
        name = find_comicinfo(names)
        if name is None or self._parser is None:
            return None
        data = archive.members[name]
        # Oversized metadata is ignored, as the file reader does, not a failure of the comic.
        return None if len(data) > self._max_comicinfo_bytes else self._parser(data)
