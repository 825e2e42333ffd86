"""A first import (facets deferred to one rebuild, batches checkpointing seldom) leaves the SQL
index holding what the incremental path (a later scan adding the same files, its facets kept
batch by batch) holds: the same comic rows, folders and facet rows, but for the dates."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, select

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore
from bagboard.adapters.storage.db.facet_tables import (
    publisher_facets,
    publisher_series_facets,
    series_facets,
)
from bagboard.adapters.storage.db.tables import comics, folders
from bagboard.demo import make_library
from bagboard.demo.library import VARIED
from bagboard.domain.archive import COMIC_EXTENSIONS
from bagboard.domain.model import Library
from bagboard.services.scan.scanner import Scanner
from tests.unit.scan_support import utc

# Rows differ in these only: ids, and dates a first import takes from the files.
_SKIPPED = {"id", "library_id", "folder_id", "parent_id", "added_at", "updated_at", "indexed_at"}
_SKIPPED |= {"max_added_at", "search_id"}


def _scan(engine: Engine, library: Library) -> None:
    scanner = Scanner(
        SqlLibraryIndex(engine), LocalFileTree(), FileArchiveReader(), ManualClock(utc(2030)),
        batch_size=4,
    )  # fmt: skip
    scanner.scan(library)


def _rows(engine: Engine, table: Table, library: Library) -> list[tuple[Any, ...]]:
    columns = [c for c in table.c if c.name not in _SKIPPED]
    with engine.connect() as conn:
        found = conn.execute(select(*columns).where(table.c.library_id == library.id)).all()
    # Paths and search texts are compared below their library's root.
    rows = [tuple(str(v).replace(library.root, "ROOT") for v in row) for row in found]
    return sorted(rows)


def test_a_first_import_indexes_what_a_later_scan_adding_the_same_files_does(
    sql_engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    make_library(source, 24, seed=3, pages=2, page_size=(16, 24), mix=VARIED)
    # Same folder name: a root folder is named after it.
    first_root, later_root = tmp_path / "first" / "comics", tmp_path / "later" / "comics"
    shutil.copytree(source, first_root)
    libraries = SqlLibraryStore(sql_engine)
    first = libraries.add("first", str(first_root))
    later = libraries.add("later", str(later_root))
    # The later library starts with one comic, indexed by its own first scan...
    files = sorted(
        p.relative_to(source) for p in source.rglob("*") if p.suffix.lower() in COMIC_EXTENSIONS
    )
    (later_root / files[0]).parent.mkdir(parents=True)
    shutil.copy2(source / files[0], later_root / files[0])
    _scan(sql_engine, later)
    # ...then gets the rest, which its next scan adds as any new files.
    shutil.copytree(source, later_root, dirs_exist_ok=True)
    _scan(sql_engine, later)
    _scan(sql_engine, first)

    assert len(_rows(sql_engine, comics, first)) == len(files)
    assert _rows(sql_engine, series_facets, first) and _rows(sql_engine, publisher_facets, first)
    for table in (comics, folders, series_facets, publisher_series_facets, publisher_facets):
        assert _rows(sql_engine, table, first) == _rows(sql_engine, table, later), table.name
