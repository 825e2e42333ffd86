"""Helpers for scanner tests: real CBZ files, and port wrappers that count what a scan does."""

from __future__ import annotations

import io
import os
import zipfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from PIL import Image

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.domain.archive import ArchiveSummary
from bagboard.domain.catalog import (
    ComicPlace,
    IndexChanges,
    IndexedComic,
    IndexSnapshot,
    IndexSummary,
)
from bagboard.domain.files import FileDigests, FileStat, FolderListing
from bagboard.ports.archive_reader import ArchiveReader
from bagboard.ports.file_tree import FileTree
from bagboard.ports.library_index import LibraryIndex

COMICINFO = """<?xml version="1.0"?>
<ComicInfo><Series>{series}</Series><Number>{number}</Number><Publisher>DC</Publisher></ComicInfo>
"""


@cache
def jpeg(shade: int = 128) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 12), (shade, shade, shade)).save(out, "JPEG")
    return out.getvalue()


def write_cbz(
    path: Path,
    *,
    pages: int = 2,
    series: str | None = None,
    number: str = "1",
    mtime: datetime | None = None,
    salt: str = "",
) -> Path:
    """A real CBZ; ``salt`` makes its bytes unique (the file name does not enter the zip)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(pages):
            archive.writestr(f"page {index + 1:03}.jpg", jpeg(index * 10 % 256))
        if series is not None:
            archive.writestr("ComicInfo.xml", COMICINFO.format(series=series, number=number))
        archive.writestr("salt.txt", salt or path.name)
    if mtime is not None:
        set_mtime(path, mtime)
    return path


def set_mtime(path: Path, when: datetime) -> None:
    ns = int(when.timestamp()) * 1_000_000_000
    os.utime(path, ns=(ns, ns))


def utc(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


class CountingReader(ArchiveReader):
    def __init__(self, inner: ArchiveReader | None = None) -> None:
        self.inner = inner or FileArchiveReader()
        self.opened: Counter[str] = Counter()

    def inspect(self, path: str) -> ArchiveSummary:
        self.opened[path] += 1
        return self.inner.inspect(path)

    def read_member(self, path: str, name: str, *, long_edge: int | None = None) -> bytes:
        return self.inner.read_member(path, name, long_edge=long_edge)

    def page_sizes(self, path: str) -> tuple[tuple[int, int], ...] | None:
        return self.inner.page_sizes(path)

    def formats(self) -> dict[str, bool]:
        return self.inner.formats()


class CountingTree(FileTree):
    def __init__(self, inner: FileTree) -> None:
        self.inner = inner
        self.listed: Counter[str] = Counter()
        self.fingerprinted: Counter[str] = Counter()

    def list_folder(self, path: str, root: str) -> FolderListing | None:
        self.listed[path] += 1
        return self.inner.list_folder(path, root)

    def folder_mtime(self, path: str) -> int | None:
        return self.inner.folder_mtime(path)

    def file_stat(self, path: str) -> FileStat | None:
        return self.inner.file_stat(path)

    def fingerprint(self, path: str) -> str | None:
        self.fingerprinted[path] += 1
        return self.inner.fingerprint(path)

    def digests(self, path: str) -> FileDigests | None:
        self.fingerprinted[path] += 1
        return self.inner.digests(path)

    def kosync_md5(self, path: str) -> str | None:
        self.fingerprinted[path] += 1
        return self.inner.kosync_md5(path)


class RecordingIndex(LibraryIndex):
    """A memory index that keeps every non-empty batch it was given and counts its reads."""

    def __init__(self) -> None:
        self.inner = MemoryLibraryIndex()
        self.batches: list[IndexChanges] = []
        self.reads: Counter[str] = Counter()

    def snapshot(self, library_id: int) -> IndexSnapshot:
        return self.inner.snapshot(library_id)

    def summary(self, library_id: int) -> IndexSummary:
        return self.inner.summary(library_id)

    def apply(self, library_id: int, changes: IndexChanges, at: datetime) -> None:
        if changes:
            self.batches.append(changes)
        self.inner.apply(library_id, changes, at)

    def finish_scan(self, library_id: int, at: datetime) -> None:
        self.inner.finish_scan(library_id, at)

    def comic(self, comic_id: int) -> IndexedComic | None:
        self.reads["comic"] += 1
        return self.inner.comic(comic_id)

    def comics(self, ids: Sequence[int]) -> dict[int, IndexedComic]:
        self.reads["comics"] += 1
        return self.inner.comics(ids)

    def comic_at(self, path: str) -> IndexedComic | None:
        self.reads["comic_at"] += 1
        return self.inner.comic_at(path)

    def place_at(self, path: str) -> ComicPlace | None:
        self.reads["place_at"] += 1
        return self.inner.place_at(path)

    def must(self, path: Path | str) -> IndexedComic:
        comic = self.inner.comic_at(str(path))
        assert comic is not None, f"{path} is not indexed"
        return comic
