"""Series facet rows computed from comics (``facet_tables``): the rows of a set of series
keys, in one library and over every library.

A series' rows are always rebuilt whole from all its comics: the earliest year and the latest
date cannot be taken back incrementally, and a series holds few comics next to a library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, delete, insert, select

from bagboard.adapters.storage.db.facet_tables import (
    SEARCH_SEPARATOR,
    UNKNOWN_YEAR,
    all_publisher_series_facets,
    all_series_facets,
    publisher_series_facets,
    search_id,
    series_facets,
)
from bagboard.adapters.storage.db.tables import comics
from bagboard.domain.browse import display_name
from bagboard.domain.naturalsort import natural_sort_text

__all__ = ["SERIES_INPUT", "build_library_series", "build_series", "rebuild_series"]


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
SERIES_INPUT = (
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


def rebuild_series(
    conn: Connection, library_id: int | None, keys: Sequence[str], *, everywhere: bool
) -> None:
    """Recompute the rows of these series keys in ``library_id`` (unless None) and, when
    ``everywhere``, over every library, from the comics as they are now written."""
    rows = conn.execute(select(*SERIES_INPUT).where(comics.c.series_key.in_(keys))).all()
    tables: list[Table] = []
    if everywhere:
        tables += [all_series_facets, all_publisher_series_facets]
    for table in tables:
        conn.execute(delete(table).where(table.c.series_key.in_(keys)))
    if library_id is not None:
        for table in (series_facets, publisher_series_facets):
            conn.execute(
                delete(table).where(table.c.library_id == library_id, table.c.series_key.in_(keys))
            )
    build_series(conn, library_id, rows, everywhere=everywhere)


def build_series(
    conn: Connection, library_id: int | None, rows: Sequence[Sequence[Any]], *, everywhere: bool
) -> None:
    """Write the rows of the series of these comics (``SERIES_INPUT``), all of their comics;
    the series must have no rows yet."""
    own = [] if library_id is None else [row for row in rows if row[0] == library_id]
    # Usually a series lives in one library: its rows there are its rows everywhere.
    whole = None
    if everywhere:
        whole = _rows(_accumulate(own if len(own) == len(rows) else rows))
        _put(conn, all_series_facets, whole.whole)
        _put(conn, all_publisher_series_facets, whole.split)
    if library_id is None:
        return
    mine = whole if whole is not None and len(own) == len(rows) else _rows(_accumulate(own))
    _put_library(conn, library_id, mine)


def build_library_series(conn: Connection, library_id: int, rows: Iterable[Sequence[Any]]) -> None:
    """``build_series`` of one library's comics, not over every library: ``rows`` (all of
    ``library_id``) are summed up as they come, never held together."""
    _put_library(conn, library_id, _rows(_accumulate(rows)))


def _put_library(conn: Connection, library_id: int, mine: _Rows) -> None:
    scope = {"library_id": library_id}
    _put(conn, series_facets, [{**row, **scope} for row in mine.whole])
    split = [
        {
            **row,
            **scope,
            "search_text": text,
            "search_id": search_id(library_id, row["publisher_key"], row["series_key"]),
        }
        for row, text in zip(mine.split, mine.texts, strict=True)
    ]
    _put(conn, publisher_series_facets, split)


def _put(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:  # an empty executemany would insert one row of defaults
        conn.execute(insert(table), rows)


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
