"""The SQL library index beyond the port contract: atomicity, id allocation, the stored sort keys
and the exact round trip of ComicInfo, on every SQL backend."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, inspect, select, text

from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore
from bagboard.adapters.storage.db.tables import comic_removals, comics, folders
from bagboard.adapters.storage.index.rows import sort_key
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import (
    ComicEntry,
    ComicMove,
    FolderEntry,
    IndexChanges,
    KnownComic,
    KnownFolder,
)
from bagboard.domain.comicinfo import ComicInfo, ComicPageInfo
from bagboard.domain.errors import InvalidInput
from bagboard.domain.kosync import name_md5
from bagboard.domain.naturalsort import natural_key
from tests.storage_fixtures import POSTGRES_URL

ROOT = "/srv/comics"
AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ADDED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def library_id(sql_engine: Engine) -> int:
    return SqlLibraryStore(sql_engine).add("Comics", ROOT).id


@pytest.fixture
def index(sql_engine: Engine) -> SqlLibraryIndex:
    return SqlLibraryIndex(sql_engine)


def tree(*paths: str) -> list[FolderEntry]:
    """The root and every folder leading to ``paths``, parents first."""
    found = {ROOT: 0}
    for path in paths:
        parts = posixpath.relpath(path, ROOT).split("/")
        for depth in range(1, len(parts) + 1):
            found[posixpath.join(ROOT, *parts[:depth])] = depth
    return [FolderEntry(path, depth, mtime_ns=1) for path, depth in found.items()]


def comic(path: str, *, info: ComicInfo | None = None, size: int = 100) -> ComicEntry:
    return ComicEntry(
        path=path,
        size=size,
        mtime_ns=1_700_000_000_000_000_000,
        fingerprint=f"fp:{path}",
        format=ArchiveFormat.ZIP,
        page_count=20,
        comic_info=info,
        kosync_md5=name_md5(path),  # any 32 hex digits: what a scan reads from the file
    )


def add(index: SqlLibraryIndex, library_id: int, *entries: ComicEntry) -> None:
    folders = tree(*{entry.folder_path for entry in entries})
    changes = IndexChanges(folders=folders, added=[(entry, ADDED) for entry in entries])
    index.apply(library_id, changes, AT)


def test_a_failing_batch_leaves_the_index_unchanged(
    index: SqlLibraryIndex, library_id: int
) -> None:
    add(index, library_id, comic(f"{ROOT}/Marvel/X/x 1.cbz"), comic(f"{ROOT}/Marvel/X/x 2.cbz"))
    before = index.snapshot(library_id)
    x1 = before.comics[f"{ROOT}/Marvel/X/x 1.cbz"]
    changes = IndexChanges(
        folders=tree(f"{ROOT}/DC/Y"),
        added=[(comic(f"{ROOT}/DC/Y/y 1.cbz"), ADDED)],
        changed=[(x1.id, comic(x1.path, size=999))],
        removed_comics=[before.comics[f"{ROOT}/Marvel/X/x 2.cbz"].id],
        # Last and invalid: the folder still holds x 1.
        removed_folders=[f"{ROOT}/Marvel/X"],
    )
    with pytest.raises(InvalidInput):
        index.apply(library_id, changes, AT + timedelta(hours=1))
    assert index.snapshot(library_id) == before
    unchanged = index.comic(x1.id)
    assert unchanged is not None
    assert (unchanged.size, unchanged.comic_info) == (100, None)


def test_ids_of_removed_comics_are_never_reused(
    index: SqlLibraryIndex, library_id: int, sql_engine: Engine
) -> None:
    first, second = f"{ROOT}/A/a 1.cbz", f"{ROOT}/A/a 2.cbz"
    add(index, library_id, comic(first), comic(second))
    highest = index.snapshot(library_id).comics[second].id
    index.apply(library_id, IndexChanges(removed_comics=[highest]), AT)
    add(index, library_id, comic(f"{ROOT}/A/a 3.cbz"))
    assert index.snapshot(library_id).comics[f"{ROOT}/A/a 3.cbz"].id > highest
    with sql_engine.connect() as conn:
        removal = conn.execute(select(comic_removals)).mappings().one()
    assert (removal["comic_id"], removal["path"], removal["removed_at"]) == (highest, second, AT)


def test_comicinfo_round_trips_exactly(index: SqlLibraryIndex, library_id: int) -> None:
    info = ComicInfo(
        title="The Ürban Legend",
        series="Batman",
        number="1.5",
        count="12",
        volume="2016",
        year="2017",
        writer="Tom King",
        publisher="DC Comics",
        genre="Superhero",
        characters="Batman, Catwoman",
        page_count=24,
        summary="Line one.\nLine two: «quoted»",
        manga="No",
        language_iso="en",
        tags="crime",
        pages=(
            ComicPageInfo(0, type="FrontCover", image_width=1988, image_height=3056),
            ComicPageInfo(1),
            ComicPageInfo(2, double_page=True, image_size=1_234_567, bookmark="Splash"),
        ),
    )
    path = f"{ROOT}/DC/Batman/Batman 1.5.cbz"
    add(index, library_id, comic(path, info=info), comic(f"{ROOT}/DC/Batman/bare.cbz"))
    stored = index.comic_at(path)
    assert stored is not None
    assert stored.comic_info == info
    assert (stored.added_at, stored.format, stored.page_count) == (ADDED, ArchiveFormat.ZIP, 20)
    assert index.comic(stored.id) == stored
    bare = index.comic_at(f"{ROOT}/DC/Batman/bare.cbz")
    assert bare is not None and bare.comic_info is None


def test_derived_metadata_keys(index: SqlLibraryIndex, library_id: int, sql_engine: Engine) -> None:
    info = ComicInfo(publisher=" DC Comics ", series="STRASSE", number="10", year="1985")
    add(index, library_id, comic(f"{ROOT}/DC/S/s.cbz", info=info))
    with sql_engine.connect() as conn:
        row = conn.execute(select(comics)).mappings().one()
    assert (row["publisher_key"], row["series_key"]) == ("dc comics", "strasse")
    assert (row["number_sort"], row["year_int"], row["has_comicinfo"]) == (
        sort_key("10"),
        1985,
        True,
    )


NAMES = ["Batman 10", "batman 2", "Batman 1.5", "Ärger 1", "2000 AD", "'Mazing Man", "batman"]


def test_sort_keys_order_like_natural_sort() -> None:
    assert sorted(NAMES, key=sort_key) == sorted(NAMES, key=natural_key)
    assert sorted(NAMES, key=sort_key) == [
        "2000 AD",
        "'Mazing Man",
        "batman",
        "Batman 1.5",
        "batman 2",
        "Batman 10",
        "Ärger 1",
    ]
    # Runs too long for the fixed width still compare by magnitude.
    huge = ["n" + "9" * 20, "n" + "1" + "0" * 20, "n" + "2" * 30, "n1"]
    assert sorted(huge, key=sort_key) == sorted(huge, key=natural_key)


def test_order_by_the_stored_keys_is_natural_order(
    index: SqlLibraryIndex, library_id: int, sql_engine: Engine
) -> None:
    series = f"{ROOT}/Mixed"
    names = [*NAMES, "Batman 02", "a b", "ab", "a-c", "a_c"]
    add(index, library_id, *(comic(f"{series}/{name}/{name}.cbz") for name in names))
    with sql_engine.connect() as conn:
        comic_order = conn.execute(
            select(comics.c.name).order_by(comics.c.name_sort, comics.c.name)
        ).scalars()
        folder_order = conn.execute(
            select(folders.c.name)
            .where(folders.c.depth == 2)
            .order_by(folders.c.name_sort, folders.c.name)
        ).scalars()
        assert list(folder_order) == sorted(names, key=natural_key)
        assert list(comic_order) == sorted((f"{name}.cbz" for name in names), key=natural_key)


def test_sort_keys_use_bytewise_collation(sql_engine: Engine) -> None:
    # Test databases often run under C.UTF-8, where a missing COLLATE "C" would go unnoticed.
    for table in ("folders", "comics"):
        columns = {c["name"]: c for c in inspect(sql_engine).get_columns(table)}
        collation = getattr(columns["name_sort"]["type"], "collation", None)
        assert collation == ("C" if sql_engine.dialect.name == "postgresql" else None)


def test_a_path_is_indexed_once(
    index: SqlLibraryIndex, library_id: int, sql_engine: Engine
) -> None:
    add(index, library_id, comic(f"{ROOT}/A/a.cbz"))
    with pytest.raises(InvalidInput):
        index.apply(library_id, IndexChanges(added=[(comic(f"{ROOT}/A/a.cbz"), ADDED)]), AT)
    # Another library's folder at the same path is refused just the same.
    manga = SqlLibraryStore(sql_engine).add("Manga", "/srv/manga").id
    with pytest.raises(InvalidInput):
        index.apply(manga, IndexChanges(folders=[FolderEntry(f"{ROOT}/A", 0, 1)]), AT)
    assert len(index.snapshot(library_id).comics) == 1


def test_a_folder_listed_twice_is_written_once(index: SqlLibraryIndex, library_id: int) -> None:
    twice = [*tree(f"{ROOT}/A"), FolderEntry(f"{ROOT}/A", 1, mtime_ns=7, comic_count=3)]
    index.apply(library_id, IndexChanges(folders=twice), AT)
    folder = index.snapshot(library_id).folders[f"{ROOT}/A"]
    assert (folder.mtime_ns, folder.comic_count) == (7, 3)


def test_a_move_keeps_the_id_and_the_metadata(index: SqlLibraryIndex, library_id: int) -> None:
    old, new = f"{ROOT}/A/a.cbz", f"{ROOT}/B/renamed.cbz"
    add(index, library_id, comic(old, info=ComicInfo(series="A")))
    moved_id = index.snapshot(library_id).comics[old].id
    changes = IndexChanges(
        folders=tree(f"{ROOT}/B"),
        moved=[ComicMove(moved_id, comic(new))],
        removed_folders=[f"{ROOT}/A"],
    )
    index.apply(library_id, changes, AT + timedelta(days=1))
    stored = index.comic(moved_id)
    assert stored is not None
    assert (stored.path, stored.added_at, stored.comic_info) == (new, ADDED, ComicInfo(series="A"))
    assert set(index.snapshot(library_id).folders) == {ROOT, f"{ROOT}/B"}


def test_the_snapshot_holds_what_was_applied(index: SqlLibraryIndex, library_id: int) -> None:
    entries = [
        comic(f"{ROOT}/P{p}/S{s}/issue {n}.cbz", size=n)
        for p in range(4)
        for s in range(10)
        for n in range(50)
    ]
    folder_entries = tree(*{entry.folder_path for entry in entries})
    index.apply(library_id, IndexChanges(folders=folder_entries), AT)
    for start in range(0, len(entries), 500):
        batch = entries[start : start + 500]
        index.apply(library_id, IndexChanges(added=[(e, ADDED) for e in batch]), AT)
    index.finish_scan(library_id, AT)
    index.finish_scan(library_id, AT + timedelta(minutes=5))

    snapshot = index.snapshot(library_id)
    assert snapshot.last_scan_at == AT + timedelta(minutes=5)
    assert len({known.id for known in snapshot.comics.values()}) == 2000
    assert {path: known.size for path, known in snapshot.comics.items()} == {
        entry.path: entry.size for entry in entries
    }
    some = snapshot.comics[entries[1234].path]
    assert some == KnownComic(
        some.id, entries[1234].path, 34, entries[1234].mtime_ns, some.fingerprint
    )
    assert some.fingerprint == entries[1234].fingerprint
    assert {path: (f.depth, f.mtime_ns) for path, f in snapshot.folders.items()} == {
        f.path: (f.depth, f.mtime_ns) for f in folder_entries
    }
    assert isinstance(snapshot.folders[ROOT], KnownFolder)
    assert index.snapshot(library_id + 1).comics == {}


if POSTGRES_URL:

    def test_a_large_scan_leaves_postgresql_with_statistics(postgresql_engine: Engine) -> None:
        index = SqlLibraryIndex(postgresql_engine)
        library_id = SqlLibraryStore(postgresql_engine).add("Comics", ROOT).id
        # ANALYZE sets the planner's estimate of a table's rows (-1 before the first); VACUUM
        # marks the pages all visible.
        estimate = text("SELECT reltuples FROM pg_class WHERE relname = :name")

        def estimates() -> tuple[float, float]:
            with postgresql_engine.connect() as conn:
                return tuple(  # type: ignore[return-value]
                    conn.execute(estimate, {"name": name}).scalar_one()
                    for name in ("comics", "folders")
                )

        assert estimates() == (-1, -1)
        # Tables never analysed are, even by a process that wrote nothing.
        SqlLibraryIndex(postgresql_engine).finish_scan(library_id, AT)
        assert estimates() == (0, 0)
        add(index, library_id, *(comic(f"{ROOT}/Saga/Saga {n:03}.cbz") for n in range(300)))
        index.finish_scan(library_id, AT)
        assert estimates() == (300, 2)  # the root and its Saga folder
        visible = text("SELECT relallvisible = relpages FROM pg_class WHERE relname = 'comics'")
        with postgresql_engine.connect() as conn:
            assert conn.execute(visible).scalar_one() is True
        # A rescan that changed a few rows leaves the statistics alone; many rows, not.
        add(index, library_id, comic(f"{ROOT}/Saga/Saga 999.cbz"))
        index.finish_scan(library_id, AT)
        assert estimates() == (300, 2)
        add(index, library_id, *(comic(f"{ROOT}/Saga/Saga {n:04}.cbz") for n in range(90)))
        index.finish_scan(library_id, AT)
        assert estimates() == (391, 2)


def test_a_large_scan_leaves_sqlite_with_statistics(sqlite_engine: Engine) -> None:
    index = SqlLibraryIndex(sqlite_engine)
    library_id = SqlLibraryStore(sqlite_engine).add("Comics", ROOT).id
    rows = text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'comics' AND idx = :index")

    def estimate() -> int | None:
        with sqlite_engine.connect() as conn:
            found = conn.execute(rows, {"index": "ix_comics_series_browse"}).scalar_one_or_none()
        return None if found is None else int(found.split()[0])

    add(index, library_id, *(comic(f"{ROOT}/Saga/Saga {n:03}.cbz") for n in range(300)))
    index.finish_scan(library_id, AT)
    assert estimate() == 300
    # A rescan that changed a few rows leaves the statistics alone; many rows, not.
    add(index, library_id, comic(f"{ROOT}/Saga/Saga 999.cbz"))
    index.finish_scan(library_id, AT)
    assert estimate() == 300
    add(index, library_id, *(comic(f"{ROOT}/Saga/Saga {n:04}.cbz") for n in range(90)))
    index.finish_scan(library_id, AT)
    assert estimate() == 391
    # A database that never had statistics gets them from any scan, even one that wrote nothing.
    with sqlite_engine.begin() as conn:
        conn.execute(text("DELETE FROM sqlite_stat1"))
    SqlLibraryIndex(sqlite_engine).finish_scan(library_id, AT)
    assert estimate() == 391
