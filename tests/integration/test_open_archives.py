"""The LRU of open archives behind page reads: reuse, invalidation, eviction, concurrency."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bagboard.adapters.archive import FileArchiveReader
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.errors import ArchiveUnreadable
from tests.archive_factory import jpeg, write_archive

PAGES = {f"p{n:02}.jpg": jpeg((n * 20, 0, 0)) for n in range(1, 9)}


@pytest.fixture(params=[ArchiveFormat.ZIP, ArchiveFormat.SEVEN_ZIP, ArchiveFormat.TAR])
def comic(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    container: ArchiveFormat = request.param
    return write_archive(container, tmp_path / f"comic.{container.value}", PAGES)


@pytest.fixture
def readers() -> Iterator[Callable[[int], FileArchiveReader]]:
    """Readers keeping archives open, all closed after the test (as ComicLibrary.close does)."""
    made: list[FileArchiveReader] = []

    def make(handles: int) -> FileArchiveReader:
        made.append(FileArchiveReader(open_handles=handles))
        return made[-1]

    yield make
    for reader in made:
        reader.close()


def test_pages_read_through_one_open_archive(
    readers: Callable[[int], FileArchiveReader], comic: Path
) -> None:
    reader = readers(4)
    assert reader.handles is not None
    summary = reader.inspect(str(comic))
    for name in summary.pages:
        assert reader.read_member(str(comic), name) == PAGES[name]
    assert reader.handles.opened == 1


def test_a_changed_file_is_reopened(
    readers: Callable[[int], FileArchiveReader], comic: Path, tmp_path: Path
) -> None:
    reader = readers(4)
    assert reader.read_member(str(comic), "p01.jpg") == PAGES["p01.jpg"]
    replacement = {"p01.jpg": jpeg((1, 2, 3))}
    other = write_archive(ArchiveFormat.ZIP, tmp_path / "other.cbz", replacement)
    os.replace(other, comic)
    assert reader.read_member(str(comic), "p01.jpg") == replacement["p01.jpg"]
    assert reader.handles is not None and reader.handles.opened == 2


def test_the_least_recently_used_archive_is_closed(
    readers: Callable[[int], FileArchiveReader], tmp_path: Path
) -> None:
    reader = readers(2)
    paths = [str(write_archive(ArchiveFormat.ZIP, tmp_path / f"c{n}.cbz", PAGES)) for n in range(3)]
    for path in [*paths, paths[2], paths[1]]:
        reader.read_member(path, "p01.jpg")
    assert reader.handles is not None and reader.handles.opened == 3
    reader.read_member(paths[0], "p01.jpg")  # evicted, so opened again
    assert reader.handles.opened == 4


def test_a_vanished_file_is_unreadable(
    readers: Callable[[int], FileArchiveReader], comic: Path
) -> None:
    reader = readers(2)
    reader.read_member(str(comic), "p01.jpg")
    comic.unlink()
    with pytest.raises(ArchiveUnreadable):
        reader.read_member(str(comic), "p01.jpg")


def test_concurrent_readers_of_one_archive_get_the_right_bytes(
    readers: Callable[[int], FileArchiveReader], comic: Path
) -> None:
    reader = readers(8)
    names = list(PAGES) * 12

    def read(name: str) -> bool:
        return reader.read_member(str(comic), name) == PAGES[name]

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(read, names))
    assert reader.handles is not None and reader.handles.opened <= 8
