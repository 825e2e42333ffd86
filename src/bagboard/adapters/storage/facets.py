"""Keeping the facet tables (``facet_tables``) in step with ``comics``, inside each index write.

A batch names the groups it touches: the keys its comics had before (read before they are
rewritten or deleted) and the keys they have now. Series rows of those series keys, the
library's and those over every library, are rebuilt from their comics: exact whatever changed
(the earliest year and the latest date cannot be taken back incrementally), at the cost of the
comics of those series only. Publisher spellings are shifted by the batch's own counts instead:
a publisher holds a large share of the library, and recounting it on every batch would make a
first scan quadratic.

A move keeps every grouped column (``index_rows.location_row``) but the file name, which search
reads: its series is rebuilt, its publisher count stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.facet_tables import (
    SEARCH_SEPARATOR,
    UNKNOWN_YEAR,
    all_publisher_series_facets,
    all_series_facets,
    facet_sources,
    publisher_facets,
    publisher_series_facets,
    series_facets,
)
from bagboard.adapters.storage.tables import comics, libraries
from bagboard.domain.browse import display_name
from bagboard.domain.naturalsort import natural_sort_text

# What a comic contributes to its groups, as stored in ``comics``.
GroupKeys = tuple[str, str, str]  # publisher key, series key, publisher spelling


class FacetChanges:
    """The groups one batch touches: series keys to rebuild, publisher spelling counts to
    shift (comics gained minus comics lost, per publisher key and spelling)."""

    def __init__(self) -> None:
        self.series_keys: set[str] = set()
        self.publishers: Counter[tuple[str, str]] = Counter()

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


def group_keys(conn: Connection, library_id: int, ids: Sequence[int]) -> dict[int, GroupKeys]:
    """The group keys these comics of the library have now; unknown ids are left out."""
    columns = (comics.c.id, comics.c.publisher_key, comics.c.series_key, comics.c.publisher)
    rows = conn.execute(
        select(*columns).where(comics.c.library_id == library_id, comics.c.id.in_(ids))
    )
    return {comic_id: (pk, sk, publisher) for comic_id, pk, sk, publisher in rows}


class _Group:
    """The comics of one publisher key within one series, accumulated."""

    __slots__ = ("added", "comics", "names", "publishers", "texts", "year")

    def __init__(self) -> None:
        self.comics = 0
        self.names: Counter[str] = Counter()
        self.publishers: Counter[str] = Counter()
        self.year: int | None = None
        self.added: datetime | None = None
        self.texts: set[str] = set()  # lower-cased titles and file names

    def add(self, row: Sequence[Any]) -> None:
        series, publisher, title, name, year, added = row
        self.comics += 1
        self.names[series] += 1
        self.publishers[publisher] += 1
        if year is not None and (self.year is None or year < self.year):
            self.year = year
        if self.added is None or added > self.added:
            self.added = added
        if title:
            self.texts.add(title.lower())
        self.texts.add(name.lower())


# The library, the group keys, then what _Group.add takes.
_SERIES_INPUT = (
    comics.c.library_id,
    comics.c.series_key,
    comics.c.publisher_key,
    comics.c.series,
    comics.c.publisher,
    comics.c.title,
    comics.c.name,
    comics.c.year_int,
    comics.c.added_at,
)

_BySeries = dict[str, dict[str, _Group]]  # series key -> publisher key -> group


def rebuild_series(conn: Connection, library_id: int | None, keys: Sequence[str]) -> None:
    """Recompute the rows of these series keys over every library and, unless ``library_id``
    is None, in that library, from the comics as they are now written."""
    rows = conn.execute(select(*_SERIES_INPUT).where(comics.c.series_key.in_(keys))).all()
    for table in (all_series_facets, all_publisher_series_facets):
        conn.execute(delete(table).where(table.c.series_key.in_(keys)))
    own = [] if library_id is None else [row for row in rows if row[0] == library_id]
    # Usually a series lives in one library: its rows there are its rows everywhere.
    everywhere = _rows(_accumulate(own if len(own) == len(rows) else rows))
    _put(conn, all_series_facets, everywhere.whole)
    _put(conn, all_publisher_series_facets, everywhere.split)
    if library_id is None:
        return
    for table in (series_facets, publisher_series_facets):
        conn.execute(
            delete(table).where(table.c.library_id == library_id, table.c.series_key.in_(keys))
        )
    mine = everywhere if len(own) == len(rows) else _rows(_accumulate(own))
    scope = {"library_id": library_id}
    _put(conn, series_facets, [{**row, **scope} for row in mine.whole])
    split = zip(mine.split, mine.texts, strict=True)
    _put(conn, publisher_series_facets, [{**row, **scope, "search_text": t} for row, t in split])


def _put(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:  # an empty executemany would insert one row of defaults
        conn.execute(insert(table), rows)


def count_library(conn: Connection, library_id: int) -> None:
    """Record that the rows over every library count this library's comics."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(facet_sources).values(library_id=library_id)
    conn.execute(statement.on_conflict_do_nothing(index_elements=[facet_sources.c.library_id]))


def drop_stale_everywhere(conn: Connection) -> list[str]:
    """When the rows over every library still count a library that is gone, drop them all
    and return every series key, to be rebuilt (``rebuild_series(conn, None, keys)``)."""
    gone = facet_sources.c.library_id.not_in(select(libraries.c.id))
    if conn.execute(select(facet_sources.c.library_id).where(gone).limit(1)).first() is None:
        return []
    conn.execute(delete(facet_sources).where(gone))
    for table in (all_series_facets, all_publisher_series_facets):
        conn.execute(delete(table))
    keys = select(comics.c.series_key).where(comics.c.series_key != "").distinct()
    return sorted(conn.execute(keys).scalars())


def _accumulate(rows: Iterable[Sequence[Any]]) -> _BySeries:
    by_series: _BySeries = {}
    for row in rows:
        groups = by_series.setdefault(row[1], {})
        group = groups.get(row[2])
        if group is None:
            group = groups[row[2]] = _Group()
        group.add(row[3:])
    return by_series


class _Rows(NamedTuple):
    whole: list[dict[str, Any]]  # one per series
    split: list[dict[str, Any]]  # one per series and publisher key
    texts: list[str]  # the search text of each split row


def _rows(by_series: _BySeries) -> _Rows:
    rows = _Rows([], [], [])
    for series_key, groups in by_series.items():
        rows.whole.append(_facet_row(series_key, groups.values(), _main_publisher(groups)))
        for publisher_key, group in groups.items():
            row = _facet_row(series_key, [group], group.publishers)
            row["publisher_key"] = publisher_key
            rows.split.append(row)
            rows.texts.append(SEARCH_SEPARATOR.join(sorted(group.texts)))
    return rows


def _main_publisher(groups: dict[str, _Group]) -> Counter[str]:
    """The spellings of the series' largest publisher group (ties: the smaller key); comics
    without a publisher don't count."""
    named = [(key, group) for key, group in groups.items() if key]
    if not named:
        return Counter()
    return min(named, key=lambda item: (-item[1].comics, item[0]))[1].publishers


def _facet_row(
    series_key: str, groups: Iterable[_Group], publishers: Counter[str]
) -> dict[str, Any]:
    groups = list(groups)
    names: Counter[str] = Counter()
    for group in groups:
        names.update(group.names)
    count = sum(group.comics for group in groups)
    years = [group.year for group in groups if group.year is not None]
    year = min(years) if years else None
    return {
        "series_key": series_key,
        "series": display_name(names.items()),
        "publisher": display_name(publishers.items()),
        "comics": count,
        "min_year": year,
        "max_added_at": max(group.added for group in groups if group.added is not None),
        "series_sort": natural_sort_text(series_key),
        "count_sort": -count,
        "year_sort": UNKNOWN_YEAR if year is None else year,
    }


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
