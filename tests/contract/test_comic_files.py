"""The ComicFiles contract, run against the disk adapter and the in-memory one.

Each test writes files through a ``Disk`` (a real folder under ``tmp_path``, or a
``MemoryComicFiles``) and then only asks the port.
"""

from __future__ import annotations

import errno
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from bagboard.adapters.filesystem.comic_files import LocalComicFiles
from bagboard.adapters.memory.comic_files import MemoryComicFiles
from bagboard.domain.errors import ComicNotFound, InvalidPath
from bagboard.ports.comic_files import ComicFiles, lies_inside
from tests.page_cache import drop_from_memory, nowait_works

DATA = bytes(range(256)) * 40


class Disk(Protocol):
    root: str  # the library root
    files: ComicFiles

    def write(self, path: str, data: bytes) -> None:
        """Create or replace the file: each write is a new version."""
        ...

    def remove(self, path: str) -> None: ...


class LocalDisk:
    def __init__(self, base: Path) -> None:
        self.root = str(base.resolve() / "library")
        Path(self.root).mkdir()
        self.files: ComicFiles = LocalComicFiles()
        self._mtimes = itertools.count(1_500_000_000_000_000_000, 1_000_000_000)

    def write(self, path: str, data: bytes) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(data)
        mtime = next(self._mtimes)  # distinct even when two writes share a clock tick
        os.utime(path, ns=(mtime, mtime))

    def remove(self, path: str) -> None:
        Path(path).unlink()


class MemoryDisk:
    def __init__(self) -> None:
        self.root = "/srv/comics"
        self._files = MemoryComicFiles()
        self.files: ComicFiles = self._files

    def write(self, path: str, data: bytes) -> None:
        self._files.write(path, data)

    def remove(self, path: str) -> None:
        self._files.remove(path)


@pytest.fixture(params=["local", "memory"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Disk]:
    yield LocalDisk(tmp_path) if request.param == "local" else MemoryDisk()


def test_a_file_is_stated_and_read_whole(disk: Disk) -> None:
    path = f"{disk.root}/Acme/Saga 01.cbz"
    disk.write(path, DATA)
    version = disk.files.stat(path, disk.root)
    assert (version.path, version.size) == (path, len(DATA))
    assert version.etag.startswith('"') and version.etag.endswith('"')
    assert disk.files.read_whole(version) == DATA


def test_an_opened_version_is_read_at_offsets(disk: Disk) -> None:
    path = f"{disk.root}/Saga 01.cbz"
    disk.write(path, DATA)
    handle = disk.files.open(disk.files.stat(path, disk.root))
    assert handle is not None
    try:
        assert handle.read_at(10, 0) == DATA[:10]
        assert handle.read_at(100, 5000) == DATA[5000:5100]
        assert handle.read_at(100, len(DATA) - 30) == DATA[-30:]
        assert handle.read_at(10, len(DATA)) == b""
    finally:
        handle.close()
    handle.close()  # closing twice is harmless


def test_a_missing_file_is_comic_not_found(disk: Disk) -> None:
    with pytest.raises(ComicNotFound):
        disk.files.stat(f"{disk.root}/nothing here.cbz", disk.root)
    path = f"{disk.root}/gone.cbz"
    disk.write(path, DATA)
    disk.remove(path)
    with pytest.raises(ComicNotFound):
        disk.files.stat(path, disk.root)


@pytest.mark.parametrize(
    "relative",
    ["/../outside.cbz", "/../library-2/x.cbz", "/Acme/../../outside.cbz", "", "/."],
)
def test_paths_outside_the_library_are_refused(disk: Disk, relative: str) -> None:
    with pytest.raises(InvalidPath):
        disk.files.stat(disk.root + relative, disk.root)


def test_a_relative_path_is_refused(disk: Disk) -> None:
    with pytest.raises(InvalidPath):
        disk.files.stat("Acme/Saga 01.cbz", disk.root)


def test_a_version_that_changed_or_went_reads_nothing(disk: Disk) -> None:
    path = f"{disk.root}/Saga 01.cbz"
    disk.write(path, DATA)
    first = disk.files.stat(path, disk.root)
    disk.write(path, DATA[:100])
    second = disk.files.stat(path, disk.root)
    assert second.etag != first.etag
    assert disk.files.read_whole(first) is None
    assert disk.files.open(first) is None
    assert disk.files.read_whole(second) == DATA[:100]
    disk.remove(path)
    assert disk.files.read_whole(second) is None
    assert disk.files.open(second) is None


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        ("/srv/comics/a.cbz", True),
        ("/srv/comics/A/b/c.cbz", True),
        ("/srv/comics/./a.cbz", True),
        ("/srv/comics", False),
        ("/srv/comics/", False),
        ("/srv/comics-2/a.cbz", False),
        ("/srv/comics/../a.cbz", False),
        ("srv/comics/a.cbz", False),
    ],
)
def test_the_containment_rule(path: str, inside: bool) -> None:
    assert lies_inside(path, "/srv/comics") is inside
    assert lies_inside(path, "/srv/comics/") is inside


def test_read_ready_finds_what_stat_and_read_whole_find(disk: Disk) -> None:
    """Whatever ``read_ready`` answers is the current version and its bytes, to the byte."""
    path = f"{disk.root}/Saga 01.cbz"
    disk.write(path, DATA)
    version = disk.files.stat(path, disk.root)  # looked at: warm where that matters
    ready = disk.files.read_ready(path, disk.root, len(DATA))
    if ready is not None:
        assert ready.version == version
        assert ready.data == DATA
    larger = disk.files.read_ready(path, disk.root, len(DATA) - 1)
    assert larger is None or (larger.version == version and larger.data is None)
    disk.write(path, DATA[:100])
    changed = disk.files.read_ready(path, disk.root, len(DATA))
    assert changed is None or (changed.version.size, changed.data) == (100, DATA[:100])


def test_read_ready_refuses_like_stat(disk: Disk) -> None:
    path = f"{disk.root}/gone.cbz"
    disk.write(path, DATA)
    disk.files.stat(path, disk.root)
    disk.remove(path)
    with pytest.raises(ComicNotFound):
        disk.files.read_ready(path, disk.root, len(DATA))
    with pytest.raises(InvalidPath):
        disk.files.read_ready(f"{disk.root}/../outside.cbz", disk.root, len(DATA))


def test_an_open_file_reads_ready_bytes_as_read_at_does(disk: Disk) -> None:
    path = f"{disk.root}/Saga 01.cbz"
    disk.write(path, DATA)
    handle = disk.files.open(disk.files.stat(path, disk.root))
    assert handle is not None
    try:
        for count, offset in [(10, 0), (100, 5000), (100, len(DATA) - 30), (10, len(DATA))]:
            ready = handle.read_ready(count, offset)
            assert ready is None or DATA[offset : offset + count].startswith(ready)
            if offset >= len(DATA):
                assert ready in (None, b"")
    finally:
        handle.close()
    assert handle.read_ready(10, 0) == b""  # closed: nothing, like read_at


def test_on_disk_a_cached_file_looked_at_lately_is_ready(tmp_path: Path) -> None:
    disk = LocalDisk(tmp_path)
    if not nowait_works(tmp_path):
        pytest.skip("preadv2(RWF_NOWAIT) is not available here")
    path = f"{disk.root}/Saga 01.cbz"
    disk.write(path, DATA)
    assert disk.files.read_ready(path, disk.root, len(DATA)) is None  # never looked at
    version = disk.files.stat(path, disk.root)
    ready = disk.files.read_ready(path, disk.root, len(DATA))
    assert ready is not None
    assert (ready.version, ready.data) == (version, DATA)


def test_on_disk_bytes_not_in_memory_are_not_ready(tmp_path: Path) -> None:
    disk = LocalDisk(tmp_path)
    if not nowait_works(tmp_path):
        pytest.skip("preadv2(RWF_NOWAIT) is not available here")
    path = f"{disk.root}/Saga 01.cbz"
    data = os.urandom(4 * 1024 * 1024)
    far = 3 * 1024 * 1024
    disk.write(path, data)
    drop_from_memory(path)  # written back, so the page cache may drop it
    version = disk.files.stat(path, disk.root)
    handle = disk.files.open(version)
    assert handle is not None
    # Far from the start first: a refused read may start reading ahead where it was refused.
    try:
        assert handle.read_ready(1024, far) is None
        assert handle.read_at(1024, far) == data[far : far + 1024]
    finally:
        handle.close()
    assert disk.files.read_ready(path, disk.root, len(data)) is None
    assert disk.files.read_whole(version) == data  # and once read, it is in memory
    ready = disk.files.read_ready(path, disk.root, len(data))
    assert ready is not None and ready.data == data


def test_on_disk_a_warm_path_that_is_no_longer_a_file_is_not_found(tmp_path: Path) -> None:
    disk = LocalDisk(tmp_path)
    if not nowait_works(tmp_path):
        pytest.skip("preadv2(RWF_NOWAIT) is not available here")
    path = f"{disk.root}/Saga 01.cbz"
    disk.write(path, DATA)
    disk.files.stat(path, disk.root)
    disk.remove(path)
    Path(path).mkdir()
    with pytest.raises(ComicNotFound):
        disk.files.read_ready(path, disk.root, len(DATA))
    Path(path).rmdir()
    os.mkfifo(path)  # opening it must not wait for a writer
    with pytest.raises(ComicNotFound):
        disk.files.read_ready(path, disk.root, len(DATA))


def test_on_disk_a_file_system_that_cannot_tell_is_never_read_on_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = LocalDisk(tmp_path)
    if not nowait_works(tmp_path):
        pytest.skip("preadv2(RWF_NOWAIT) is not available here")
    path = f"{disk.root}/Saga 01.cbz"
    disk.write(path, DATA)
    version = disk.files.stat(path, disk.root)

    def unsupported(*args: object) -> int:
        raise OSError(errno.EOPNOTSUPP, "not supported")

    with monkeypatch.context() as patch:
        patch.setattr(os, "preadv", unsupported)
        assert disk.files.read_ready(path, disk.root, len(DATA)) is None
        handle = disk.files.open(version)
        assert handle is not None
        assert handle.read_ready(10, 0) is None  # a stream reads it in worker threads
        handle.close()
    # Even once it could: the device is known not to tell, and the thread does the reading.
    disk.files.stat(path, disk.root)
    assert disk.files.read_ready(path, disk.root, len(DATA)) is None
    assert disk.files.read_whole(version) == DATA
