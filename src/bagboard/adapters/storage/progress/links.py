"""Give positions and marks kept by path to the comic the index puts at that path.

A row has no comic when its comic left the index (a rebuild, a library removed and added
again) or when a client wrote it for a path the index did not know yet. When a comic arrives
at that path, by addition or by a move, the row becomes that comic's, unless its user already
has a row for the comic (which then stays the one that counts). Run inside the index write's
transaction, so lists show the position from the moment the comic does.

Most databases hold no such row at all (a first import always finds none): one indexed look
for any, on the partial indexes of unlinked rows, then spares the linking statements, whose
``IN`` lists of a thousand paths cost a first import a twentieth of its writing.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Connection, Table, exists, or_, select, update

from bagboard.adapters.storage.db.tables import comics, read_marks, reading_progress

__all__ = ["link_rows_at"]


# Far below every driver's bound-parameter limit.
_CHUNK = 1000


# Whether any row of either table waits for a comic (each side reads one partial index entry).
_ANY_UNLINKED = select(
    or_(*(exists().where(table.c.comic_id.is_(None)) for table in (reading_progress, read_marks)))
)


def link_rows_at(conn: Connection, paths: Iterable[str]) -> None:
    """Link unlinked rows at ``paths`` to the comics now indexed there."""
    iterator = iter(paths)
    first = list(islice(iterator, _CHUNK))
    if not first or not conn.scalar(_ANY_UNLINKED):
        return
    for table in (reading_progress, read_marks):
        _link(conn, table, first)
    while chunk := list(islice(iterator, _CHUNK)):
        for table in (reading_progress, read_marks):
            _link(conn, table, chunk)


def _link(conn: Connection, table: Table, paths: list[str]) -> None:
    columns = table.c
    # Both subqueries refer to the row being updated, also from inside the EXISTS.
    comic_here = (
        select(comics.c.id)
        .where(comics.c.path == columns.comic_path)
        .correlate(table)
        .scalar_subquery()
    )
    other = table.alias("other")
    already = (
        exists()
        .where(other.c.user_id == columns.user_id, other.c.comic_id == comic_here)
        .correlate(table)
    )
    conn.execute(
        update(table)
        .where(
            columns.comic_id.is_(None),
            columns.comic_path.in_(paths),
            comic_here.is_not(None),
            ~already,
        )
        .values(comic_id=comic_here)
    )
