"""A scan whose archives a process pool reads: the same index as a serial scan, bad files
reported without losing the rest, and a scan stopped midway cancels the reads queued for it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from bagboard import pools
from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.files import FileDigests
from bagboard.domain.model import Library
from bagboard.services.scan import reading
from bagboard.services.scan.results import FileRead
from bagboard.services.scan.scanner import Scanner, ScanPhase, ScanProgress, ScanReport
from tests.archive_factory import comicinfo_xml, jpeg, truncate, write_archive, write_cbz
from tests.pdf_factory import write_pdf
from tests.unit.scan_support import utc

CONTAINERS = (ArchiveFormat.ZIP, ArchiveFormat.TAR, ArchiveFormat.SEVEN_ZIP)
SUFFIX = {ArchiveFormat.ZIP: "cbz", ArchiveFormat.TAR: "cbt", ArchiveFormat.SEVEN_ZIP: "cb7"}


def _mixed_library(root: Path, count: int) -> set[str]:
    """``count`` comics of every container, with and without ComicInfo, in nested folders;
    returns the paths of the files that cannot be read."""
    for number in range(count):
        container = CONTAINERS[number % len(CONTAINERS)]
        folder = root / f"Pub {number % 2}" / f"Series {number % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        members: dict[str, bytes] = {
            f"p{page}.jpg": jpeg((number % 250, page, 0)) for page in range(1 + number % 3)
        }
        if number % 4:
            pages = [{"Image": "0", "Type": "FrontCover", "ImageWidth": "60"}]
            fields = {"Series": f"Series {number % 5}", "Number": str(number), "Year": "1990"}
            members["ComicInfo.xml"] = comicinfo_xml(fields, pages if number % 3 else ())
        write_archive(container, folder / f"Issue {number:03}.{SUFFIX[container]}", members)
    write_pdf(root / "Pub 0" / "Series 0" / "Scanned.pdf", 2)
    garbage = root / "Pub 1" / "garbage.cbz"
    garbage.write_bytes(b"not a zip at all")
    cut = write_cbz(root / "Pub 1" / "cut.cbz", {f"p{n}.jpg": jpeg((n, 9, 9)) for n in range(4)})
    truncate(cut, 0.5)
    return {str(garbage), str(cut)}


def _scan(library: Path, **options: object) -> tuple[ScanReport, MemoryLibraryIndex]:
    index = MemoryLibraryIndex()
    scanner = Scanner(
        index,
        LocalFileTree(),
        FileArchiveReader(),
        ManualClock(utc(2030)),
        batch_size=7,
        **options,  # type: ignore[arg-type]
    )
    return scanner.scan(Library(1, "Comics", str(library))), index


@contextlib.contextmanager
def _pool_map(workers: int = 2) -> Iterator[pools.PoolMap]:
    """The application's pool map over a real process pool, started on first use."""
    holder: list[object] = []
    source = contextlib.contextmanager(pools.inspect_pool)(workers)

    class Source:
        def __call__(self) -> object:
            if not holder:
                holder.append(source.__enter__())
            return holder[0]

        def shutdown(self) -> None:
            if holder:
                source.__exit__(None, None, None)
                holder.clear()

    provider = Source()
    try:
        yield pools.PoolMap(provider)  # type: ignore[arg-type]
    finally:
        provider.shutdown()


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool for a handful of files, in chunks of two, four files ahead at most."""
    monkeypatch.setattr(pools, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(pools, "CHUNK", 2)
    monkeypatch.setattr(pools, "AHEAD", 4)


def _index_state(index: MemoryLibraryIndex) -> tuple[object, ...]:
    snapshot = index.snapshot(1)
    comics = {path: index.comic_at(path) for path in snapshot.comics}
    return snapshot.folders, comics, snapshot.comics


@pytest.mark.usefixtures("small_windows")
def test_a_pool_gives_the_index_a_serial_scan_gives(tmp_path: Path) -> None:
    unreadable = _mixed_library(tmp_path / "lib", 30)
    serial_report, serial = _scan(tmp_path / "lib")
    with _pool_map() as parallel_map:
        report, parallel = _scan(tmp_path / "lib", inspect_map=parallel_map)
    assert report == serial_report
    assert (report.new, report.unreadable) == (33, 2)
    assert _index_state(parallel) == _index_state(serial)
    # The bad files are indexed as such, and everything else as readable, with its metadata.
    comics = _index_state(parallel)[1]
    assert isinstance(comics, dict)
    assert {path for path, comic in comics.items() if comic.error} == unreadable
    issue = comics[str(tmp_path / "lib/Pub 1/Series 1/Issue 001.cbt")]
    assert issue.comic_info.series == "Series 1" and issue.page_count == 2
    known = parallel.snapshot(1).comics
    assert all(comic.fingerprint and comic.digested for comic in known.values())


@pytest.mark.usefixtures("small_windows")
def test_a_first_import_digests_each_new_file_once_in_the_pool(tmp_path: Path) -> None:
    _mixed_library(tmp_path / "lib", 6)

    index = MemoryLibraryIndex()
    with _pool_map() as parallel_map:
        scanner = Scanner(
            index,
            _WorkerOnlyTree(os.getpid()),
            FileArchiveReader(),
            ManualClock(utc(2030)),
            inspect_map=parallel_map,
            batch_size=3,
        )
        report = scanner.scan(Library(1, "Comics", str(tmp_path / "lib")))
    assert report.new == 9
    known = index.snapshot(1).comics.values()
    assert all(comic.fingerprint and comic.digested for comic in known)


class _WorkerOnlyTree(LocalFileTree):
    """A tree whose digests may only be read in a pool worker, never in the test process."""

    def __init__(self, main_pid: int) -> None:
        self.main_pid = main_pid

    def digests(self, path: str) -> FileDigests | None:
        assert os.getpid() != self.main_pid, "digested in the scanning process"
        return super().digests(path)


class _Stop(Exception):
    pass


@pytest.mark.usefixtures("small_windows")
def test_a_scan_stopped_midway_leaves_the_pool_good_for_the_next(tmp_path: Path) -> None:
    for number in range(60):
        path = tmp_path / "lib" / "S" / f"{number:03}.cbz"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, {"p.jpg": jpeg((number, 0, 0))})
    index = MemoryLibraryIndex()

    def stop_after_ten(progress: ScanProgress) -> None:
        if progress.phase is ScanPhase.INSPECTING and progress.opened >= 10:
            raise _Stop

    with _pool_map() as parallel_map:
        scanner = Scanner(
            index,
            LocalFileTree(),
            FileArchiveReader(),
            ManualClock(utc(2030)),
            inspect_map=parallel_map,
            batch_size=5,
        )
        with pytest.raises(_Stop):
            scanner.scan(Library(1, "Comics", str(tmp_path / "lib")), progress=stop_after_ten)
        # The map is still good for the next scan, which finds every comic.
        report = scanner.scan(Library(1, "Comics", str(tmp_path / "lib")))
    assert report.new + report.unchanged == 60


def test_a_scan_stopped_midway_closes_its_reads(tmp_path: Path) -> None:
    for number in range(12):
        path = tmp_path / "lib" / f"{number:03}.cbz"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, {"p.jpg": jpeg((number, 0, 0))})
    closed: list[int] = []

    def recording_map(fn: Callable[[str], FileRead], paths: Iterable[str]) -> Iterator[FileRead]:
        done = 0
        try:
            for path in paths:
                yield fn(path)
                done += 1
        finally:
            closed.append(done)

    def stop_after_five(progress: ScanProgress) -> None:
        if progress.phase is ScanPhase.INSPECTING and progress.opened >= 5:
            raise _Stop

    scanner = Scanner(
        MemoryLibraryIndex(),
        LocalFileTree(),
        FileArchiveReader(),
        ManualClock(utc(2030)),
        inspect_map=recording_map,  # type: ignore[arg-type]
        batch_size=4,
    )
    try:
        scanner.scan(Library(1, "Comics", str(tmp_path / "lib")), progress=stop_after_five)
    except _Stop as stopped:
        # Closed by the scan as it stopped, while its frames (and so the stream) still live.
        assert stopped.__traceback__ is not None
        assert closed == [4]
    else:
        pytest.fail("the scan did not stop")


def test_a_new_file_that_cannot_be_read_leaves_every_folder_count_right(tmp_path: Path) -> None:
    lost = tmp_path / "lib" / "A" / "B" / "01.cbz"

    class LosesOne(LocalFileTree):
        def digests(self, path: str) -> FileDigests | None:
            return None if path == str(lost) else super().digests(path)

    for name in ("A/B/01.cbz", "A/B/02.cbz", "A/03.cbz", "C/04.cbz", "C/05.cbz", "C/06.cbz"):
        (tmp_path / "lib" / name).parent.mkdir(parents=True, exist_ok=True)
        write_cbz(tmp_path / "lib" / name, {"p.jpg": jpeg((len(name), 0, 0))})
    index = MemoryLibraryIndex()
    # Batches of two: the lost file's folders are written with the first, counted once more.
    scanner = Scanner(index, LosesOne(), FileArchiveReader(), ManualClock(utc(2030)), batch_size=2)
    report = scanner.scan(Library(1, "Comics", str(tmp_path / "lib")))
    assert report.new == 5
    folders = index.snapshot(1).folders
    counts = {Path(path).name: folder.comic_count for path, folder in folders.items()}
    assert counts == {"lib": 5, "A": 2, "B": 1, "C": 3}
    assert all(folder.mtime_ns > 0 for folder in folders.values())


class _WarmedMap:
    """A serial map that records when the scan told it how many files are coming."""

    def __init__(self) -> None:
        self.warmed: list[int] = []

    def warm(self, files: int) -> None:
        self.warmed.append(files)

    def __call__(
        self, fn: Callable[[str], FileRead], items: Iterable[str], /
    ) -> Iterator[FileRead]:
        return map(fn, items)


def test_a_first_import_warms_the_pool_during_the_walk_and_a_rescan_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "WARM_AFTER", 3)
    for number in range(6):
        path = tmp_path / "big" / f"S{number % 3}" / f"{number}.cbz"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, {"p.jpg": jpeg((number, 0, 0))})
    (tmp_path / "small").mkdir()
    write_cbz(tmp_path / "small" / "a.cbz", {"p.jpg": jpeg((1, 1, 1))})
    warmed = _WarmedMap()
    scanner = Scanner(
        MemoryLibraryIndex(), LocalFileTree(), FileArchiveReader(), ManualClock(utc(2030)),
        inspect_map=warmed,  # type: ignore[arg-type]
    )  # fmt: skip
    scanner.scan(Library(1, "Big", str(tmp_path / "big")))
    assert len(warmed.warmed) == 1 and 3 <= warmed.warmed[0] <= 6  # once, as soon as enough
    scanner.scan(Library(1, "Big", str(tmp_path / "big")))  # a rescan: nothing to warm for
    scanner.scan(Library(2, "Small", str(tmp_path / "small")))  # too few files to be worth it
    assert len(warmed.warmed) == 1
