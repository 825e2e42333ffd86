"""The scanner on a real folder: real CBZ files, the disk tree and the file archive reader."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import IndexChanges
from bagboard.domain.errors import InvalidPath, StorageUnavailable
from bagboard.domain.model import Library
from bagboard.ports.inspect_map import InspectMap
from bagboard.services.scan import scanner as scanner_module
from bagboard.services.scan.scanner import Scanner, ScanPhase, ScanProgress, ScanReport
from tests.unit.scan_support import (
    CountingReader,
    CountingTree,
    RecordingIndex,
    utc,
    write_cbz,
)

START = utc(2030, 6, 1)


@dataclass
class Setup:
    root: Path
    library: Library
    index: RecordingIndex
    reader: CountingReader
    tree: CountingTree
    clock: ManualClock

    def scan(self, *, full: bool = False, inspect_map: InspectMap | None = None) -> ScanReport:
        self.index.batches.clear()
        self.reader.opened.clear()
        self.tree.fingerprinted.clear()
        self.tree.listed.clear()
        scanner = Scanner(self.index, self.tree, self.reader, self.clock, inspect_map=inspect_map)
        return scanner.scan(self.library, full=full)

    def id_of(self, relative: str) -> int:
        return self.index.must(self.root / relative).id


@pytest.fixture
def lib(tmp_path: Path) -> Setup:
    root = tmp_path.resolve() / "comics"
    root.mkdir()
    return Setup(
        root,
        Library(1, "Comics", str(root)),
        RecordingIndex(),
        CountingReader(),
        CountingTree(LocalFileTree()),
        ManualClock(START),
    )


@pytest.fixture
def collection(lib: Setup) -> Setup:
    """Publishers, series, volumes, a corrupt file, a folder.jpg, then a first scan."""
    r = lib.root
    write_cbz(r / "Marvel/Spider-Man/v1963/asm 001.cbz", mtime=utc(2015, 3, 1))
    write_cbz(r / "Marvel/Spider-Man/v1963/asm 002.cbz")
    write_cbz(r / "Marvel/Spider-Man/v2018/asm 001.cbz")
    write_cbz(r / "Marvel/X-Men/x-men 001.cbz")
    write_cbz(r / "DC/Batman/batman 001.cbz", series="Batman", number="1", pages=3)
    write_cbz(r / "loose.cbz")
    (r / "DC/Batman/broken.cbz").write_bytes(b"<html>not found</html>")
    (r / "Marvel/folder.jpg").write_bytes(b"jpeg")
    (r / "Marvel/notes.txt").write_text("not a comic")
    lib.scan()
    lib.clock.advance(timedelta(days=1))
    return lib


def test_a_fresh_import_indexes_every_comic_and_folder(lib: Setup) -> None:
    r = lib.root
    write_cbz(r / "Marvel/Spider-Man/v1963/asm 001.cbz")
    write_cbz(r / "DC/Batman/batman 001.cbz", series="Batman", number="1", pages=3)
    (r / "DC/Batman/broken.cbz").write_bytes(b"<html>not found</html>")
    (r / "Marvel/folder.jpg").write_bytes(b"jpeg")
    report = lib.scan()

    assert (report.new, report.unreadable, report.unchanged, report.removed) == (3, 1, 0, 0)
    assert report.folders == 6
    batman = lib.index.must(r / "DC/Batman/batman 001.cbz")
    assert (batman.format, batman.page_count, batman.error) == (ArchiveFormat.ZIP, 3, None)
    assert batman.comic_info is not None
    assert (batman.comic_info.series, batman.comic_info.number) == ("Batman", "1")
    broken = lib.index.must(r / "DC/Batman/broken.cbz")
    assert (broken.format, broken.page_count, broken.has_comicinfo) == (ArchiveFormat.ZIP, 0, False)
    assert broken.error
    # Unreadable or untagged, a comic is still named by its file and folders.
    assert broken.comic_info is not None
    assert (broken.comic_info.series, broken.comic_info.publisher) == ("broken", "DC")
    asm = lib.index.must(r / "Marvel/Spider-Man/v1963/asm 001.cbz").comic_info
    assert asm is not None
    assert (asm.series, asm.number, asm.volume, asm.publisher) == ("asm", "1", "1963", "Marvel")
    folders = lib.index.snapshot(1).folders
    assert {p.removeprefix(str(r)): (f.depth, f.has_thumbnail) for p, f in folders.items()} == {
        "": (0, False),
        "/Marvel": (1, True),
        "/Marvel/Spider-Man": (2, False),
        "/Marvel/Spider-Man/v1963": (3, False),
        "/DC": (1, False),
        "/DC/Batman": (2, False),
    }
    assert lib.index.snapshot(1).last_scan_at == START


def test_counts_are_recursive_at_every_depth(collection: Setup) -> None:
    r = str(collection.root)
    counts = {p: f.comic_count for p, f in collection.index.snapshot(1).folders.items()}
    assert counts == {
        r: 7,
        f"{r}/Marvel": 4,
        f"{r}/Marvel/Spider-Man": 3,
        f"{r}/Marvel/Spider-Man/v1963": 2,
        f"{r}/Marvel/Spider-Man/v2018": 1,
        f"{r}/Marvel/X-Men": 1,
        f"{r}/DC": 2,  # the unreadable file counts too
        f"{r}/DC/Batman": 2,
    }
    os.remove(f"{r}/Marvel/Spider-Man/v1963/asm 002.cbz")
    write_cbz(collection.root / "DC/Superman/superman 001.cbz")
    collection.scan()
    counts = {p: f.comic_count for p, f in collection.index.snapshot(1).folders.items()}
    assert (counts[r], counts[f"{r}/Marvel"], counts[f"{r}/Marvel/Spider-Man/v1963"]) == (7, 3, 1)
    assert (counts[f"{r}/DC"], counts[f"{r}/DC/Superman"]) == (3, 1)


def test_a_rescan_without_changes_opens_nothing_and_writes_nothing(collection: Setup) -> None:
    report = collection.scan()
    assert (report.new, report.changed, report.moved, report.removed) == (0, 0, 0, 0)
    assert (report.unchanged, report.unreadable, report.folders) == (7, 0, 8)
    assert not collection.reader.opened
    assert not collection.tree.fingerprinted
    assert collection.index.batches == []
    # Unchanged folders are stat'ed, not listed again; the root is always listed.
    assert set(collection.tree.listed) == {str(collection.root)}
    assert collection.index.snapshot(1).last_scan_at == START + timedelta(days=1)


def test_touching_one_file_reopens_exactly_that_one(collection: Setup) -> None:
    path = collection.root / "Marvel/X-Men/x-men 001.cbz"
    before = collection.index.must(path)
    os.utime(path, ns=(before.mtime_ns + 10**9, before.mtime_ns + 10**9))
    report = collection.scan()
    assert (report.changed, report.unchanged, report.new) == (1, 6, 0)
    assert dict(collection.reader.opened) == {str(path): 1}
    after = collection.index.must(path)
    assert (after.id, after.added_at) == (before.id, before.added_at)
    assert after.mtime_ns == before.mtime_ns + 10**9


def test_moved_and_renamed_comics_keep_their_ids_without_being_reopened(
    collection: Setup,
) -> None:
    r = collection.root
    moved = collection.index.must(r / "Marvel/Spider-Man/v1963/asm 002.cbz")
    renamed = collection.index.must(r / "Marvel/X-Men/x-men 001.cbz")
    (r / "Marvel/Archive").mkdir()
    os.rename(r / "Marvel/Spider-Man/v1963/asm 002.cbz", r / "Marvel/Archive/asm 002.cbz")
    os.rename(r / "Marvel/X-Men/x-men 001.cbz", r / "Marvel/X-Men/X-Men #1.cbz")

    report = collection.scan()
    assert (report.moved, report.new, report.removed, report.changed) == (2, 0, 0, 0)
    assert not collection.reader.opened
    after_move = collection.index.must(r / "Marvel/Archive/asm 002.cbz")
    after_rename = collection.index.must(r / "Marvel/X-Men/X-Men #1.cbz")
    assert (after_move.id, after_move.added_at) == (moved.id, moved.added_at)
    assert (after_rename.id, after_rename.added_at) == (renamed.id, renamed.added_at)
    assert collection.index.comic_at(str(r / "Marvel/X-Men/x-men 001.cbz")) is None


def test_a_renamed_folder_keeps_every_id_inside(collection: Setup) -> None:
    r = collection.root
    names = ["v1963/asm 001.cbz", "v1963/asm 002.cbz", "v2018/asm 001.cbz"]
    ids = [collection.id_of(f"Marvel/Spider-Man/{name}") for name in names]
    os.rename(r / "Marvel/Spider-Man", r / "Marvel/Amazing Spider-Man")
    report = collection.scan()
    assert (report.moved, report.removed, report.new) == (3, 0, 0)
    assert [collection.id_of(f"Marvel/Amazing Spider-Man/{name}") for name in names] == ids
    assert str(r / "Marvel/Spider-Man") not in collection.index.snapshot(1).folders


def test_a_copy_is_a_new_comic(collection: Setup) -> None:
    r = collection.root
    shutil.copy2(r / "loose.cbz", r / "DC/loose copy.cbz")
    report = collection.scan()
    assert (report.new, report.moved) == (1, 0)
    assert collection.id_of("DC/loose copy.cbz") != collection.id_of("loose.cbz")


def test_a_deleted_file_is_removed(collection: Setup) -> None:
    r = collection.root
    gone = collection.id_of("loose.cbz")
    os.remove(r / "loose.cbz")
    report = collection.scan()
    assert (report.removed, report.unchanged) == (1, 6)
    assert collection.index.comic(gone) is None
    removal = collection.index.inner.removed[-1]
    assert (removal.comic_id, removal.path) == (gone, str(r / "loose.cbz"))
    assert removal.removed_at == START + timedelta(days=1)


def test_a_deleted_folder_is_removed_with_its_comics(collection: Setup) -> None:
    shutil.rmtree(collection.root / "Marvel/Spider-Man")
    report = collection.scan()
    assert report.removed == 3
    folders = collection.index.snapshot(1).folders
    assert not [p for p in folders if "Spider-Man" in p]
    assert folders[str(collection.root / "Marvel")].comic_count == 1


def test_a_new_file_appears_dated_now(collection: Setup) -> None:
    path = write_cbz(collection.root / "DC/Batman/batman 002.cbz", mtime=utc(2015, 5, 5))
    report = collection.scan()
    assert (report.new, report.unchanged) == (1, 7)
    assert dict(collection.reader.opened) == {str(path): 1}
    # Not the first scan any more: a new comic is dated when it first appears.
    assert collection.index.must(path).added_at == START + timedelta(days=1)


def test_the_first_scan_dates_comics_by_mtime_but_never_after_now(lib: Setup) -> None:
    old = write_cbz(lib.root / "old.cbz", mtime=utc(2015, 3, 1))
    future = write_cbz(lib.root / "future.cbz", mtime=utc(2035, 1, 1))
    lib.scan()
    assert lib.index.must(old).added_at == utc(2015, 3, 1)
    assert lib.index.must(future).added_at == START


def test_an_unreadable_file_is_retried_only_after_it_changes(collection: Setup) -> None:
    path = collection.root / "DC/Batman/broken.cbz"
    broken = collection.index.must(path)
    collection.scan()
    assert not collection.reader.opened
    write_cbz(path, pages=5)
    report = collection.scan()
    assert (report.changed, report.unreadable) == (1, 0)
    fixed = collection.index.must(path)
    assert (fixed.id, fixed.error, fixed.page_count) == (broken.id, None, 5)


def test_links_are_followed_only_inside_the_library(lib: Setup, tmp_path: Path) -> None:
    outside = write_cbz(tmp_path / "outside/secret.cbz")
    write_cbz(lib.root / "Marvel/X/x 001.cbz")
    (lib.root / "Links").mkdir()
    os.symlink(outside.parent, lib.root / "Links/escape")
    os.symlink(outside, lib.root / "Links/secret.cbz")
    os.symlink(lib.root / "Marvel/X", lib.root / "Links/X")
    os.symlink(lib.root / "Marvel/X/x 001.cbz", lib.root / "Links/alias.cbz")
    os.symlink(lib.root, lib.root / "Links/loop")
    report = lib.scan()
    assert report.new == 1
    assert set(lib.index.snapshot(1).comics) == {str(lib.root / "Marvel/X/x 001.cbz")}
    assert lib.index.snapshot(1).folders[str(lib.root / "Links")].comic_count == 0


def test_a_missing_library_folder_raises_and_keeps_the_index(collection: Setup) -> None:
    before = collection.index.snapshot(1)
    shutil.rmtree(collection.root)
    with pytest.raises(InvalidPath, match="library folder is missing: Comics"):
        collection.scan()
    assert collection.index.snapshot(1) == before
    assert collection.index.batches == []


def test_an_empty_library_folder_looks_unmounted_and_keeps_the_index(collection: Setup) -> None:
    before = collection.index.snapshot(1)
    shutil.rmtree(collection.root)
    collection.root.mkdir()  # an empty mount point
    with pytest.raises(InvalidPath, match="Comics"):
        collection.scan()
    assert collection.index.snapshot(1) == before


def test_a_full_scan_lists_folders_whose_mtime_did_not_move(collection: Setup) -> None:
    folder = collection.root / "Marvel/X-Men"
    stat = folder.stat()
    write_cbz(folder / "x-men 002.cbz")
    os.utime(folder, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # a coarse-mtime file system
    assert collection.scan().new == 0
    assert collection.scan(full=True).new == 1


def test_batches_write_folders_before_comics_and_removals_last(lib: Setup) -> None:
    write_cbz(lib.root / "Old/o.cbz")
    lib.scan()
    shutil.rmtree(lib.root / "Old")
    for n in range(5):
        write_cbz(lib.root / f"Q{n}/S/s {n}.cbz", salt=f"q{n}")
    scanner = Scanner(lib.index, lib.tree, lib.reader, lib.clock, batch_size=2)
    lib.index.batches.clear()
    report = scanner.scan(lib.library)
    assert (report.new, report.removed) == (5, 1)
    assert [len(b.added) for b in lib.index.batches] == [2, 2, 1]
    assert [bool(b.removed_comics or b.removed_folders) for b in lib.index.batches] == [
        False,
        False,
        True,
    ]
    first = lib.index.batches[0]
    # Each batch brings the folders its comics need, with their changed ancestors.
    assert [f.path.removeprefix(str(lib.root)) for f in first.folders] == [
        "",
        "/Q0",
        "/Q1",
        "/Q0/S",
        "/Q1/S",
    ]
    assert [f.path.removeprefix(str(lib.root)) for f in lib.index.batches[1].folders] == [
        "/Q2",
        "/Q3",
        "/Q2/S",
        "/Q3/S",
    ]


class _CutShort(RecordingIndex):
    """Loses its database after ``batches`` batches, as a scan killed half-way does."""

    def __init__(self, batches: int) -> None:
        super().__init__()
        self.left = batches

    def apply(self, library_id: int, changes: IndexChanges, at: datetime) -> None:
        if self.left == 0:
            raise StorageUnavailable("the database is gone")
        self.left -= 1
        super().apply(library_id, changes, at)


def test_the_scan_after_one_cut_short_finds_every_comic(lib: Setup) -> None:
    write_cbz(lib.root / "Old/S/o.cbz")
    lib.scan()
    for n in range(3):  # new comics in a known folder, and in new folders below known ones
        write_cbz(lib.root / f"Old/S/s {n}.cbz", salt=f"s{n}")
        write_cbz(lib.root / f"Old/T{n}/t.cbz", salt=f"t{n}")
    cut = _CutShort(batches=1)
    cut.inner = lib.index.inner
    with pytest.raises(StorageUnavailable):
        Scanner(cut, lib.tree, lib.reader, lib.clock, batch_size=2).scan(lib.library)
    assert len(lib.index.inner.snapshot(1).comics) == 3  # the first batch was written
    # The folders the cut-short scan wrote are listed again, not trusted half-written.
    report = lib.scan()
    assert (report.new, report.unchanged) == (4, 3)
    assert len(lib.index.inner.snapshot(1).comics) == 7


def test_progress_reports_every_phase(collection: Setup) -> None:
    write_cbz(collection.root / "DC/Batman/batman 002.cbz")
    seen: list[ScanProgress] = []
    scanner = Scanner(collection.index, collection.tree, collection.reader, collection.clock)
    scanner.scan(collection.library, progress=seen.append)
    assert seen[0].phase is ScanPhase.WALKING
    last = seen[-1]
    assert (last.phase, last.folders, last.files, last.to_open, last.opened) == (
        ScanPhase.INSPECTING,
        8,
        8,
        1,
        1,
    )
    # Nothing was missing or changed: the new file was digested by the read that opened it.
    assert any(p.phase is ScanPhase.FINGERPRINTING for p in seen)
    assert not any(p.phase is ScanPhase.FINGERPRINTING and p.opened for p in seen)
    # A changed file is fingerprinted before its archive is opened (it may now be unreadable).
    write_cbz(collection.root / "DC/Batman/batman 002.cbz", salt="rewritten")
    seen.clear()
    scanner.scan(collection.library, progress=seen.append)
    assert any(p.phase is ScanPhase.FINGERPRINTING and p.opened == 1 for p in seen)


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_a_pool_can_open_the_archives(
    lib: Setup, pool: type[ThreadPoolExecutor] | type[ProcessPoolExecutor]
) -> None:
    for n in range(6):
        write_cbz(lib.root / f"S/s {n}.cbz")
    (lib.root / "S/bad.cbz").write_bytes(b"garbage")
    with pool(max_workers=2) as executor, ThreadPoolExecutor(2) as threads:
        scanner = Scanner(
            lib.index,
            LocalFileTree(),
            FileArchiveReader(),
            lib.clock,
            inspect_map=executor.map,
            fingerprint_map=threads.map,
        )
        report = scanner.scan(lib.library)
    assert (report.new, report.unreadable) == (7, 1)
    assert lib.index.must(lib.root / "S/s 3.cbz").page_count == 2


def test_the_collector_resumes_with_the_walk_and_the_plan_set_aside(
    collection: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resumed with them still in its generations, its first collections would traverse all
    the walk made (a full one, on a large library, depending on what else the process holds)."""
    walked = [False]  # from the walk's end
    seen: list[int] = []  # objects frozen at each collection from the walk's end

    def then_walked(block: Callable[[], AbstractContextManager[None]], after: bool) -> object:
        @contextmanager
        def marked() -> Iterator[None]:
            with block():
                yield
            walked[0] = after

        return marked

    def collecting(phase: str, _info: dict[str, int]) -> None:
        if phase == "start" and walked[0]:
            seen.append(gc.get_freeze_count())

    # The pause ends with the walk; the objects set aside are given back as the scan ends.
    for name, after in (("collector_paused", True), ("older_objects_set_aside", False)):
        monkeypatch.setattr(scanner_module, name, then_walked(getattr(scanner_module, name), after))
    frozen, threshold = gc.get_freeze_count(), gc.get_threshold()
    gc.unfreeze()  # what earlier tests froze for good: the scan's own setting aside counts
    gc.callbacks.append(collecting)
    gc.set_threshold(1)  # a collection at every chance
    try:
        write_cbz(collection.root / "Marvel/X-Men/x-men 002.cbz")
        assert collection.scan().new == 1
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(collecting)
        if frozen:
            gc.freeze()
    # Frozen from the first collection after the walk, until given back as the scan ends.
    assert seen, "no collection after the walk"
    given_back = seen.index(0) if 0 in seen else len(seen)
    assert given_back > 0
    assert not any(seen[given_back:])
