"""Translation between the index's domain types and the rows of ``folders`` and ``comics``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from operator import attrgetter
from typing import Any

from bagboard.adapters.storage.tables import COMICINFO_TEXT_COLUMNS
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import grouping_key
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexedComic
from bagboard.domain.comicinfo import ComicInfo, ComicPageInfo, DeferredPages
from bagboard.domain.naturalsort import natural_sort_text as sort_key  # the stored format


def folder_row(folder: FolderEntry, library_id: int, at: datetime) -> dict[str, Any]:
    # parent_id is resolved by the writer, which knows which parents already exist.
    return {
        "library_id": library_id,
        "path": folder.path,
        "name": folder.name,
        "name_sort": sort_key(folder.name),
        "depth": folder.depth,
        "mtime_ns": folder.mtime_ns,
        "has_thumbnail": folder.has_thumbnail,
        "comic_count": folder.comic_count,
        "indexed_at": at,
    }


def location_row(entry: ComicEntry) -> dict[str, Any]:
    """What changes when a comic moves with its content unchanged (folder_id aside)."""
    return {
        "path": entry.path,
        "name": entry.name,
        "name_sort": sort_key(entry.name),
        "size": entry.size,
        "mtime_ns": entry.mtime_ns,
        "fingerprint": entry.fingerprint,
    }


def comic_row(entry: ComicEntry) -> dict[str, Any]:
    """Every observed column of a comic (folder_id, dates and ids aside)."""
    info = entry.comic_info
    row = location_row(entry)
    row.update(
        format=None if entry.format is None else entry.format.value,
        page_count=entry.page_count,
        has_comicinfo=info is not None,
        error=entry.error,
    )
    info = info or ComicInfo()
    row.update({name: getattr(info, name) for name in COMICINFO_TEXT_COLUMNS})
    row.update(
        info_page_count=info.page_count,
        front_cover=info.front_cover_index,
        pages_json=_pages_json(info.pages),
        publisher_key=grouping_key(info.publisher),
        series_key=grouping_key(info.series),
        number_sort=sort_key(info.number),
        year_int=_year(info.year),
    )
    return row


def indexed_comic(row: Mapping[str, Any]) -> IndexedComic:
    """A comic read back from its row. Its ComicInfo was cleaned when it was written, so it is
    taken as stored, and its pages are decoded only if something reads them: a feed or list
    of fifty comics reads neither."""
    info = None
    if row["has_comicinfo"]:
        text = row["pages_json"]
        pages = DeferredPages(partial(_pages, text)) if text != "[]" else ()
        info = ComicInfo.stored(row, page_count=row["info_page_count"], pages=pages)
    return IndexedComic(
        id=row["id"],
        library_id=row["library_id"],
        path=row["path"],
        size=row["size"],
        mtime_ns=row["mtime_ns"],
        format=None if row["format"] is None else ArchiveFormat(row["format"]),
        added_at=row["added_at"],
        page_count=row["page_count"],
        comic_info=info,
        error=row["error"],
    )


# Each <Page> is stored as a JSON array in this order: a long comic has hundreds of pages, and
# arrays cost half the bytes of objects and a fraction of the time to write. Fields added to
# ComicPageInfo later go at the end, so older rows still decode.
_PAGE_FIELDS = (
    "image",
    "type",
    "double_page",
    "image_size",
    "image_width",
    "image_height",
    "bookmark",
)
_page_values = attrgetter(*_PAGE_FIELDS)


def _pages_json(pages: Sequence[ComicPageInfo]) -> str:
    if not pages:
        return "[]"
    return json.dumps([_page_values(page) for page in pages], separators=(",", ":"))


def _pages(text: str) -> tuple[ComicPageInfo, ...]:
    return tuple(
        ComicPageInfo(**dict(zip(_PAGE_FIELDS, item, strict=False))) for item in json.loads(text)
    )


def _year(year: str) -> int | None:
    # Only plain years become numbers; "c. 1985" or "1985-86" stay text for display.
    if year.isascii() and year.isdigit() and len(year) <= 4:
        return int(year)
    return None
