"""What reading lists link to, read for many lists (or many comics) at once: the statements
behind ``ReadingLists.linked_ids``, ``linked_counts`` and ``containing_any``, run on the lean
path (``db.lean``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from bagboard.adapters.storage.db.lean import LeanConnection, Prepared
from bagboard.adapters.storage.db.tables import comics, reading_list_entries

__all__ = ["LINKED_COUNTS", "LINKED_IDS", "lists_linking"]

_e = reading_list_entries.c


def _many_linked() -> tuple[Prepared, Prepared]:
    """For the lists ``lists`` and the libraries ``libraries``: every linked entry's list and
    comic in list order (the caller keeps each comic's first); and per list its distinct
    comics counted with the comic of its first such entry. Both walk the entries' (list,
    position) index in order, so neither sorts: grouping by (list, comic) would."""
    linked = (
        select(_e.list_id, _e.comic_id)
        .join(comics, comics.c.id == _e.comic_id)
        .where(
            _e.list_id.in_(bindparam("lists", expanding=True)),
            comics.c.library_id.in_(bindparam("libraries", expanding=True)),
        )
    )
    summary = (
        linked.with_only_columns(
            _e.list_id,
            func.count(_e.comic_id.distinct()).label("comics"),
            func.min(_e.position).label("first"),
        )
        .group_by(_e.list_id)
        .subquery()
    )
    first = reading_list_entries.alias("first")
    counts = select(summary.c.list_id, summary.c.comics, first.c.comic_id).join(
        first, (first.c.list_id == summary.c.list_id) & (first.c.position == summary.c.first)
    )
    return Prepared(linked.order_by(_e.list_id, _e.position)), Prepared(counts)


LINKED_IDS, LINKED_COUNTS = _many_linked()

_LINKING = select(_e.list_id).distinct()
# SQLite: the ids in chunks, far below its limit on parameters.
_LINKING_IN = Prepared(_LINKING.where(_e.comic_id.in_(bindparam("comics", expanding=True))))
_CHUNK = 500
# PostgreSQL: the ids as one array. A statement of hundreds of parameters costs the driver
# more to prepare (it parses every new statement text) than the server to run.
_LINKING_ANY = Prepared(
    _LINKING.where(_e.comic_id == any_(bindparam("comics", type_=ARRAY(Integer))))
)


def lists_linking(conn: LeanConnection, comic_ids: Sequence[int]) -> set[int]:
    """The ids of the lists with an entry linked to any of ``comic_ids``."""
    wanted = sorted(set(comic_ids))
    if not wanted:
        return set()
    if conn.dialect.name == "postgresql":
        return {row[0] for row in conn.all(_LINKING_ANY, comics=wanted)}
    found: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(row[0] for row in conn.all(_LINKING_IN, comics=chunk))
    return found
