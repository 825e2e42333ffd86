"""Fixtures for the browse suites: a ``LibraryIndex`` and the two browsers reading it.

Each test gets an index and browsers over the same storage (one ``MemoryLibraryIndex``, or one
database), parametrised like ``backend``. Data goes in only through ``LibraryIndex.apply``, as
the scanner writes it, so the suites never look at the adapter kind.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bagboard.adapters.memory.browse import MemoryFolderBrowser, MemoryMetadataBrowser
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.storage import SqlFolderBrowser, SqlMetadataBrowser
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexChanges
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.model import Library
from bagboard.ports.folder_browser import FolderBrowser
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.metadata_browser import MetadataBrowser
from tests.contract.conftest import Backend
from tests.contract.index_fixtures import LIBRARIES, comics_library, library_index, manga_library

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ADDED = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)

__all__ = [
    "ADDED",
    "AT",
    "LIBRARIES",
    "Comic",
    "add_comics",
    "comics_library",
    "folder_browser",
    "library_index",
    "manga_library",
    "metadata_browser",
]


def _memory_index(index: LibraryIndex) -> MemoryLibraryIndex:
    # Only reached on the memory backend, where library_index built exactly this type.
    assert isinstance(index, MemoryLibraryIndex)
    return index


@pytest.fixture
def folder_browser(backend: Backend, library_index: LibraryIndex) -> FolderBrowser:
    return backend.pick(lambda: MemoryFolderBrowser(_memory_index(library_index)), SqlFolderBrowser)


@pytest.fixture
def metadata_browser(backend: Backend, library_index: LibraryIndex) -> MetadataBrowser:
    return backend.pick(
        lambda: MemoryMetadataBrowser(_memory_index(library_index)), SqlMetadataBrowser
    )


@dataclass(frozen=True)
class Comic:
    """A comic to index: its path below the library root, its ComicInfo and when it came."""

    path: str
    info: ComicInfo | None = None
    added: datetime = ADDED
    size: int = 100


def info(series: str = "", number: str = "", *, publisher: str = "", **more: str) -> ComicInfo:
    return ComicInfo(series=series, number=number, publisher=publisher, **more)


def add_comics(
    index: LibraryIndex,
    library: Library,
    comics: Iterable[Comic],
    *,
    folders: Iterable[str] = (),
    thumbnails: Iterable[str] = (),
) -> None:
    """Index ``comics`` in one batch with every folder above them (and the extra, possibly
    empty, ``folders``), recursive counts included; paths are relative to the library root."""
    comics = list(comics)
    counts: dict[str, int] = {}
    for folder, weight in [
        *((posixpath.dirname(c.path), 1) for c in comics),
        *((f, 0) for f in folders),
    ]:
        parts = folder.split("/") if folder else []
        for depth in range(len(parts) + 1):
            above = "/".join(parts[:depth])  # "" is the library root
            counts[above] = counts.get(above, 0) + weight
    marked = set(thumbnails)
    entries = [
        FolderEntry(
            posixpath.join(library.root, relative) if relative else library.root,
            relative.count("/") + 1 if relative else 0,
            mtime_ns=1,
            has_thumbnail=relative in marked,
            comic_count=count,
        )
        for relative, count in counts.items()
    ]
    added = [
        (
            ComicEntry(
                path=posixpath.join(library.root, comic.path),
                size=comic.size,
                mtime_ns=1,
                fingerprint=f"{library.id}:{comic.path}",
                format=ArchiveFormat.ZIP,
                page_count=3,
                comic_info=comic.info,
            ),
            comic.added,
        )
        for comic in comics
    ]
    index.apply(library.id, IndexChanges(folders=entries, added=added), AT)


def later(minutes: int) -> datetime:
    return ADDED + timedelta(minutes=minutes)
