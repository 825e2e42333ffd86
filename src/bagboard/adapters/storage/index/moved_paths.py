"""Rows keyed by a path that their comic may since have left.

Shelf entries, reading progress and read marks keep the path a comic had when the row was
written, under a unique key, and follow the comic by id afterwards. The index moves comics
without touching these rows, so a stored path can go stale; it only matters when a new row
wants that path. ``free_path`` then moves the stale row to its comic's current path first.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from sqlalchemy import Column, ColumnElement, Connection, Table, delete, select, update

from bagboard.adapters.storage.db.tables import comics

__all__ = ["PathHolder", "free_path"]


class PathHolder(Enum):
    NONE = "none"  # the path is free
    UNLINKED = "unlinked"  # held by a row with no comic: an orphan, or a folder entry
    LINKED = "linked"  # held by a row whose comic is still at that path


def free_path(
    conn: Connection,
    table: Table,
    path_column: Column[str],
    scope: Sequence[ColumnElement[bool]],
    path: str,
) -> PathHolder:
    """Move rows of ``table`` (within ``scope``) whose comic has left ``path`` out of its way.

    A stale row goes to its comic's current path, which may itself be held by a stale row:
    the chain is followed to its end and moved from the end back, so every step lands on a
    free path. A row without a comic further down the chain stands for what used to be at a
    path that now holds an indexed comic; it can never be found by that path again and is
    dropped. Returns what still holds ``path`` afterwards.
    """
    moves: list[tuple[int, str]] = []
    seen = {path}
    current = path
    while True:
        row = conn.execute(
            select(table.c.id, table.c.comic_id, comics.c.path)
            .select_from(table.outerjoin(comics, comics.c.id == table.c.comic_id))
            .where(*scope, path_column == current)
        ).first()
        if row is None:
            break
        row_id, comic_id, comic_path = row
        if comic_id is None:
            if not moves:
                return PathHolder.UNLINKED
            conn.execute(delete(table).where(table.c.id == row_id))
            break
        if comic_path == current or comic_path in seen:
            # Further down the chain neither can happen: a live row at its own path would be
            # a second row for a comic that holds the path before it. A cycle means every
            # path in it holds a comic of the cycle, so the caller's own comic is one of them
            # and was matched by id before asking.
            return PathHolder.LINKED
        moves.append((row_id, comic_path))
        seen.add(comic_path)
        current = comic_path
    for row_id, new_path in reversed(moves):
        conn.execute(update(table).where(table.c.id == row_id).values({path_column.name: new_path}))
    return PathHolder.NONE
