"""Metadata-browsing groups, precomputed from ``comics`` by every index write (``facets.py``).

Listing publishers or series used to group every visible comic on each request; these tables
hold one row per group instead, so a list reads a page of rows in the order of an index.

- ``series_facets``: a series (non-empty ``series_key``) in one library, all its comics.
- ``publisher_series_facets``: the same split by publisher key (``""`` for comics without
  one): the series of one publisher, and search (``search_text``).
- ``all_series_facets``, ``all_publisher_series_facets``: the same over every library, for
  the usual request that sees them all; kept only while two libraries or more hold series
  (``facet_sources``): with one, its own rows serve.
- ``publisher_facets``: comics per library, publisher key and spelling, for the publisher
  list. Spellings are kept apart so the most common one is exact over several libraries.

``series`` and ``publisher`` in the series tables are the most common spellings among the
row's comics (``browse.display_name``); a whole series shows the publisher of its largest
publisher group (ties: the smaller key), as ``MetadataBrowser.series`` does.

Every list order has an index: ``series_sort`` is ``natural_sort_text(series_key)``;
``count_sort`` is ``-comics`` (an ascending index then gives "most comics first, then natural
order", which a descending scan of ``comics`` would break on ties); ``year_sort`` is
``min_year``, or ``UNKNOWN_YEAR`` so series without a year come last (SQLite puts NULL first).
Ties on ``max_added_at`` are few, so that index is read backwards and only runs of equal times
are sorted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Integer, PrimaryKeyConstraint, Table, Text

from bagboard.adapters.storage.db.columns import (
    BYTEWISE_TEXT,
    UtcDateTime,
    library_fk,
    metadata,
    sort_key,
)

__all__ = [
    "SEARCH_SEPARATOR",
    "SERIES_SEARCH",
    "UNKNOWN_YEAR",
    "all_publisher_series_facets",
    "all_series_facets",
    "facet_sources",
    "publisher_facets",
    "publisher_series_facets",
    "search_id",
    "series_facets",
]

# Above every year the index stores as a number (at most four digits, see index/rows.py).
UNKNOWN_YEAR = 10_000

# A query without the separator can only match inside one title or name. Queries holding it
# are answered from ``comics`` instead; a control character (XML forbids it in ComicInfo) makes
# that all but unreachable.
SEARCH_SEPARATOR = "\x1f"

_NATURAL = ("series_sort", "series_key")
# Requests that see a few libraries but not all sum their rows of each series: the "merge"
# indexes hold those rows side by side in natural order, with what ranking the sums reads.
_MERGED = ("library_id", "comics", "year_sort", "max_added_at")


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
    """Each list order within ``scope`` (a library, a publisher, both or neither)."""
    orders = (("count", "count_sort"), ("year", "year_sort"), ("recent", "max_added_at"))
    return [
        Index(f"ix_{table}_alpha", *scope, *_NATURAL),
        *(Index(f"ix_{table}_{name}", *scope, first, *_NATURAL) for name, first in orders),
    ]


series_facets = Table(
    "series_facets",
    metadata,
    library_fk(),
    _key("series_key"),
    *_series_columns(),
    PrimaryKeyConstraint("library_id", "series_key"),
    *_order_indexes("series_facets", "library_id"),
    Index("ix_series_facets_merge", *_NATURAL, *_MERGED),
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
    # The row's entry in the SQLite search index (``SERIES_SEARCH``): ``search_id``.
    Column("search_id", BigInteger, nullable=False),
    # Series key first: index writes replace every row of a series at once.
    PrimaryKeyConstraint("library_id", "series_key", "publisher_key"),
    *_order_indexes("publisher_series_facets", "library_id", "publisher_key"),
    Index("ix_publisher_series_facets_merge", "publisher_key", *_NATURAL, *_MERGED),
    # Search finds rows by id and needs only their keys: an index-only lookup per hit.
    Index(
        "ix_publisher_series_facets_search_id",
        "search_id",
        "library_id",
        "publisher_key",
        "series_key",
        unique=True,
    ),
)

all_series_facets = Table(
    "all_series_facets",
    metadata,
    _key("series_key"),
    *_series_columns(),
    PrimaryKeyConstraint("series_key"),
    *_order_indexes("all_series_facets"),
)

all_publisher_series_facets = Table(
    "all_publisher_series_facets",
    metadata,
    _key("series_key"),
    _key("publisher_key"),
    *_series_columns(),
    PrimaryKeyConstraint("series_key", "publisher_key"),
    *_order_indexes("all_publisher_series_facets", "publisher_key"),
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
)

# The libraries that hold series (or once did): those the all_* tables count. No foreign key on
# purpose: a row that outlives its library (bagboard never deletes one, but a hand can) tells
# readers that those tables are stale, and the next index write rebuilds them.
facet_sources = Table(
    "facet_sources",
    metadata,
    Column("library_id", Integer, nullable=False),
    PrimaryKeyConstraint("library_id"),
)


# Search runs on an index of substrings (trigrams) kept beside ``publisher_series_facets`` by
# the migrations: on SQLite the FTS5 table ``SERIES_SEARCH`` (rowid: ``search_id``, columns
# ``series_key`` and ``search_text``), kept in step by triggers; on PostgreSQL pg_trgm GIN
# indexes on the same two columns. Neither is part of ``metadata``: every name starts with
# ``SERIES_SEARCH``, so a schema comparison can leave them out.
SERIES_SEARCH = "series_search"


def search_id(library_id: int, publisher_key: str, series_key: str) -> int:
    """A stable 63-bit id of a ``publisher_series_facets`` row, from its primary key: the
    same row gets the same id in every process and after any rebuild."""
    key = f"{library_id}{SEARCH_SEPARATOR}{publisher_key}{SEARCH_SEPARATOR}{series_key}"
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1
