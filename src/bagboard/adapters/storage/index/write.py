"""The write half of the SQL library index: one ``IndexChanges`` batch inside one transaction.

Every statement is an executemany (or a chunked ``IN``) so a batch of hundreds of comics costs a
handful of round trips, never one per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import groupby, islice
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from bagboard.adapters.storage.db.bulk import insert_rows
from bagboard.adapters.storage.db.tables import comic_removals, comics, folders
from bagboard.adapters.storage.index.arc_rows import comic_ids_at, has_arcs, write_arcs
from bagboard.adapters.storage.index.document_writes import (
    keep_aliases,
    superseded_digests,
    write_digests,
)
from bagboard.adapters.storage.index.facet_rebuild import rebuild_library_facets
from bagboard.adapters.storage.index.facet_rows import build_series, rebuild_series
from bagboard.adapters.storage.index.facets import (
    FacetChanges,
    GroupKeys,
    group_keys,
    lock_everywhere,
    plan_everywhere,
    shift_publishers,
)
from bagboard.adapters.storage.index.generation import next_generation
from bagboard.adapters.storage.index.rows import comic_row, folder_row, location_row
from bagboard.domain.catalog import FolderEntry, IndexChanges
from bagboard.domain.errors import InvalidInput

__all__ = ["apply_changes"]

# Far below every driver's bound-parameter limit (SQLite 32,766, PostgreSQL 65,535).
_CHUNK = 1000

T = TypeVar("T")


def apply_changes(conn: Connection, library_id: int, changes: IndexChanges, at: datetime) -> None:
    """Write ``changes`` on ``conn``; the caller owns the transaction.

    Removed comics go first so an added or moved comic may take a freed path; removed folders
    go last so comics can move out of them first. The facets follow at the end (``facets``).

    KOReader's ids filled in for unchanged comics (``changes.digests``) touch nothing else:
    no ``updated_at``, no new generation. A comic whose content id changes keeps the old one
    as an alias, since a device goes on naming it by the id it computed first. Every comic
    written (added or changed) gets its story arc rows anew (``arc_rows``); a plain move keeps
    them, as it keeps every grouped column.

    A batch that ``defer_facets`` leaves the facet tables as they are; one that
    ``rebuild_facets`` writes the library's anew from its comics at the end (``facet_rebuild``).
    """
    if changes.digests:
        write_digests(conn, library_id, changes.digests)
    if changes.rewrites:
        _rewrite(conn, library_id, changes, at)
    if changes.rebuild_facets:
        rebuild_library_facets(conn, library_id)
    if changes.rewrites or changes.rebuild_facets:
        next_generation(conn)


def _rewrite(conn: Connection, library_id: int, changes: IndexChanges, at: datetime) -> None:
    upkeep = not (changes.defer_facets or changes.rebuild_facets)
    removed = set(changes.removed_comics)
    # A comic listed twice is written twice, the last entry winning; one listed as removed
    # too is gone before its update, which then finds nothing.
    changed_entries = {
        comic_id: entry for comic_id, entry in changes.changed if comic_id not in removed
    }
    # A comic whose metadata was filled from its names is regrouped when it moves (its folders
    # may say something else now); any other move keeps every grouped column.
    for move in changes.moved:
        if move.entry.sources and move.comic_id not in removed:
            changed_entries.setdefault(move.comic_id, move.entry)
    plain_moves = [move for move in changes.moved if not move.entry.sources]
    moved_ids = {move.comic_id for move in plain_moves}
    rewritten = {m.comic_id: m.entry.kosync_md5 for m in plain_moves if m.comic_id not in removed}
    rewritten.update({comic_id: entry.kosync_md5 for comic_id, entry in changed_entries.items()})
    superseded = superseded_digests(conn, library_id, rewritten)
    # The groups these comics leave, read before they are rewritten or deleted.
    before = _group_keys(conn, library_id, [*removed, *changed_entries, *moved_ids])
    facets = FacetChanges()
    for comic_id in removed & before.keys():
        facets.lose(before[comic_id])
    for comic_id in moved_ids & before.keys():
        facets.rename(before[comic_id])
    folder_ids = _upsert_folders(conn, library_id, changes.folders, at)
    if changes.removed_comics:
        _remove_comics(conn, library_id, changes.removed_comics, at)
    entries = [entry for _, entry in changes.changed]
    entries += [move.entry for move in changes.moved]
    entries += [entry for entry, _ in changes.added]
    wanted = {entry.folder_path for entry in entries} - folder_ids.keys()
    folder_ids.update(_folder_ids(conn, library_id, wanted))

    def folder_of(path: str) -> int:
        try:
            return folder_ids[path]
        except KeyError:
            raise InvalidInput("a comic's folder is not indexed") from None

    if plain_moves:
        moved = [
            {
                "b_id": move.comic_id,
                **location_row(move.entry),
                "folder_id": folder_of(move.entry.folder_path),
                "updated_at": at,
            }
            for move in plain_moves
        ]
        _update_by_id(conn, library_id, moved)
    if changed_entries:
        changed = [
            {
                "b_id": comic_id,
                **comic_row(entry),
                "folder_id": folder_of(entry.folder_path),
                "updated_at": at,
            }
            for comic_id, entry in changed_entries.items()
        ]
        _update_by_id(conn, library_id, changed)
        # A row not in ``before`` is not this library's comic: nothing was written.
        mine = {row["b_id"]: row for row in changed if row["b_id"] in before}
        for row in mine.values():
            facets.lose(before[row["b_id"]])
            facets.gain(_keys(row))
        write_arcs(conn, library_id, mine, replace=True)
    if superseded:
        keep_aliases(conn, superseded)
    if changes.added:
        added = [
            {
                **comic_row(entry),
                "library_id": library_id,
                "folder_id": folder_of(entry.folder_path),
                "added_at": added_at,
                "updated_at": at,
            }
            for entry, added_at in changes.added
        ]
        insert_rows(conn, comics, added)
        if upkeep:
            for row in added:
                facets.arrive(row)
        if arced := [row for row in added if has_arcs(row)]:
            ids = comic_ids_at(conn, library_id, (row["path"] for row in arced))
            write_arcs(conn, library_id, {ids[row["path"]]: row for row in arced}, replace=False)
    if changes.removed_folders:
        _remove_folders(conn, library_id, changes.removed_folders)
    if upkeep:
        _write_facets(conn, library_id, facets)


def _upsert_folders(
    conn: Connection, library_id: int, entries: list[FolderEntry], at: datetime
) -> dict[str, int]:
    """Insert or update ``entries``; returns the id of every folder written or looked up."""
    if not entries:
        return {}
    # A path listed twice is upserted once, with its last entry, as repeated upserts would.
    entries = list({entry.path: entry for entry in entries}.values())
    paths = {entry.path for entry in entries}
    parents = {entry.parent_path for entry in entries if entry.parent_path is not None}
    ids = _folder_ids(conn, library_id, paths | parents)
    # Parents first: a level's parent ids are known once the level above is written.
    for _, level in groupby(sorted(entries, key=lambda e: e.depth), key=lambda e: e.depth):
        new: list[dict[str, Any]] = []
        known: list[dict[str, Any]] = []
        for entry in level:
            row = folder_row(entry, library_id, at)
            row["parent_id"] = _parent_id(entry, ids)
            if entry.path in ids:
                known.append({"b_id": ids[entry.path], **row})
            else:
                new.append(row)
        if known:
            statement = update(folders).where(
                folders.c.id == bindparam("b_id"), folders.c.library_id == library_id
            )
            conn.execute(statement, known)
        if new:
            inserted = conn.execute(insert(folders).returning(folders.c.path, folders.c.id), new)
            ids.update({path: folder_id for path, folder_id in inserted})
    return ids


def _parent_id(entry: FolderEntry, ids: dict[str, int]) -> int | None:
    if entry.parent_path is None:
        return None
    try:
        return ids[entry.parent_path]
    except KeyError:
        raise InvalidInput("a folder's parent folder is not indexed") from None


def _folder_ids(conn: Connection, library_id: int, paths: Iterable[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(paths)):
        rows = conn.execute(
            select(folders.c.path, folders.c.id).where(
                folders.c.library_id == library_id, folders.c.path.in_(chunk)
            )
        )
        ids.update({path: folder_id for path, folder_id in rows})
    return ids


def _update_by_id(conn: Connection, library_id: int, rows: list[dict[str, Any]]) -> None:
    # The library condition keeps a stray id from rewriting another library's comic. A row
    # whose file was not read this time (kosync_md5 None) keeps the stored id.
    statement = (
        update(comics)
        .where(comics.c.id == bindparam("b_id"), comics.c.library_id == library_id)
        .values(kosync_md5=func.coalesce(bindparam("b_kosync_md5"), comics.c.kosync_md5))
    )
    for row in rows:
        row["b_kosync_md5"] = row.pop("kosync_md5")
    conn.execute(statement, rows)


def _remove_comics(conn: Connection, library_id: int, ids: list[int], at: datetime) -> None:
    for chunk in _chunks(ids):
        gone = conn.execute(
            delete(comics)
            .where(comics.c.library_id == library_id, comics.c.id.in_(chunk))
            .returning(comics.c.id, comics.c.path)
        ).all()
        if gone:
            conn.execute(
                insert(comic_removals),
                [
                    {"comic_id": comic_id, "library_id": library_id, "path": path, "removed_at": at}
                    for comic_id, path in gone
                ],
            )


def _remove_folders(conn: Connection, library_id: int, paths: list[str]) -> None:
    # A child's path is longer than its parent's, so longest first removes children first.
    # A folder still holding comics or subfolders fails its foreign keys, as it should.
    ordered = sorted(set(paths), key=len, reverse=True)
    conn.execute(
        delete(folders).where(
            folders.c.path == bindparam("b_path"), folders.c.library_id == library_id
        ),
        [{"b_path": path} for path in ordered],
    )


def _keys(row: dict[str, Any]) -> GroupKeys:
    return (row["publisher_key"], row["series_key"], row["publisher"])


def _group_keys(conn: Connection, library_id: int, ids: list[int]) -> dict[int, GroupKeys]:
    found: dict[int, GroupKeys] = {}
    for chunk in _chunks(ids):
        found.update(group_keys(conn, library_id, chunk))
    return found


def _write_facets(conn: Connection, library_id: int, facets: FacetChanges) -> None:
    lock_everywhere(conn)
    touched = facets.series_keys | facets.arrivals.keys()
    whole = plan_everywhere(conn, library_id, bool(touched))
    everywhere = whole is not None
    rebuild = set(facets.series_keys)
    if whole:
        for chunk in _chunks(whole):
            rebuild_series(conn, None, chunk, everywhere=True)
        rebuild = touched  # their rows over every library were just written
    for chunk in _chunks(sorted(touched - rebuild)):
        alone = facets.arrived_alone(conn, chunk)
        arrived = [comic for key in alone for comic in facets.arrivals[key]]
        build_series(conn, library_id, arrived, everywhere=everywhere)
        rebuild |= set(chunk) - set(alone)
    for chunk in _chunks(sorted(rebuild)):
        rebuild_series(conn, library_id, chunk, everywhere=everywhere)
    shift_publishers(conn, library_id, facets.publishers)


def _chunks(items: Sequence[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk
