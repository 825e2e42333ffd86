"""``FileArchiveReader.read_member_ready``: a page of a ZIP kept open, read on the event loop
only when every byte of it is in the page cache, and only when it is whole."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from bagboard.adapters.archive.reader import READY_BYTES, FileArchiveReader
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.errors import ArchiveUnreadable
from tests.archive_factory import write_archive, write_cbz
from tests.page_cache import drop_from_memory, nowait_works

PAGE = bytes(range(256)) * 160  # 40 KiB that deflate shrinks
NOISE = os.urandom(300_000)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    if not nowait_works(tmp_path):
        pytest.skip("preadv2(RWF_NOWAIT) is not available here")
    return tmp_path


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_page_of_an_archive_read_lately_is_ready(folder: Path, compression: int) -> None:
    path = str(write_cbz(folder / "Saga 01.cbz", {"p1.jpg": PAGE}, compression=compression))
    reader = FileArchiveReader(open_handles=4)
    assert reader.read_member_ready(path, "p1.jpg") is None  # never opened: not read here
    assert reader.read_member(path, "p1.jpg") == PAGE
    assert reader.read_member_ready(path, "p1.jpg") == PAGE
    assert reader.read_member_ready(path, "p2.jpg") is None
    assert reader.read_member_ready(path, "../p1.jpg") is None
    reader.close()


def test_a_reader_keeping_nothing_open_reads_nothing_ready(folder: Path) -> None:
    path = str(write_cbz(folder / "Saga 01.cbz", {"p1.jpg": PAGE}))
    reader = FileArchiveReader()
    assert reader.read_member(path, "p1.jpg") == PAGE
    assert reader.read_member_ready(path, "p1.jpg") is None


def test_bytes_not_in_memory_are_not_ready(folder: Path) -> None:
    path = str(write_cbz(folder / "Saga 01.cbz", {"p1.jpg": NOISE}, compression=0))
    reader = FileArchiveReader(open_handles=4)
    assert reader.read_member(path, "p1.jpg") == NOISE
    drop_from_memory(path)
    assert reader.read_member_ready(path, "p1.jpg") is None
    assert reader.read_member(path, "p1.jpg") == NOISE
    assert reader.read_member_ready(path, "p1.jpg") == NOISE
    reader.close()


def test_a_damaged_page_is_never_served_from_memory(folder: Path) -> None:
    """Damaged in place, the file's size and time kept: the CRC tells, and the blocking read
    says what is wrong."""
    path = folder / "Saga 01.cbz"
    write_cbz(path, {"p1.jpg": NOISE}, compression=zipfile.ZIP_STORED)
    reader = FileArchiveReader(open_handles=4)
    assert reader.read_member(str(path), "p1.jpg") == NOISE
    before = path.stat()
    data = bytearray(path.read_bytes())
    at = data.index(NOISE[1000:1100]) + 50
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert reader.read_member_ready(str(path), "p1.jpg") is None
    with pytest.raises(ArchiveUnreadable):
        reader.read_member(str(path), "p1.jpg")
    reader.close()


def test_a_page_larger_than_the_cap_is_not_read_here(folder: Path) -> None:
    path = str(write_cbz(folder / "Saga 01.cbz", {"p0.jpg": b"small", "p1.jpg": PAGE}))
    reader = FileArchiveReader(open_handles=4, max_member_bytes=len(PAGE) - 1)
    assert reader.read_member(path, "p0.jpg") == b"small"  # kept open
    assert reader.read_member_ready(path, "p0.jpg") == b"small"
    assert reader.read_member_ready(path, "p1.jpg") is None
    with pytest.raises(ArchiveUnreadable):
        reader.read_member(path, "p1.jpg")
    reader.close()


def test_a_large_page_is_read_in_a_thread(folder: Path) -> None:
    large = os.urandom(READY_BYTES + 1)
    path = str(write_cbz(folder / "Saga 01.cbz", {"p0.jpg": large, "p1.jpg": PAGE}))
    reader = FileArchiveReader(open_handles=4)
    assert reader.read_member(path, "p0.jpg") == large
    assert reader.read_member_ready(path, "p1.jpg") == PAGE
    assert reader.read_member_ready(path, "p0.jpg") is None
    reader.close()


def test_other_containers_are_read_in_a_thread(folder: Path) -> None:
    path = str(write_archive(ArchiveFormat.TAR, folder / "Saga 01.cbt", {"p1.jpg": PAGE}))
    reader = FileArchiveReader(open_handles=4)
    assert reader.read_member(path, "p1.jpg") == PAGE
    assert reader.read_member_ready(path, "p1.jpg") is None
    reader.close()
