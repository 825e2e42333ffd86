"""A first import's facets on every SQL backend: its batches leave the facet tables alone
(``IndexChanges.defer_facets``) and its last batch rebuilds the library's
(``rebuild_facets``), arriving at exactly what batch-by-batch upkeep gives."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore
from bagboard.adapters.storage.db.facet_tables import publisher_facets, series_facets
from bagboard.domain.catalog import IndexChanges
from bagboard.services.scan.scanner import Scanner
from tests.integration.test_sql_facets import (
    AT,
    Shelf,
    _expected,
    _search_finds_what_the_rows_hold,
    _sources_are_complete,
    _stored,
)
from tests.unit.scan_support import write_cbz


def _deferred_batch(shelf: Shelf, *, last: bool = False, size: int = 12) -> None:
    rng = shelf.rng
    added = [(shelf._entry(), AT - timedelta(days=rng.randint(0, 900))) for _ in range(size)]
    changes = IndexChanges(added=added, defer_facets=not last, rebuild_facets=last)
    shelf.index.apply(shelf.library_id, changes, AT)


def _library_rows(engine: Engine, library_id: int) -> int:
    with engine.connect() as conn:
        found = 0
        for table in (series_facets, publisher_facets):
            found += len(conn.execute(select(table).where(table.c.library_id == library_id)).all())
        return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_first_import_rebuilds_with_its_last_batch_what_every_batch_would_keep(
    sql_engine: Engine, seed: int
) -> None:
    rng = random.Random(seed)
    # Another library's batches come and go meanwhile, keeping the rows over every library.
    other = Shelf(sql_engine, "comics", rng)
    other.batch()
    shelf = Shelf(sql_engine, "manga", rng)
    for _ in range(4):
        _deferred_batch(shelf)
        other.batch()
    assert _library_rows(sql_engine, shelf.library_id) == 0  # left alone until the last
    _deferred_batch(shelf, last=True)
    assert _stored(sql_engine) == _expected(sql_engine)
    assert _sources_are_complete(sql_engine)
    _search_finds_what_the_rows_hold(sql_engine, rng)
    assert _library_rows(sql_engine, shelf.library_id) > 0
    # Later batches keep them up to date batch by batch, from the rebuilt rows.
    for _ in range(3):
        shelf.batch()
        other.batch()
        assert _stored(sql_engine) == _expected(sql_engine)


def test_a_rebuild_alone_heals_a_first_import_cut_short(sql_engine: Engine) -> None:
    rng = random.Random(5)
    shelf = Shelf(sql_engine, "comics", rng)
    for _ in range(3):
        _deferred_batch(shelf)  # and no last batch: the scan was killed
    # The next scan (a first one again) found nothing new; its last batch holds only this.
    shelf.index.apply(shelf.library_id, IndexChanges(rebuild_facets=True), AT)
    assert _stored(sql_engine) == _expected(sql_engine)
    assert _library_rows(sql_engine, shelf.library_id) > 0


def test_a_rebuild_replaces_rows_left_by_earlier_batches(sql_engine: Engine) -> None:
    rng = random.Random(9)
    shelves = [Shelf(sql_engine, name, rng) for name in ("comics", "manga")]
    for _ in range(3):
        for shelf in shelves:
            shelf.batch()
    _deferred_batch(shelves[0], size=20)
    _deferred_batch(shelves[0], last=True, size=0)
    assert _stored(sql_engine) == _expected(sql_engine)
    assert _sources_are_complete(sql_engine)


def test_a_first_scan_in_batches_leaves_the_facets_grouping_gives(
    sql_engine: Engine, tmp_path: Path
) -> None:
    root = tmp_path / "comics"
    for n in range(7):
        series = ["Saga", "SAGA", "Batman"][n % 3]
        write_cbz(root / f"{series}/{series} {n}.cbz", series=series, number=str(n))
    write_cbz(root / "loose/untagged 1.cbz")
    library = SqlLibraryStore(sql_engine).add("comics", str(root))
    index = SqlLibraryIndex(sql_engine)
    scanner = Scanner(index, LocalFileTree(), FileArchiveReader(), ManualClock(AT), batch_size=2)
    scanner.scan(library)
    stored = _stored(sql_engine)
    assert stored == _expected(sql_engine)
    assert {"saga", "batman"} <= {row[1] for row in stored["series_facets"]}
