"""KOReader's document ids in the SQL index's own rows: which aliases are kept, what a write
that did not read the file keeps, and what filling ids in for unchanged comics leaves alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select, update

from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore
from bagboard.adapters.storage.db.tables import comic_document_aliases, comics
from bagboard.domain.catalog import ComicDigest, ComicMove, IndexChanges
from bagboard.domain.kosync import name_md5, partial_md5
from bagboard.services.scan.scanner import Scanner
from tests.archive_factory import jpeg, write_cbz
from tests.contract.test_comic_documents import CountingReader
from tests.integration import test_sql_index
from tests.integration.test_sql_index import AT, ROOT, add, comic

index = test_sql_index.index
library_id = test_sql_index.library_id

A, B, C = "a" * 32, "b" * 32, "c" * 32
PATH = f"{ROOT}/Saga/Saga 1.cbz"


def aliases(engine: Engine, comic_id: int) -> set[str]:
    aliases = comic_document_aliases.c
    with engine.connect() as conn:
        rows = conn.execute(select(aliases.digest).where(aliases.comic_id == comic_id))
        return {digest for (digest,) in rows}


def ids(engine: Engine, comic_id: int) -> tuple[str | None, str | None]:
    with engine.connect() as conn:
        row = conn.execute(
            select(comics.c.kosync_md5, comics.c.name_md5).where(comics.c.id == comic_id)
        ).one()
        return row[0], row[1]


def added(index: SqlLibraryIndex, library_id: int, digest: str | None) -> int:
    add(index, library_id, replace(comic(PATH), kosync_md5=digest))
    found = index.comic_at(PATH)
    assert found is not None
    return found.id


def change(index: SqlLibraryIndex, library_id: int, comic_id: int, digest: str | None) -> None:
    changes = IndexChanges(changed=[(comic_id, replace(comic(PATH), kosync_md5=digest))])
    index.apply(library_id, changes, AT)


def test_superseded_content_ids_become_aliases_and_the_current_one_never_is(
    sql_engine: Engine, index: SqlLibraryIndex, library_id: int
) -> None:
    comic_id = added(index, library_id, A)
    assert ids(sql_engine, comic_id) == (A, name_md5(PATH))
    assert aliases(sql_engine, comic_id) == set()
    change(index, library_id, comic_id, B)
    assert (ids(sql_engine, comic_id)[0], aliases(sql_engine, comic_id)) == (B, {A})
    change(index, library_id, comic_id, C)
    assert (ids(sql_engine, comic_id)[0], aliases(sql_engine, comic_id)) == (C, {A, B})
    change(index, library_id, comic_id, A)  # back to the first content
    assert (ids(sql_engine, comic_id)[0], aliases(sql_engine, comic_id)) == (A, {B, C})
    change(index, library_id, comic_id, A)  # unchanged id: nothing to keep
    assert aliases(sql_engine, comic_id) == {B, C}


def test_a_write_that_did_not_read_the_file_keeps_its_content_id(
    sql_engine: Engine, index: SqlLibraryIndex, library_id: int
) -> None:
    comic_id = added(index, library_id, A)
    change(index, library_id, comic_id, None)
    renamed = replace(comic(f"{ROOT}/Saga/Saga #1.cbz"), kosync_md5=None)
    index.apply(library_id, IndexChanges(moved=[ComicMove(comic_id, renamed)]), AT)
    assert ids(sql_engine, comic_id) == (A, name_md5("Saga #1.cbz"))
    assert aliases(sql_engine, comic_id) == set()


def test_filling_in_ids_touches_nothing_else(
    sql_engine: Engine, index: SqlLibraryIndex, library_id: int
) -> None:
    comic_id = added(index, library_id, None)
    assert not index.snapshot(library_id).comics[PATH].digested
    with sql_engine.connect() as conn:
        before = conn.execute(select(comics).where(comics.c.id == comic_id)).one()._asdict()

    digest = ComicDigest(comic_id, PATH, A)
    index.apply(library_id, IndexChanges(digests=[digest]), AT + timedelta(days=1))
    with sql_engine.connect() as conn:
        after = conn.execute(select(comics).where(comics.c.id == comic_id)).one()._asdict()
    assert after == {**before, "kosync_md5": A, "name_md5": name_md5(PATH)}
    assert index.snapshot(library_id).comics[PATH].digested
    # Another library's comic is never written through this one's id.
    other = ComicDigest(comic_id, PATH, B)
    index.apply(library_id + 1, IndexChanges(digests=[other]), AT)
    assert ids(sql_engine, comic_id)[0] == A


def test_the_snapshot_finds_comics_without_ids_through_the_partial_index(
    sqlite_engine: Engine,
) -> None:
    # What keeps a rescan of a library whose comics all have ids from reading any row.
    statement = "SELECT id FROM comics WHERE library_id = 1 AND kosync_md5 IS NULL"
    with sqlite_engine.connect() as conn:
        plan = " ".join(str(row) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement))
    assert "ix_comics_undigested" in plan, plan


def test_a_comic_indexed_before_names_and_ids_gets_both_from_one_small_read(
    sql_engine: Engine, tmp_path: Path
) -> None:
    root = tmp_path / "comics"
    (root / "Saga").mkdir(parents=True)
    path = write_cbz(root / "Saga" / "Saga 001.cbz", {"p1.jpg": jpeg((9, 9, 9))})
    library = SqlLibraryStore(sql_engine).add("Comics", str(root))
    index = SqlLibraryIndex(sql_engine)
    reader = CountingReader()
    scanner = Scanner(index, LocalFileTree(), reader, ManualClock())
    scanner.scan(library)
    comic_id = next(iter(index.snapshot(library.id).comics.values())).id
    with sql_engine.begin() as conn:  # as migrations 0013 and 0016 leave a comic
        conn.execute(update(comics).values(metadata_sources=None, kosync_md5=None, name_md5=None))
    known = index.snapshot(library.id).comics[str(path)]
    assert (known.named, known.digested) == (False, False)

    scanner.scan(library)
    assert reader.opened == Counter({str(path): 1})  # the first scan only
    with path.open("rb") as file:
        assert ids(sql_engine, comic_id) == (partial_md5(file), name_md5("Saga 001.cbz"))
    comic = index.comic(comic_id)
    assert comic is not None and comic.sources  # its names filled its metadata again
