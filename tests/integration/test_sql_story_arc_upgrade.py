"""A database indexed before story arcs were kept (migration 0019): the upgrade itself reads
no file, and the next scan reads the ComicInfo of every tagged comic again, leaving each
comic what it was (its id, its date, KOReader's ids, its reader's marks) plus its arcs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, func, select

from bagboard.adapters.storage import (
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlStoryArcs,
    upgrade,
)
from bagboard.adapters.storage.db.migrate import alembic_config
from bagboard.adapters.storage.db.tables import comic_document_aliases, comics
from bagboard.config import load_settings
from bagboard.domain.catalog import IndexChanges
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ProgressChange
from bagboard.library import ComicLibrary
from bagboard.services.reading_orders import ListKind
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.contract.test_library_index import add, entry

ALL = PageRequest(1, 200)
AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def tagged(root: Path, name: str, **fields: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    info = comicinfo_xml(fields)
    write_cbz(root / name, {"ComicInfo.xml": info, "001.jpg": jpeg((9, 9, 9))})


def open_app(data: Path) -> ComicLibrary:
    return ComicLibrary.from_settings(load_settings(data_dir=str(data)), memory=False, workers=0)


def stored(engine: Engine) -> dict[str, tuple[Any, ...]]:
    """What a rescan must keep of each comic, by file name."""
    query = select(
        comics.c.name, comics.c.id, comics.c.added_at, comics.c.kosync_md5, comics.c.name_md5
    )
    with engine.connect() as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(query)}


def aliases(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(comic_document_aliases)).scalar_one()


def test_the_first_scan_after_the_upgrade_reads_the_arcs(tmp_path: Path) -> None:
    shelf, data = tmp_path / "comics", tmp_path / "data"
    tagged(shelf, "cw 2.cbz", Series="Civil War", Number="2", StoryArc="Civil War",
           StoryArcNumber="2")  # fmt: skip
    tagged(shelf, "cw 1.cbz", Series="Civil War", Number="1", StoryArc="Civil War",
           StoryArcNumber="1")  # fmt: skip
    write_cbz(shelf / "untagged.cbz", {"001.jpg": jpeg((1, 2, 3))})

    app = open_app(data)
    app.scan(shelf)
    owner = app.accounts.owner()
    first = app.container.library_index().comic_at(f"{app.libraries.list()[0].root}/cw 1.cbz")
    assert first is not None
    app.progress.set_read_in(owner, first, True)
    second = app.container.library_index().comic_at(f"{app.libraries.list()[0].root}/cw 2.cbz")
    assert second is not None
    app.progress.save_in(owner, second, ProgressChange(page_number=1))
    engine: Engine = app.container.engine()
    # As indexed before the arcs were kept.
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0018")
    before = stored(engine)
    app.close()

    app = open_app(data)  # upgrades
    try:
        owner = app.accounts.owner()
        assert app.reading_orders.story_arcs(owner, ALL).total == 0
        (report,) = app.scan()
        assert (report.changed, report.new, report.removed) == (2, 0, 0)
        engine = app.container.engine()
        assert stored(engine) == before
        assert aliases(engine) == 0
        (arc,) = app.reading_orders.story_arcs(owner, ALL).items
        assert (arc.name, arc.comics) == ("Civil War", 2)
        issues = app.reading_orders.issues(owner, ListKind.STORY_ARC, arc.id, ALL).items
        assert [item.comic.name for item in issues] == ["cw 1.cbz", "cw 2.cbz"]
        assert [item.reading.is_read for item in issues] == [True, False]
        assert issues[1].reading.last_page == 1
        # Read once: the scan after that finds every comic unchanged.
        (again,) = app.scan()
        assert (again.changed, again.unchanged) == (0, 3)
    finally:
        app.close()


def test_the_upgrade_marks_only_tagged_comics_for_reading_again(sql_engine: Engine) -> None:
    library = SqlLibraryStore(sql_engine).add("Comics", "/srv/comics")
    index = SqlLibraryIndex(sql_engine)
    info = ComicInfo(series="Civil War", story_arc="Civil War", story_arc_number="1")
    arced = entry("/srv/comics/cw 1.cbz", info=info)
    untagged = entry("/srv/comics/plain.cbz")
    ids = add(index, library, arced, untagged)
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0018")
    upgrade(sql_engine)
    known = index.snapshot(library.id).comics
    assert known[arced.path].mtime_ns == -1
    assert known[untagged.path].mtime_ns == untagged.mtime_ns
    arcs = SqlStoryArcs(sql_engine)
    assert arcs.arcs([library.id], ALL).total == 0
    # What the next scan writes for the comic it sees as changed.
    index.apply(library.id, IndexChanges(changed=[(ids[arced.path], arced)]), AT)
    (arc,) = arcs.arcs([library.id], ALL).items
    assert (arc.name, arc.comics, arc.first_comic_id) == ("Civil War", 1, ids[arced.path])
    assert index.snapshot(library.id).comics[arced.path].mtime_ns == arced.mtime_ns
