"""The scanner over the in-memory tree and archive reader: the cases a disk makes awkward."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bagboard.adapters.memory.archive import MemoryArchiveReader
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.tree import MemoryFileTree
from bagboard.domain.archive import ArchiveFormat, ArchiveSummary
from bagboard.domain.errors import InvalidPath
from bagboard.domain.files import FileDigests, FileStat, FolderListing
from bagboard.domain.model import Library
from bagboard.ports.file_tree import FileTree
from bagboard.services.scan.scanner import Scanner, ScanReport
from tests.unit.scan_support import CountingReader, RecordingIndex, utc

ROOT = "/srv/comics"


class ExplodingReader(MemoryArchiveReader):
    """A reader that breaks its promise for one file, as a decoder bug would."""

    def inspect(self, path: str) -> ArchiveSummary:
        if path.endswith("bomb.cbz"):
            raise RecursionError("maximum recursion depth exceeded")
        return super().inspect(path)


class FlakyTree(FileTree):
    """A tree whose files in ``unreadable`` vanish between the listing and the read."""

    def __init__(self, inner: FileTree) -> None:
        self.inner = inner
        self.unreadable: set[str] = set()

    def list_folder(self, path: str, root: str) -> FolderListing | None:
        return self.inner.list_folder(path, root)

    def folder_mtime(self, path: str) -> int | None:
        return self.inner.folder_mtime(path)

    def file_stat(self, path: str) -> FileStat | None:
        return self.inner.file_stat(path)

    def fingerprint(self, path: str) -> str | None:
        return None if path in self.unreadable else self.inner.fingerprint(path)

    def digests(self, path: str) -> FileDigests | None:
        return None if path in self.unreadable else self.inner.digests(path)

    def kosync_md5(self, path: str) -> str | None:
        return None if path in self.unreadable else self.inner.kosync_md5(path)


@dataclass
class Setup:
    disk: MemoryFileTree = field(default_factory=MemoryFileTree)
    archives: MemoryArchiveReader = field(default_factory=ExplodingReader)
    index: RecordingIndex = field(default_factory=RecordingIndex)
    clock: ManualClock = field(default_factory=lambda: ManualClock(utc(2030)))
    library: Library = field(default_factory=lambda: Library(1, "Comics", ROOT))

    def __post_init__(self) -> None:
        self.tree = FlakyTree(self.disk)
        self.reader = CountingReader(self.archives)

    def comic(self, path: str, *, pages: int = 2, content: bytes | None = None) -> None:
        """A readable comic whose file bytes are ``content`` (its path by default)."""
        self.disk.add_file(path, content if content is not None else path.encode())
        self.archives.add(path, {f"{n}.jpg": b"x" for n in range(pages)})

    def scan(self, *, full: bool = False) -> ScanReport:
        self.reader.opened.clear()
        self.index.batches.clear()
        report = Scanner(self.index, self.tree, self.reader, self.clock).scan(
            self.library, full=full
        )
        self.clock.advance(timedelta(hours=1))
        return report


@pytest.fixture
def lib() -> Setup:
    setup = Setup()
    setup.disk.add_folder(ROOT)
    return setup


def test_a_move_that_kept_its_mtime_is_not_reopened(lib: Setup) -> None:
    lib.comic(f"{ROOT}/Inbox/x.cbz", pages=7)
    lib.scan()
    before = lib.index.must(f"{ROOT}/Inbox/x.cbz")
    # The reader never hears of the new path: reopening it would make the comic unreadable.
    lib.disk.move(f"{ROOT}/Inbox/x.cbz", f"{ROOT}/Marvel/X/x 001.cbz")
    report = lib.scan()
    assert (report.moved, report.unreadable) == (1, 0)
    assert not lib.reader.opened
    after = lib.index.must(f"{ROOT}/Marvel/X/x 001.cbz")
    assert (after.id, after.added_at, after.page_count, after.format) == (
        before.id,
        before.added_at,
        7,
        ArchiveFormat.ZIP,
    )


def test_moves_are_read_from_the_index_in_one_batch_not_one_comic_at_a_time(lib: Setup) -> None:
    for number in range(12):
        lib.comic(f"{ROOT}/Inbox/x{number:02}.cbz", pages=number + 1)
    lib.scan()
    for number in range(12):
        lib.disk.move(f"{ROOT}/Inbox/x{number:02}.cbz", f"{ROOT}/Moved/x{number:02}.cbz")
    lib.index.reads.clear()
    report = lib.scan()
    assert (report.moved, report.unreadable) == (12, 0)
    assert not lib.reader.opened
    assert lib.index.reads["comic"] == 0
    assert lib.index.reads["comics"] == len(lib.index.batches)
    pages = [lib.index.must(f"{ROOT}/Moved/x{n:02}.cbz").page_count for n in range(12)]
    assert pages == list(range(1, 13))


def test_a_move_with_a_new_mtime_is_reopened(lib: Setup) -> None:
    lib.comic(f"{ROOT}/a/x.cbz", content=b"same")
    lib.scan()
    comic_id = lib.index.must(f"{ROOT}/a/x.cbz").id
    lib.disk.remove(f"{ROOT}/a/x.cbz")
    lib.comic(f"{ROOT}/b/x.cbz", content=b"same", pages=3)
    report = lib.scan()
    assert report.moved == 1
    assert dict(lib.reader.opened) == {f"{ROOT}/b/x.cbz": 1}
    moved = lib.index.must(f"{ROOT}/b/x.cbz")
    assert (moved.id, moved.page_count) == (comic_id, 3)


def test_one_missing_comic_moves_once_even_when_copied(lib: Setup) -> None:
    lib.comic(f"{ROOT}/a/x.cbz", content=b"same")
    lib.scan()
    comic_id = lib.index.must(f"{ROOT}/a/x.cbz").id
    lib.disk.move(f"{ROOT}/a/x.cbz", f"{ROOT}/b/x.cbz")
    lib.comic(f"{ROOT}/c/x.cbz", content=b"same")
    report = lib.scan()
    assert (report.moved, report.new) == (1, 1)
    assert lib.index.must(f"{ROOT}/b/x.cbz").id == comic_id
    assert lib.index.must(f"{ROOT}/c/x.cbz").id != comic_id


def test_a_file_rewritten_in_place_is_found_by_its_stat(lib: Setup) -> None:
    lib.comic(f"{ROOT}/S/x.cbz")
    lib.scan()
    folder_mtime = lib.disk.folder_mtime(f"{ROOT}/S")
    lib.disk.add_file(f"{ROOT}/S/x.cbz", b"new bytes")
    lib.archives.add(f"{ROOT}/S/x.cbz", {"1.jpg": b"1", "2.jpg": b"2", "3.jpg": b"3"})
    assert lib.disk.folder_mtime(f"{ROOT}/S") == folder_mtime
    report = lib.scan()
    assert report.changed == 1
    assert lib.index.must(f"{ROOT}/S/x.cbz").page_count == 3


def test_a_reader_crash_marks_one_file_unreadable(lib: Setup) -> None:
    lib.comic(f"{ROOT}/S/bomb.cbz")
    lib.comic(f"{ROOT}/S/fine.cbz")
    report = lib.scan()
    assert (report.new, report.unreadable) == (2, 1)
    assert lib.index.must(f"{ROOT}/S/bomb.cbz").error == "maximum recursion depth exceeded"
    assert lib.index.must(f"{ROOT}/S/fine.cbz").error is None


def test_a_file_that_cannot_be_read_counts_as_gone(lib: Setup) -> None:
    lib.comic(f"{ROOT}/S/a.cbz")
    lib.comic(f"{ROOT}/S/b.cbz")
    lib.tree.unreadable.add(f"{ROOT}/S/b.cbz")
    report = lib.scan()
    assert report.new == 1
    assert lib.index.snapshot(1).folders[f"{ROOT}/S"].comic_count == 1
    # A known file that changes and then cannot be read is removed, not half-updated.
    lib.disk.add_file(f"{ROOT}/S/a.cbz", b"changed")
    lib.tree.unreadable.add(f"{ROOT}/S/a.cbz")
    report = lib.scan()
    assert (report.removed, report.changed) == (1, 0)
    assert lib.index.snapshot(1).comics == {}


def test_an_unreadable_folder_is_left_out(lib: Setup) -> None:
    lib.comic(f"{ROOT}/Open/a.cbz")
    lib.comic(f"{ROOT}/Locked/b.cbz")
    lib.scan()
    lib.disk.set_readable(f"{ROOT}/Locked", False)
    report = lib.scan(full=True)
    assert report.removed == 1
    assert set(lib.index.snapshot(1).folders) == {ROOT, f"{ROOT}/Open"}


def test_an_unreadable_root_raises(lib: Setup) -> None:
    lib.comic(f"{ROOT}/a.cbz")
    lib.scan()
    lib.disk.set_readable(ROOT, False)
    with pytest.raises(InvalidPath, match="library folder is missing: Comics"):
        lib.scan()
    assert set(lib.index.snapshot(1).comics) == {f"{ROOT}/a.cbz"}


def test_an_empty_library_can_be_scanned(lib: Setup) -> None:
    report = lib.scan()
    assert (report.files, report.folders) == (0, 1)
    assert lib.index.snapshot(1).folders[ROOT].comic_count == 0
    assert lib.scan().folders == 1  # empty and nothing indexed: not an unmounted share


def test_a_folder_thumbnail_appearing_later_is_noticed(lib: Setup) -> None:
    lib.comic(f"{ROOT}/Marvel/X/x.cbz")
    lib.scan()
    assert not lib.index.snapshot(1).folders[f"{ROOT}/Marvel"].has_thumbnail
    lib.disk.add_file(f"{ROOT}/Marvel/Folder.PNG", b"png")
    lib.scan()
    assert lib.index.snapshot(1).folders[f"{ROOT}/Marvel"].has_thumbnail
    assert [f.path for f in lib.index.batches[0].folders] == [f"{ROOT}/Marvel"]


def test_libraries_are_scanned_apart(lib: Setup) -> None:
    lib.comic(f"{ROOT}/a.cbz")
    lib.comic("/srv/manga/b.cbz")
    lib.scan()
    manga = Library(2, "Manga", "/srv/manga")
    Scanner(lib.index, lib.tree, lib.reader, lib.clock).scan(manga)
    assert set(lib.index.snapshot(1).comics) == {f"{ROOT}/a.cbz"}
    assert set(lib.index.snapshot(2).comics) == {"/srv/manga/b.cbz"}
    # A comic moved from one library to another is new there and removed here.
    lib.disk.move(f"{ROOT}/a.cbz", "/srv/manga/a.cbz")
    lib.comic(f"{ROOT}/c.cbz")
    assert lib.scan().removed == 1
