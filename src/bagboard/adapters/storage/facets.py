"""Keeping the facet tables (``facet_tables``) in step with ``comics``, inside each index write.

A batch names the groups it touches: the keys its comics had before (read before they are
rewritten or deleted) and the keys they have now. Series rows of those series keys are rebuilt
from their comics, which is exact whatever changed (the earliest year and the latest date cannot
be taken back incrementally) and costs the comics of those series only. Publisher spellings are
shifted by the batch's own counts instead: a publisher holds a large share of the library, and
recounting it on every batch would make a first scan quadratic.

A move keeps every grouped column (``index_rows.location_row``) but the file name, which search
reads: its series is rebuilt, its publisher count stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.facet_tables import (
    SEARCH_SEPARATOR,
    UNKNOWN_YEAR,
    publisher_facets,
    publisher_series_facets,
    series_facets,
)
from bagboard.adapters.storage.tables import comics
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
        self.texts: set[str] = set()

    def add(self, series: str, publisher: str, title: str, name: str, year: int | None) -> None:
        self.comics += 1
        self.names[series] += 1
        self.publishers[publisher] += 1
        if year is not None and (self.year is None or year < self.year):
            self.year = year
        if title:
            self.texts.add(title.lower())
        self.texts.add(name.lower())


_SERIES_INPUT = (
    comics.c.series_key,
    comics.c.publisher_key,
    comics.c.series,
    comics.c.publisher,
    comics.c.title,
    comics.c.name,
    comics.c.year_int,
    comics.c.added_at,
)


def rebuild_series(conn: Connection, library_id: int, keys: Sequence[str]) -> None:
    """Recompute the series rows of these series keys from the comics written now."""
    rows = conn.execute(
        select(*_SERIES_INPUT).where(
            comics.c.library_id == library_id, comics.c.series_key.in_(keys)
        )
    ).all()
    for table in (series_facets, publisher_series_facets):
        conn.execute(
            delete(table).where(table.c.library_id == library_id, table.c.series_key.in_(keys))
        )
    by_series = _accumulate(rows)
    if not by_series:
        return
    conn.execute(
        insert(publisher_series_facets),
        [
            {
                **_facet_row(library_id, series_key, [group], group.publishers),
                "publisher_key": publisher_key,
                "search_text": SEARCH_SEPARATOR.join(sorted(group.texts)),
            }
            for series_key, groups in by_series.items()
            for publisher_key, group in groups.items()
        ],
    )
    conn.execute(
        insert(series_facets),
        [
            _facet_row(library_id, series_key, groups.values(), _main_publisher(groups))
            for series_key, groups in by_series.items()
        ],
    )


def _accumulate(rows: Iterable[Sequence[Any]]) -> dict[str, dict[str, _Group]]:
    by_series: dict[str, dict[str, _Group]] = {}
    for series_key, publisher_key, series, publisher, title, name, year, added in rows:
        group = by_series.setdefault(series_key, {}).get(publisher_key)
        if group is None:
            group = by_series[series_key][publisher_key] = _Group()
        group.add(series, publisher, title, name, year)
        if group.added is None or added > group.added:
            group.added = added
    return by_series


def _main_publisher(groups: dict[str, _Group]) -> Counter[str]:
    """The spellings of the series' largest publisher group (ties: the smaller key); comics
    without a publisher don't count."""
    named = [(key, group) for key, group in groups.items() if key]
    if not named:
        return Counter()
    return min(named, key=lambda item: (-item[1].comics, item[0]))[1].publishers


def _facet_row(
    library_id: int, series_key: str, groups: Iterable[_Group], publishers: Counter[str]
) -> dict[str, object]:
    groups = list(groups)
    names: Counter[str] = Counter()
    for group in groups:
        names.update(group.names)
    count = sum(group.comics for group in groups)
    years = [group.year for group in groups if group.year is not None]
    year = min(years) if years else None
    return {
        "library_id": library_id,
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
