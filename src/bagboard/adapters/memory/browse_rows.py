"""What both memory browsers share: rows made from indexed comics, and pages cut from a
sorted list by the SQL adapters' rules (natural order is ``natural_sort_text`` of the name,
then the raw name, then the id)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from bagboard.domain.browse import ComicRow, FolderRow
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest

__all__ = ["NO_INFO", "by_name", "comic_row", "natural", "page_of"]

T = TypeVar("T")
NO_INFO = ComicInfo()


def page_of(items: Iterable[T], key: Callable[[T], Any], page: PageRequest) -> Page[T]:
    ordered = sorted(items, key=key)
    return Page(ordered[page.offset : page.offset + page.limit], len(ordered), page)


def natural(name: str, row_id: int) -> tuple[str, str, int]:
    return (natural_sort_text(name), name, row_id)


def comic_row(comic: IndexedComic) -> ComicRow:
    return comic.as_row()


def by_name(row: FolderRow | ComicRow) -> tuple[str, str, int]:
    return natural(row.name, row.id)
