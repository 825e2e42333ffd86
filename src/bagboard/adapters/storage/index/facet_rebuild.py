"""One library's facet rows rebuilt whole from its comics, in one set-based pass.

A first import writes its comics with the facet tables left alone (``IndexChanges.
defer_facets``) and has its last batch rebuild them (``rebuild_facets``): one read of the
library's comics and one insert per table, instead of the upkeep of every batch (reading
back the group keys it touched, building the series it added, shifting publisher counts),
which cost a tenth of a first import's main process. A first import cut short leaves the
tables behind its comics until the next scan, itself a first import, ends with this pass.

The rows are those the batch-by-batch upkeep (``facets``) arrives at: series rows from
``facet_rows``, over every library too while two libraries or more hold series, and one
publisher row per spelling with its comics' count.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import TypeVar

from sqlalchemy import Connection, delete, func, select

from bagboard.adapters.storage.db.bulk import insert_rows
from bagboard.adapters.storage.db.facet_tables import (
    publisher_facets,
    publisher_series_facets,
    series_facets,
)
from bagboard.adapters.storage.db.tables import comics
from bagboard.adapters.storage.index.facet_rows import (
    SERIES_INPUT,
    build_library_series,
    rebuild_series,
)
from bagboard.adapters.storage.index.facets import lock_everywhere, plan_everywhere
from bagboard.domain.naturalsort import natural_sort_text

__all__ = ["rebuild_library_facets"]

# Far below every driver's bound-parameter limit.
_CHUNK = 1000

T = TypeVar("T")


def rebuild_library_facets(conn: Connection, library_id: int) -> None:
    """Write every facet row of ``library_id`` anew from its comics as they are now written,
    and its series' rows over every library."""
    lock_everywhere(conn)
    mine = comics.c.library_id == library_id
    keys = sorted(
        conn.scalars(select(comics.c.series_key).where(mine, comics.c.series_key != "").distinct())
    )
    whole = plan_everywhere(conn, library_id, bool(keys))
    if whole is not None:
        # Emptied to be rebuilt whole (``whole``), or kept series by series: this library's.
        for chunk in _chunks(whole or keys):
            rebuild_series(conn, None, chunk, everywhere=True)
    for table in (series_facets, publisher_series_facets, publisher_facets):
        conn.execute(delete(table).where(table.c.library_id == library_id))
    # Summed up row by row as they are read: a library's comics are never all held at once.
    rows = conn.execute(select(*SERIES_INPUT).where(mine, comics.c.series_key != ""))
    build_library_series(conn, library_id, rows)
    counts = conn.execute(
        select(comics.c.publisher_key, comics.c.publisher, func.count())
        .where(mine, comics.c.publisher_key != "")
        .group_by(comics.c.publisher_key, comics.c.publisher)
    )
    publishers = [
        {
            "library_id": library_id,
            "publisher_key": publisher_key,
            "publisher": publisher,
            "comics": n,
            "publisher_sort": natural_sort_text(publisher_key),
        }
        for publisher_key, publisher, n in counts
    ]
    insert_rows(conn, publisher_facets, publishers)


def _chunks(items: Sequence[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk
