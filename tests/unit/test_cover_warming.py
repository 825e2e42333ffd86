"""``CoverWarmer``: every cover of the chosen libraries into the disk cache, read in batches."""

from __future__ import annotations

from bagboard.adapters.memory.archive import MemoryArchiveReader
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexChanges
from bagboard.domain.images import COVER, FileStamp, RenditionKey
from bagboard.services.cover_warming import CoverWarmer
from tests.archive_factory import jpeg
from tests.unit.issue_wiring import IssueWiring
from tests.unit.scan_support import RecordingIndex

ROOT, OTHER = "/srv/comics", "/srv/other"


def test_covers_of_the_chosen_libraries_are_rendered_once_with_batched_reads() -> None:
    clock, index, libraries = ManualClock(), RecordingIndex(), MemoryLibraryStore()
    archives = MemoryArchiveReader()
    for root in (ROOT, OTHER):
        library = libraries.add(root, root)
        paths = [f"{root}/c{n}.cbz" for n in range(3)]
        entries = [(ComicEntry(p, 1, 1, p, ArchiveFormat.ZIP), clock.now()) for p in paths]
        changes = IndexChanges(folders=[FolderEntry(root, 0, 1)], added=entries)
        index.apply(library.id, changes, clock.now())
        for path in paths[:2]:
            archives.add(path, {"p.jpg": jpeg((10, 20, 30), (300, 450))})
        archives.add(paths[2], {"notes.txt": b"no image"})
    wiring = IssueWiring(index, libraries, archives, clock=clock)
    warmer = CoverWarmer(index, wiring.renditions)
    chosen = [libraries.list()[0]]
    assert warmer.count(chosen) == 3
    index.reads.clear()
    done: list[int] = []
    report = warmer.warm(chosen, size=200, threads=2, progress=done.append)
    assert (report.comics, report.ready, report.failed) == (3, 2, 1)
    assert done == [1, 2, 3]
    assert (index.reads["comic"], index.reads["comics"]) == (0, 1)
    keys = {}
    for root in (ROOT, OTHER):
        for n in range(3):
            comic = index.must(f"{root}/c{n}.cbz")
            keys[comic.path] = RenditionKey(comic.id, FileStamp.of(comic), COVER, 200)
    cached = {path for path, key in keys.items() if wiring.disk.get(key) is not None}
    assert cached == {f"{ROOT}/c0.cbz", f"{ROOT}/c1.cbz"}
    # Warming fills the disk cache only: what readers look at stays in memory.
    assert all(wiring.hot.get(key) is None for key in keys.values())
