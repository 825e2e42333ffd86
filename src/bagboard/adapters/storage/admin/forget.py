"""What forgetting a library does beyond the cascades of the schema.

Reading positions and read marks are keyed by comic id while the comic is indexed, and by
``comic_path`` once it is not (``storage/progress/links.py`` links such rows to a comic that
arrives at their path). ``comic_path`` is the path a row was last written under, so a comic
moved since then would leave its rows at a path where nothing will arrive; before the comics
go, their rows take the comics' current paths. The index generation is raised as any index
write raises it (``storage/index/write.py``), so nothing derived from the forgotten comics is
served again.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, exists, select, update

from bagboard.adapters.storage.db.tables import (
    comics,
    read_marks,
    reading_progress,
)

__all__ = ["keep_reading_rows"]


def keep_reading_rows(conn: Connection, library_id: int) -> None:
    """Key every position and read mark of the library's comics by the comic's current path,
    unless another row of the same user already holds that path (that one then stays the one
    found there)."""
    for table in (reading_progress, read_marks):
        _rekey(conn, table, library_id)


def _rekey(conn: Connection, table: Table, library_id: int) -> None:
    columns = table.c
    current = (
        select(comics.c.path)
        .where(comics.c.id == columns.comic_id)
        .correlate(table)
        .scalar_subquery()
    )
    other = table.alias("other")
    taken = (
        exists()
        .where(other.c.user_id == columns.user_id, other.c.comic_path == current)
        .correlate(table)
    )
    in_library = select(comics.c.id).where(comics.c.library_id == library_id)
    conn.execute(
        update(table)
        .where(columns.comic_id.in_(in_library), columns.comic_path != current, ~taken)
        .values(comic_path=current)
    )
