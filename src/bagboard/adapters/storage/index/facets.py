"""Keeping the facet tables (``facet_tables``) in step with ``comics``, inside each index write.

A batch names the groups it touches: the keys its comics had before (read before they are
rewritten or deleted) and the keys they have now. The series of those keys are rebuilt whole
(``facet_rows``); a series made only of comics this batch added, as every series of a first
scan, is built from them without reading them back. Publisher spellings are shifted by the
batch's own counts instead: a publisher holds a large share of the library, and recounting it
on every batch would make a first scan quadratic.

A move keeps every grouped column (``index/rows.location_row``) but the file name, which search
reads: its series is rebuilt, its publisher count stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.facet_tables import (
    all_publisher_series_facets,
    all_series_facets,
    facet_sources,
    publisher_facets,
)
from bagboard.adapters.storage.db.tables import comics, libraries
from bagboard.adapters.storage.index.facet_rows import SERIES_INPUT
from bagboard.domain.naturalsort import natural_sort_text

__all__ = [
    "FacetChanges",
    "GroupKeys",
    "group_keys",
    "lock_everywhere",
    "plan_everywhere",
    "shift_publishers",
]

# Any constant shared by every bagboard process, apart from migrate.py's.
_PG_FACETS_LOCK = 0x6262_6661  # "bbfa"

# What a comic contributes to its groups, as stored in ``comics``.
GroupKeys = tuple[str, str, str]  # publisher key, series key, publisher spelling


class FacetChanges:
    """The groups one batch touches: series keys to rebuild, publisher spelling counts to
    shift (comics gained minus comics lost, per publisher key and spelling)."""

    def __init__(self) -> None:
        self.series_keys: set[str] = set()
        self.publishers: Counter[tuple[str, str]] = Counter()
        # Added comics by series key, as ``facet_rows.SERIES_INPUT`` reads them.
        self.arrivals: dict[str, list[tuple[Any, ...]]] = {}

    def gain(self, keys: GroupKeys, n: int = 1) -> None:
        publisher_key, series_key, publisher = keys
        if series_key:
            self.series_keys.add(series_key)
        if publisher_key and n:
            self.publishers[publisher_key, publisher] += n

    def lose(self, keys: GroupKeys) -> None:
        self.gain(keys, -1)

    def rename(self, keys: GroupKeys) -> None:
        """A comic of these groups was moved: same groups, another file name."""
        self.gain(keys, 0)

    def arrive(self, row: dict[str, Any]) -> None:
        """A comic added, as its row is written to ``comics``."""
        if row["publisher_key"]:
            self.publishers[row["publisher_key"], row["publisher"]] += 1
        if row["series_key"]:
            comic = tuple(row[column.name] for column in SERIES_INPUT)
            self.arrivals.setdefault(row["series_key"], []).append(comic)

    def arrived_alone(self, conn: Connection, keys: Sequence[str]) -> list[str]:
        """Of these series keys (added to, and touched no other way), those that no comic
        but this batch's arrivals holds."""
        counts = conn.execute(
            select(comics.c.series_key, func.count())
            .where(comics.c.series_key.in_(keys))
            .group_by(comics.c.series_key)
        )
        return [key for key, n in counts if n == len(self.arrivals[key])]


def group_keys(conn: Connection, library_id: int, ids: Sequence[int]) -> dict[int, GroupKeys]:
    """The group keys these comics of the library have now; unknown ids are left out."""
    columns = (comics.c.id, comics.c.publisher_key, comics.c.series_key, comics.c.publisher)
    rows = conn.execute(
        select(*columns).where(comics.c.library_id == library_id, comics.c.id.in_(ids))
    )
    return {comic_id: (pk, sk, publisher) for comic_id, pk, sk, publisher in rows}


def lock_everywhere(conn: Connection) -> None:
    """Let one index write at a time rebuild the rows over every library, until it commits.

    Two libraries written at once on PostgreSQL would each rebuild a series they share from
    a snapshot that misses the other's comics, or collide on its keys. After the wait, every
    statement sees what the other write committed (READ COMMITTED). SQLite runs one writer at
    a time anyway.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_FACETS_LOCK})


def plan_everywhere(conn: Connection, library_id: int, holds_series: bool) -> list[str] | None:
    """Bring ``facet_sources`` up to date for a write to ``library_id`` (``holds_series``: it
    writes series rows) and say what becomes of the rows over every library.

    They are kept while two libraries or more hold series; with one, its own rows serve.
    Returns None when this write leaves them alone (fewer than two sources), ``[]`` when it
    keeps them up to date series by series, and every series key when they were just emptied
    to be rebuilt whole: a second library came, or one they counted is gone.
    """
    sources = set(conn.execute(select(facet_sources.c.library_id)).scalars())
    gone = sources - set(conn.execute(select(libraries.c.id)).scalars())
    if gone:
        conn.execute(delete(facet_sources).where(facet_sources.c.library_id.in_(gone)))
    now = sources - gone
    if holds_series and library_id not in now:
        conn.execute(insert(facet_sources).values(library_id=library_id))
        now.add(library_id)
    kept = len(sources) >= 2 and not gone  # exact up to this write
    if len(now) >= 2 and kept:
        return []
    if len(sources) >= 2:
        for table in (all_series_facets, all_publisher_series_facets):
            conn.execute(delete(table))
    if len(now) < 2:
        return None
    keys = select(comics.c.series_key).where(comics.c.series_key != "").distinct()
    return sorted(conn.execute(keys).scalars())


def shift_publishers(conn: Connection, library_id: int, deltas: Counter[tuple[str, str]]) -> None:
    """Add each (publisher key, spelling)'s count to its row, dropping rows left at zero."""
    rows = [
        {
            "library_id": library_id,
            "publisher_key": publisher_key,
            "publisher": publisher,
            "comics": n,
            "publisher_sort": natural_sort_text(publisher_key),
        }
        for (publisher_key, publisher), n in deltas.items()
        if n
    ]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(publisher_facets)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=list(publisher_facets.primary_key.columns),
            set_={"comics": publisher_facets.c.comics + statement.excluded.comics},
        ),
        rows,
    )
    # A spelling no comic uses any more; nothing but a shift can bring it to zero.
    conn.execute(
        delete(publisher_facets).where(
            publisher_facets.c.library_id == library_id, publisher_facets.c.comics <= 0
        )
    )
