"""Reading lists: ordered lists of comics a user (or everyone) reads across series.

A list comes from a CBL file (ComicBookReadingList XML, as the community shares them) or is
made by hand. Each entry keeps its position and the book as the list names it (series,
number, volume, year); it points at an indexed comic once one matches, and stays unresolved
until then, so a list imported before its comics are scanned fills in by itself. How a book
finds its comic is ``domain.readlist_matching``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from datetime import datetime

from bagboard.domain.browse import grouping_key
from bagboard.domain.errors import InvalidInput

__all__ = [
    "MAX_LIST_BOOKS",
    "MAX_LIST_FILE_BYTES",
    "UNNAMED_LIST",
    "InvalidReadingList",
    "ListBook",
    "ParsedList",
    "ReadingList",
    "ReadingListEntry",
    "list_key",
    "named",
]

# A list file larger than this is refused before it is parsed: the longest shared lists (a
# publisher's whole event history) are a few hundred kilobytes.
MAX_LIST_FILE_BYTES = 10 * 1024 * 1024
# The longest shared lists hold a few thousand books; more is a hostile or broken file.
MAX_LIST_BOOKS = 10_000
# What a list is called when its file names none and nothing else names it.
UNNAMED_LIST = "Reading list"


class InvalidReadingList(InvalidInput):
    """A reading-list file is not one: not XML, hostile, too large, or not a CBL list."""

    code = "invalid_reading_list"


@dataclass(frozen=True, slots=True)
class ListBook:
    """A book as a list names it: ``<Book Series= Number= Volume= Year=>`` in a CBL, with the
    ``<Database Name= Series= Issue=>`` ids some lists carry (``(name, series id, issue id)``)."""

    series: str
    number: str
    volume: str | None = None
    year: int | None = None
    database_ids: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A list as a file states it, before any book is matched: books in list order, a book
    named twice kept twice (its position is its index + 1)."""

    name: str
    summary: str
    books: tuple[ListBook, ...]


@dataclass(frozen=True, slots=True)
class ReadingListEntry:
    """One place in a list: 1-based ``position``, the book as named, and the indexed comic it
    matched (None: unresolved)."""

    position: int
    book: ListBook
    comic_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReadingList:
    """A list's header. ``owner_id`` None: shared with every user. ``entries`` counts every
    entry, ``resolved`` those that matched a comic."""

    id: int
    name: str
    summary: str
    owner_id: int | None
    created_at: datetime
    updated_at: datetime
    entries: int = 0
    resolved: int = 0


def list_key(name: str) -> str:
    """What re-importing a list matches on, with its owner: its name as browsing groups
    names, so "Civil War (2006)" imported again replaces the list instead of adding one."""
    return grouping_key(name)


def named(parsed: ParsedList, file_name: str | None = None) -> ParsedList:
    """``parsed`` with a name: its own, else the stem of the file it came from, else
    ``UNNAMED_LIST``; so every importer (CLI, web upload, API) names a nameless list alike,
    and two nameless files do not replace each other by their shared empty name."""
    if parsed.name.strip():
        return parsed
    base, dot, extension = posixpath.basename((file_name or "").replace("\\", "/")).rpartition(".")
    stem = base if dot else extension
    return replace(parsed, name=" ".join(stem.split()) or UNNAMED_LIST)
