"""Translation between the index's domain types and the rows of ``folders`` and ``comics``."""

from __future__ import annotations

import json
import re
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import RowMapping

from bagboard.adapters.storage.tables import COMICINFO_TEXT_COLUMNS
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexedComic
from bagboard.domain.comicinfo import ComicInfo, ComicPageInfo

_RUNS = re.compile(r"[0-9]+|[^0-9]+")
# Wide enough for any 64-bit number, so dates, ISBNs and catalogue numbers compare by value.
_NUMBER_WIDTH = 20
# Number runs start with a byte below every printable character: natural_key() puts a number
# before any text at the same position ("2000 AD" before "'Mazing Man"), and a plain digit
# would sort after spaces and most punctuation. Runs too long for the fixed width get a higher
# marker, then their length, so they still follow every shorter number in magnitude order.
_NUMBER = "\x01"
_LONG_NUMBER = "\x02"


def sort_key(text: str) -> str:
    """A string that orders like ``naturalsort.natural_key`` under bytewise comparison.

    Text is casefolded and every ASCII digit run becomes a marker and the zero-padded number,
    so ``ORDER BY`` on SQLite (BINARY) and on PostgreSQL (``COLLATE "C"``) gives natural order.
    Equal keys ("01" and "1", "A" and "a") are left for the caller to break, by the raw name.
    """
    parts: list[str] = []
    for run in _RUNS.findall(text):
        if "0" <= run[0] <= "9":
            digits = run.lstrip("0") or "0"
            if len(digits) <= _NUMBER_WIDTH:
                parts.append(_NUMBER + digits.rjust(_NUMBER_WIDTH, "0"))
            else:
                parts.append(f"{_LONG_NUMBER}{len(digits):08d}{digits}")
        else:
            parts.append(run.casefold())
    return "".join(parts)


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
        publisher_key=info.publisher.casefold(),
        series_key=info.series.casefold(),
        number_sort=sort_key(info.number),
        year_int=_year(info.year),
    )
    return row


def indexed_comic(row: RowMapping) -> IndexedComic:
    info = None
    if row["has_comicinfo"]:
        info = ComicInfo(
            **{name: row[name] for name in COMICINFO_TEXT_COLUMNS},
            page_count=row["info_page_count"],
            pages=_pages(row["pages_json"]),
        )
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


def _pages_json(pages: tuple[ComicPageInfo, ...]) -> str:
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
