"""The index writes of story arcs (``write.py`` calls them in its transaction): each comic
written gets its ``comic_story_arcs`` rows anew from its ComicInfo, in bulk per batch.

Arc keys are looked up (and added) once per batch, and a comic's removal takes its rows with
it through the foreign key. ``story_arcs`` rows are never removed, so an arc keeps its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.bulk import insert_rows
from bagboard.adapters.storage.db.tables import comic_story_arcs, comics, story_arcs
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.story_arcs import ArcPart, arc_parts

__all__ = ["comic_ids_at", "has_arcs", "write_arcs"]

# Far below every driver's bound-parameter limit.
_CHUNK = 1000

T = TypeVar("T")


def write_arcs(
    conn: Connection,
    library_id: int,
    rows: Mapping[int, Mapping[str, Any]],
    *,
    replace: bool,
) -> None:
    """Write the arc rows of these comics (comic id -> its ``comic_row``); with ``replace``,
    the rows they had go first."""
    if replace:
        for chunk in _chunks(list(rows)):
            conn.execute(delete(comic_story_arcs).where(comic_story_arcs.c.comic_id.in_(chunk)))
    parts = {
        comic_id: found
        for comic_id, row in rows.items()
        if row["story_arc"] and (found := arc_parts(row["story_arc"], row["story_arc_number"]))
    }
    if not parts:
        return
    ids = _arc_ids(conn, {part.key for found in parts.values() for part in found})
    insert_rows(
        conn,
        comic_story_arcs,
        [
            _arc_row(comic_id, library_id, ids[part.key], part, rows[comic_id])
            for comic_id, found in parts.items()
            for part in found
        ],
    )


def comic_ids_at(conn: Connection, library_id: int, paths: Iterable[str]) -> dict[str, int]:
    """The ids of this library's comics at these paths."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(paths))):
        rows = conn.execute(
            select(comics.c.path, comics.c.id).where(
                comics.c.library_id == library_id, comics.c.path.in_(chunk)
            )
        )
        found.update({path: comic_id for path, comic_id in rows})
    return found


def has_arcs(row: Mapping[str, Any]) -> bool:
    return bool(row["story_arc"])


def _arc_row(
    comic_id: int, library_id: int, arc_id: int, part: ArcPart, row: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "comic_id": comic_id,
        "arc_id": arc_id,
        "library_id": library_id,
        "name": part.name,
        "number": part.number,
        "number_sort": part.number_sort,
        "year_int": row["year_int"],
        "issue_sort": row["number_sort"],
    }


def _arc_ids(conn: Connection, keys: set[str]) -> dict[str, int]:
    """The id of every key, adding the keys never seen."""
    ids = _known_ids(conn, keys)
    missing = sorted(keys - ids.keys())
    if missing:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(story_arcs).on_conflict_do_nothing(
            index_elements=[story_arcs.c.arc_key]
        )
        conn.execute(
            statement, [{"arc_key": key, "arc_sort": natural_sort_text(key)} for key in missing]
        )
        ids.update(_known_ids(conn, missing))
    return ids


def _known_ids(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(keys)):
        rows = conn.execute(
            select(story_arcs.c.arc_key, story_arcs.c.id).where(story_arcs.c.arc_key.in_(chunk))
        )
        ids.update({key: arc_id for key, arc_id in rows})
    return ids


def _chunks(items: Sequence[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk
