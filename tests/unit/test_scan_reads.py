"""The pieces of a pool-read scan on their own: the pool map's window and what a stopped
reader cancels, its warm-up threshold, and a read's compact trip between processes."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import replace
from pathlib import Path

import pytest

from bagboard import pools
from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.storage.index.rows import comic_row
from bagboard.domain.archive import ArchiveFormat, ArchiveSummary
from bagboard.domain.catalog import ComicEntry
from bagboard.domain.comicinfo import DeferredPages
from bagboard.domain.files import FileDigests
from bagboard.domain.model import Library
from bagboard.services.scan import reading
from bagboard.services.scan.results import FileRead, Inspection
from bagboard.services.scan.scanner import Scanner
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.unit.scan_support import utc


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pools, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(pools, "CHUNK", 2)
    monkeypatch.setattr(pools, "AHEAD", 4)


class _LazyExecutor(Executor):
    """Runs the first ``ready`` tasks as they are submitted; the rest stay queued."""

    def __init__(self, ready: int) -> None:
        self.ready = ready
        self.futures: list[Future[object]] = []

    def submit(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future:  # type: ignore[type-arg]
        future: Future[object] = Future()
        if len(self.futures) < self.ready:
            future.set_result(fn(*args, **kwargs))
        self.futures.append(future)
        return future


@pytest.mark.usefixtures("small_windows")
def test_the_pool_map_keeps_a_window_and_cancels_it_when_the_reader_stops() -> None:
    executor = _LazyExecutor(ready=3)

    class Source:
        def __call__(self) -> Executor:
            return executor

        def shutdown(self) -> None:
            raise AssertionError("nothing broke")

    results = pools.PoolMap(Source())(str.upper, [f"f{n}" for n in range(40)])
    taken = [next(results) for _ in range(3 * pools.CHUNK)]
    assert taken == [f"F{n}" for n in range(3 * pools.CHUNK)]
    # Never more than a window queued beyond what was taken.
    assert len(executor.futures) * pools.CHUNK <= 3 * pools.CHUNK + pools.AHEAD
    results.close()  # type: ignore[attr-defined]  # what a scan stopped midway does (``reading.read_stream``)
    assert all(future.cancelled() for future in executor.futures[3:])


@pytest.mark.parametrize(
    "read",
    [
        FileRead(None),
        FileRead(Inspection(None, "the archive is corrupt"), FileDigests("9:abc", "d41d8")),
        FileRead(Inspection(ArchiveSummary(ArchiveFormat.PDF, ("1", "2"))), None),
    ],
)
def test_a_read_survives_the_trip_between_processes(read: FileRead) -> None:
    assert pickle.loads(pickle.dumps(read)) == read


def test_a_read_with_comicinfo_survives_the_trip_between_processes(tmp_path: Path) -> None:
    path = write_cbz(
        tmp_path / "a.cbz",
        {
            "p1.jpg": jpeg((1, 2, 3)),
            "p2.jpg": jpeg((3, 2, 1)),
            "ComicInfo.xml": comicinfo_xml(
                {"Series": "S", "Title": "T", "Summary": "x" * 50, "PageCount": "2"},
                [{"Image": "1", "Type": "FrontCover", "DoublePage": "True"}, {"Image": "0"}],
            ),
        },
    )
    read = FileRead(Inspection(FileArchiveReader().inspect(str(path))), FileDigests("1:a", "b"))
    back = pickle.loads(pickle.dumps(read))
    assert back == read
    assert back.inspection is not None and back.inspection.summary is not None
    info = back.inspection.summary.comic_info
    assert info is not None and info.pages[0].double_page and info.page_count == 2


def test_the_pool_map_starts_no_process_for_a_small_library() -> None:
    started: list[bool] = []

    class Source:
        def __call__(self) -> None:
            started.append(True)

        def shutdown(self) -> None:
            pass

    pool_map = pools.PoolMap(Source())
    pool_map.warm(pools.POOL_THRESHOLD - 1)
    assert started == []
    pool_map.warm(pools.POOL_THRESHOLD)
    assert started == [True]


def test_the_pool_map_starts_its_workers_without_holding_up_the_walk() -> None:
    # Starting a worker waits for the forkserver; warm() must return before that is done.
    release, submitted = threading.Event(), threading.Event()

    class Slow(Executor):
        def __init__(self) -> None:
            self.tasks = 0

        def submit(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future:  # type: ignore[type-arg]
            assert release.wait(10)
            self.tasks += 1
            if self.tasks == pools.cpu_count():
                submitted.set()
            future: Future[object] = Future()
            future.set_result(fn(*args, **kwargs))
            return future

    executor = Slow()

    class Source:
        def __call__(self) -> Executor:
            return executor

        def shutdown(self) -> None:
            pass

    pools.PoolMap(Source()).warm(pools.POOL_THRESHOLD)
    assert executor.tasks == 0  # returned while the first worker was still starting
    release.set()
    assert submitted.wait(10)  # one task per CPU, each starting a worker


class _CannotStart:
    """A map whose pool cannot even start (no processes left, say), when told or asked."""

    def __init__(self) -> None:
        self.calls = 0

    def warm(self, files: int) -> None:
        raise OSError("Resource temporarily unavailable")

    def __call__(self, fn: Callable[[str], FileRead], items: Iterable[str], /) -> Iterator[str]:
        self.calls += 1
        raise OSError("Resource temporarily unavailable")


def test_a_pool_that_cannot_start_still_lets_the_scan_read_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "WARM_AFTER", 1)
    for number in range(5):
        write_cbz(tmp_path / f"{number}.cbz", {"p.jpg": jpeg((number, 0, 0))})
    broken = _CannotStart()
    scanner = Scanner(
        MemoryLibraryIndex(), LocalFileTree(), FileArchiveReader(), ManualClock(utc(2030)),
        inspect_map=broken, batch_size=2,  # type: ignore[arg-type]
    )  # fmt: skip
    report = scanner.scan(Library(1, "Comics", str(tmp_path)))
    assert (report.new, report.unreadable) == (5, 0)
    assert broken.calls == 3  # asked again after each batch read around it


def test_a_read_back_is_stored_as_the_read_itself_without_building_its_pages(
    tmp_path: Path,
) -> None:
    pages = [{"Image": "1", "Type": " frontcover", "ImageWidth": "800"}, {"Image": "0"}]
    path = write_cbz(
        tmp_path / "a.cbz",
        {
            "p1.jpg": jpeg((1, 2, 3)),
            "p2.jpg": jpeg((3, 2, 1)),
            "ComicInfo.xml": comicinfo_xml({"Series": "S", "PageCount": "2"}, pages),
        },
    )
    summary = FileArchiveReader().inspect(str(path))
    back = pickle.loads(pickle.dumps(FileRead(Inspection(summary))))
    assert back.inspection is not None and back.inspection.summary is not None
    info, back_info = summary.comic_info, back.inspection.summary.comic_info
    assert info is not None and back_info is not None
    assert isinstance(back_info.pages, DeferredPages) and back_info.pages.values is not None
    entry = ComicEntry(str(path), 1, 1, "1:a", ArchiveFormat.ZIP, 2, info)
    assert comic_row(replace(entry, comic_info=back_info)) == comic_row(entry)
    assert back_info.front_cover_index == info.front_cover_index == 1
    assert back_info.pages == info.pages  # and built when read
