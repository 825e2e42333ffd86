"""Translation between the index's domain types and the rows of ``folders`` and ``comics``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from functools import partial
from operator import attrgetter
from typing import Any

from bagboard.adapters.storage.db.tables import COMICINFO_TEXT_COLUMNS
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import grouping_key
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexedComic
from bagboard.domain.comicinfo import STRING_FIELDS, ComicInfo, ComicPageInfo, DeferredPages
from bagboard.domain.kosync import PageMap, name_md5
from bagboard.domain.names import NO_SOURCES, Sources
from bagboard.domain.naturalsort import natural_sort_text as sort_key  # the stored format

__all__ = [
    "COMIC_READ_COLUMNS",
    "comic_row",
    "folder_row",
    "indexed_comic",
    "location_row",
    "sort_key",
]


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
    """What changes when a comic moves with its content unchanged (folder_id aside).

    ``kosync_md5`` is None when the scan did not read the file: an update then keeps the
    stored value (see ``write.py``)."""
    name = entry.name
    return {
        "path": entry.path,
        "name": name,
        "name_sort": sort_key(name),
        "size": entry.size,
        "mtime_ns": entry.mtime_ns,
        "fingerprint": entry.fingerprint,
        "kosync_md5": entry.kosync_md5,
        "name_md5": name_md5(name),
        # A move that keeps every grouped column has nothing filled from names.
        "metadata_sources": _sources_json(entry.sources),
    }


def comic_row(entry: ComicEntry) -> dict[str, Any]:
    """Every observed column of a comic (folder_id, dates and ids aside)."""
    info = entry.comic_info
    row = location_row(entry)
    row.update(
        format=None if entry.format is None else entry.format.value,
        page_count=entry.page_count,
        has_comicinfo=entry.tagged and info is not None,
        error=entry.error,
        kosync_pages=_kosync_pages_json(entry.kosync_pages),
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


# What a comic is read back from, in this order: ``indexed_comic`` takes the row by position
# (a dict per row cost as much as the rest of the reading), and nothing that only browsing
# or the scanner uses (sort keys, fingerprint, ``updated_at``) is fetched.
_COMIC_HEAD = (
    "id",
    "library_id",
    "path",
    "size",
    "mtime_ns",
    "format",
    "added_at",
    "page_count",
    "error",
    "has_comicinfo",
    "metadata_sources",
    "info_page_count",
    "pages_json",
    "kosync_pages",
)
COMIC_READ_COLUMNS = (*_COMIC_HEAD, *STRING_FIELDS)
_TEXTS_AT = len(_COMIC_HEAD)
# ArchiveFormat(value) goes through the enum's lookup machinery; a dict is one step.
_FORMATS: dict[str | None, ArchiveFormat | None] = {None: None}
_FORMATS.update({archive_format.value: archive_format for archive_format in ArchiveFormat})


def _archive_format(value: str | None) -> ArchiveFormat | None:
    found = _FORMATS.get(value)
    return found if found is not None or value is None else ArchiveFormat(value)


def indexed_comic(row: Sequence[Any]) -> IndexedComic:
    """A comic from a row of ``COMIC_READ_COLUMNS``. Its ComicInfo was cleaned when it was
    written, so it is taken as stored, and its pages are decoded only if something reads
    them: a feed or list of fifty comics reads neither."""
    (
        comic_id,
        library_id,
        path,
        size,
        mtime_ns,
        archive_format,
        added_at,
        page_count,
        error,
        has_comicinfo,
        metadata_sources,
        info_page_count,
        pages_json,
        page_map,
    ) = row[:_TEXTS_AT]
    info = None
    sources = _sources(metadata_sources)
    if has_comicinfo or sources:
        pages = DeferredPages(partial(_pages, pages_json)) if pages_json != "[]" else ()
        info = ComicInfo.stored(row[_TEXTS_AT:], page_count=info_page_count, pages=pages)
    return IndexedComic(
        id=comic_id,
        library_id=library_id,
        path=path,
        size=size,
        mtime_ns=mtime_ns,
        format=_archive_format(archive_format),
        added_at=added_at,
        page_count=page_count,
        comic_info=info,
        error=error,
        tagged=bool(has_comicinfo),
        sources=sources,
        kosync_pages=_kosync_pages(page_map),
    )


# ``json.dumps`` with separators builds an encoder per call; the scan writes three values a comic.
_compact = json.JSONEncoder(separators=(",", ":")).encode


def _kosync_pages_json(page_map: PageMap | None) -> str | None:
    return None if page_map is None else _compact(list(page_map))


def _kosync_pages(text: str | None) -> PageMap | None:
    """A stored ``comics.kosync_pages``: NULL (or empty) when KOReader's page order is ours."""
    if not text:
        return None
    return tuple(int(page) for page in json.loads(text))


def _sources_json(sources: Sources) -> str:
    return _compact(dict(sources)) if sources else ""


def _sources(text: str | None) -> Sources:
    if not text:
        return NO_SOURCES
    return tuple(json.loads(text).items())


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
# Pages that came as their values in field order (``DeferredPages.values``) are stored as
# they are, while that order is this one.
_FIELD_ORDER = tuple(field.name for field in fields(ComicPageInfo)) == _PAGE_FIELDS


def _pages_json(pages: Sequence[ComicPageInfo]) -> str:
    values = pages.values if _FIELD_ORDER and isinstance(pages, DeferredPages) else None
    if values is not None:
        return _compact(values) if values else "[]"
    if not pages:
        return "[]"
    return _compact([_page_values(page) for page in pages])


def _pages(text: str) -> tuple[ComicPageInfo, ...]:
    return tuple(
        ComicPageInfo(**dict(zip(_PAGE_FIELDS, item, strict=False))) for item in json.loads(text)
    )


def _year(year: str) -> int | None:
    # Only plain years become numbers; "c. 1985" or "1985-86" stay text for display.
    if year.isascii() and year.isdigit() and len(year) <= 4:
        return int(year)
    return None
