"""Metadata-browsing groups, precomputed from ``comics`` by every index write (``facets.py``).

Listing publishers or series used to group every visible comic on each request; these tables
hold one row per group and library instead, so a list reads a few rows in index order.

- ``series_facets``: a series (non-empty ``series_key``) in one library, all its comics;
  for the unfiltered series list.
- ``publisher_series_facets``: the same split by publisher key (``""`` for comics without
  one); for the series of one publisher, for search (``search_text``) and for the publisher a
  series is shown with.
- ``publisher_facets``: comics per library, publisher key and spelling; for the publisher list.
  Spellings are kept apart so the most common one is exact across libraries.

``series`` and ``publisher`` in the series tables are the most common spellings among the
row's comics (``browse.display_name``); a series row's ``publisher`` is that of its largest
publisher group (ties: the smaller key), as ``MetadataBrowser.series`` shows it.

Every list order has an index that yields it directly for one library, so a page costs its
own rows: ``series_sort`` is ``natural_sort_text(series_key)``; ``count_sort`` is ``-comics``
(an ascending index gives "most comics first, then natural order", which a descending scan
of ``comics`` would break on ties); ``year_sort`` is ``min_year``, or ``UNKNOWN_YEAR`` so
series without a year come last (SQLite puts NULL first). Ties on ``max_added_at`` are few,
so the "recent" index is read backwards and only each run of equal times is sorted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, Integer, PrimaryKeyConstraint, Table, Text

from bagboard.adapters.storage.columns import (
    BYTEWISE_TEXT,
    UtcDateTime,
    library_fk,
    metadata,
    sort_key,
)

# Above every year the index stores as a number (at most four digits, see index_rows).
UNKNOWN_YEAR = 10_000


def _key(name: str) -> Column[str]:
    # Compared bytewise like the comics' key columns they are copied from.
    return Column(name, BYTEWISE_TEXT, nullable=False)


def _series_columns() -> list[Column[Any]]:
    return [
        Column("series", Text, nullable=False),
        Column("publisher", Text, nullable=False),
        Column("comics", Integer, nullable=False),
        Column("min_year", Integer, nullable=True),
        Column("max_added_at", UtcDateTime(), nullable=False),
        sort_key("series_sort"),
        Column("count_sort", Integer, nullable=False),
        Column("year_sort", Integer, nullable=False),
    ]


def _order_indexes(table: str, *scope: str) -> list[Index]:
    """The count, year and recent orders within ``scope`` (one library, maybe one publisher),
    each ending with the natural order of the key."""
    natural = ("series_sort", "series_key")
    return [
        Index(f"ix_{table}_{name}", *scope, first, *natural)
        for name, first in (
            ("count", "count_sort"),
            ("year", "year_sort"),
            ("recent", "max_added_at"),
        )
    ]


series_facets = Table(
    "series_facets",
    metadata,
    library_fk(),
    _key("series_key"),
    *_series_columns(),
    PrimaryKeyConstraint("library_id", "series_key"),
    # Natural order over any set of libraries: groups stream out already sorted.
    Index("ix_series_facets_alpha", "series_sort", "series_key", "library_id"),
    *_order_indexes("series_facets", "library_id"),
)

publisher_series_facets = Table(
    "publisher_series_facets",
    metadata,
    library_fk(),
    _key("series_key"),
    _key("publisher_key"),
    *_series_columns(),
    # Lower-cased titles and file names of the row's comics, each once, sorted, joined by
    # SEARCH_SEPARATOR: one string to search per row instead of one row per comic.
    Column("search_text", Text, nullable=False),
    # Series key first: index writes replace every row of a series at once.
    PrimaryKeyConstraint("library_id", "series_key", "publisher_key"),
    Index(
        "ix_publisher_series_facets_alpha",
        "publisher_key",
        "series_sort",
        "series_key",
        "library_id",
    ),
    *_order_indexes("publisher_series_facets", "library_id", "publisher_key"),
)

publisher_facets = Table(
    "publisher_facets",
    metadata,
    library_fk(),
    _key("publisher_key"),
    Column("publisher", Text, nullable=False),
    Column("comics", Integer, nullable=False),
    sort_key("publisher_sort"),
    PrimaryKeyConstraint("library_id", "publisher_key", "publisher"),
    Index("ix_publisher_facets_alpha", "publisher_sort", "publisher_key"),
)

# A query without the separator can only match inside one title or name. Queries holding it
# are answered from ``comics`` instead; a control character (XML forbids it in ComicInfo) makes
# that all but unreachable.
SEARCH_SEPARATOR = "\x1f"
