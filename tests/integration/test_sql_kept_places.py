"""Comics by id and the places of paths, kept by the SQL index for the change feed's
``index`` version: a kept one runs no statement and borrows no connection, and an index
write by another process (another engine here) ends it, on SQLite at the next call, on
PostgreSQL when the notification arrives. A reader saving one position after another names
the comic by path (``place_at``); OPDS, Komga and KOReader writes name it by id
(``comic``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore
from bagboard.domain.catalog import ComicMove, ComicPlace, IndexChanges
from bagboard.ports.change_feed import Change, ChangeFeed
from tests.integration import test_sql_change_feed as change_feed_tests
from tests.integration.test_sql_change_feed import moved, settled
from tests.integration.test_sql_index import ROOT, add, comic, tree
from tests.integration.test_sql_reading_changes import statements_on

AT = datetime(2026, 4, 2, tzinfo=UTC)
OLD, NEW = f"{ROOT}/A/a.cbz", f"{ROOT}/B/renamed.cbz"
other = change_feed_tests.other
feed = change_feed_tests.feed


def _indexed(engine: Engine) -> tuple[int, int]:
    library_id = SqlLibraryStore(engine).add("Comics", ROOT).id
    writer = SqlLibraryIndex(engine)
    add(writer, library_id, comic(OLD))
    return library_id, writer.snapshot(library_id).comics[OLD].id


def test_kept_places_and_comics_cost_no_statement(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    library_id, comic_id = _indexed(sql_engine)
    settled(feed, sql_engine)
    reader = SqlLibraryIndex(other, feed)
    first = (reader.place_at(OLD), reader.comic(comic_id))
    seen = statements_on(other)
    again = (reader.place_at(OLD), reader.comic(comic_id))
    assert seen == []
    assert again == first
    assert first[0] == ComicPlace(comic_id, library_id, OLD)
    assert first[1] is not None and first[1].path == OLD


def test_a_move_by_another_process_ends_what_is_kept(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    library_id, comic_id = _indexed(sql_engine)
    reader = SqlLibraryIndex(other, feed)
    assert reader.place_at(NEW) is None
    assert reader.place_at(OLD) == ComicPlace(comic_id, library_id, OLD)
    before = settled(feed, sql_engine)
    kept = reader.comic(comic_id)
    assert kept is not None and kept.path == OLD
    changes = IndexChanges(
        folders=tree(f"{ROOT}/B"),
        moved=[ComicMove(comic_id, comic(NEW))],
        removed_folders=[f"{ROOT}/A"],
    )
    SqlLibraryIndex(sql_engine).apply(library_id, changes, AT + timedelta(days=1))
    assert moved(feed, Change.INDEX, before[Change.INDEX], sql_engine)
    assert reader.place_at(OLD) is None
    assert reader.place_at(NEW) == ComicPlace(comic_id, library_id, NEW)
    found = reader.comic(comic_id)
    assert found is not None and found.path == NEW


def test_a_removal_by_this_process_shows_at_once(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    library_id, comic_id = _indexed(other)
    index = SqlLibraryIndex(other, feed)
    assert index.place_at(OLD) is not None and index.comic(comic_id) is not None
    index.apply(library_id, IndexChanges(removed_comics=[comic_id]), AT)
    assert index.place_at(OLD) is None
    assert index.comic(comic_id) is None
