"""A first scan leaves the index's facet upkeep to its last batch; later scans keep it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.domain.model import Library
from bagboard.services.scan.scanner import Scanner
from tests.unit.scan_support import CountingReader, RecordingIndex, utc, write_cbz


def _scan(index: RecordingIndex, library: Library) -> None:
    index.batches.clear()
    scanner = Scanner(
        index, LocalFileTree(), CountingReader(), ManualClock(utc(2030)), batch_size=2
    )
    scanner.scan(library)


def test_a_first_scan_defers_facets_to_its_last_batch_and_later_scans_do_not(
    tmp_path: Path,
) -> None:
    root = tmp_path / "comics"
    for n in range(5):
        write_cbz(root / f"Saga/saga {n}.cbz", series="Saga", number=str(n))
    library = Library(1, "Comics", str(root))
    index = RecordingIndex()
    _scan(index, library)
    flags = [(batch.defer_facets, batch.rebuild_facets) for batch in index.batches]
    assert flags == [(True, False), (True, False), (False, True)]
    assert sum(len(batch.added) for batch in index.batches) == 5

    write_cbz(root / "Saga/saga 9.cbz", series="Saga", number="9")
    _scan(index, library)
    assert [(b.defer_facets, b.rebuild_facets) for b in index.batches] == [(False, False)]


def test_a_first_scan_with_nothing_to_add_still_rebuilds_the_facets(tmp_path: Path) -> None:
    root = tmp_path / "comics"
    root.mkdir()
    index = RecordingIndex()
    _scan(index, Library(1, "Comics", str(root)))
    assert [batch.rebuild_facets for batch in index.batches] == [True]


class _Ticking(ManualClock):
    """Ten seconds pass at every look: a long first import."""

    def now(self) -> datetime:
        self.advance(timedelta(seconds=10))
        return super().now()


def test_a_long_first_import_rebuilds_the_facets_on_the_way(tmp_path: Path) -> None:
    """The lists by publisher and series fill in while a long first import runs."""
    root = tmp_path / "comics"
    for n in range(9):
        write_cbz(root / f"Saga/saga {n}.cbz", series="Saga", number=str(n))
    index = RecordingIndex()
    scanner = Scanner(index, LocalFileTree(), CountingReader(), _Ticking(utc(2030)), batch_size=2)
    scanner.scan(Library(1, "Comics", str(root)))
    rebuilt = [batch.rebuild_facets for batch in index.batches]
    assert rebuilt[-1] and 1 < sum(rebuilt) < len(rebuilt)
    # A batch either keeps its facets for later or rebuilds them all, never both.
    assert all(b.defer_facets != b.rebuild_facets for b in index.batches)
