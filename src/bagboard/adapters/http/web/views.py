"""What the pages show of the services' results: cards for the grids, links, pagination.

Presentation only: a comic's label, the share of it read, where a card leads. Who sees what,
what is read and what is listed is the services' business; these functions only reshape it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from bagboard.domain.browse import Facet
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import TEXT_FIELDS
from bagboard.domain.pagination import Page
from bagboard.domain.progress import ComicReading
from bagboard.services.listings import FolderItem, IssueItem
from bagboard.services.shelves import ShelfView

__all__ = [
    "RIGHT_TO_LEFT",
    "Card",
    "Group",
    "Pager",
    "comic_label",
    "facet_groups",
    "folder_groups",
    "issue_cards",
    "metadata_rows",
    "pager",
    "query",
    "shelf_cards",
]

# ComicInfo's ``Manga`` value for a book read from right to left (the schema's own spelling).
RIGHT_TO_LEFT: Final = "yesandrighttoleft"
_LABELS: Final = {"coverartist": "Cover artist", "number": "Issue", "count": "Issues"}


@dataclass(frozen=True, slots=True)
class Card:
    """One comic in a grid."""

    id: int
    title: str
    detail: str
    is_read: bool = False
    started: bool = False
    # Percent of the pages read, for a comic in progress.
    percent: int | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """One publisher, series or folder in a list: where it leads and how big it is."""

    name: str
    href: str
    count: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    total_pages: int
    previous: int | None
    next: int | None


def pager(page: Page[Any]) -> Pager:
    previous = page.page - 1 if page.page > 1 else None
    return Pager(page.page, page.total_pages, previous, page.page + 1 if page.has_more else None)


def comic_label(series: str, number: str, title: str, name: str) -> str:
    """``Series #12``, else the title, else the file name without its extension."""
    if series and number:
        return f"{series} #{number}"
    return title or series or posixpath.splitext(name)[0]


def _percent(reading: ComicReading, page_count: int) -> int | None:
    if reading.is_read or reading.last_page is None or page_count <= 0:
        return None
    return max(1, min(100, round(100 * reading.last_page / page_count)))


def issue_cards(items: Sequence[IssueItem]) -> list[Card]:
    cards = []
    for item in items:
        comic, reading = item.comic, item.reading
        cards.append(
            Card(
                id=comic.id,
                title=comic_label(comic.series, comic.number, comic.title, comic.name),
                detail=comic.title if comic.series and comic.number else comic.year,
                is_read=reading.is_read,
                started=reading.has_progress and not reading.is_read,
                percent=_percent(reading, comic.page_count),
            )
        )
    return cards


def shelf_cards(views: Sequence[ShelfView]) -> tuple[list[Card], list[Group]]:
    """A shelf's comics as cards and its folders as groups (linking to the folder page)."""
    cards: list[Card] = []
    groups: list[Group] = []
    for view in views:
        entry = view.entry
        if entry.comic_id is not None:
            reading = view.reading or ComicReading()
            title = posixpath.splitext(view.name)[0]
            cards.append(
                Card(
                    entry.comic_id,
                    title,
                    "",
                    is_read=reading.is_read,
                    started=reading.has_progress and not reading.is_read,
                )
            )
        else:
            groups.append(Group(view.name, "/folder" + query(path=entry.path)))
    return cards, groups


def facet_groups(items: list[Facet], level: str, mode: str, publisher: str = "") -> list[Group]:
    """Publishers (``level="series"``: each leads to its series) or series (``"issues"``)."""
    groups = []
    for facet in items:
        if level == "series":
            href = "/browse/series" + query(mode=mode, publisher=facet.name)
        else:
            href = "/browse/issues" + query(
                mode=mode, publisher=facet.publisher or publisher, series=facet.name
            )
        detail = " · ".join(str(x) for x in (facet.publisher, facet.year) if x)
        groups.append(Group(facet.name, href, facet.count, detail if level == "issues" else ""))
    return groups


def folder_groups(
    items: list[FolderItem], level: str, mode: str, publisher: str = ""
) -> list[Group]:
    """Folders as the filesystem mode lists them; a multi-volume series gives one group per
    volume."""
    groups = []
    for item in items:
        name = item.folder.name
        if level == "series":
            groups.append(
                Group(
                    name,
                    "/browse/series" + query(mode=mode, publisher=name),
                    item.folder.comic_count,
                )
            )
        elif item.volumes:
            for volume in item.volumes:
                href = "/browse/issues" + query(
                    mode=mode, publisher=publisher, series=name, volume=volume
                )
                groups.append(Group(f"{name} {volume}", href))
        else:
            href = "/browse/issues" + query(mode=mode, publisher=publisher, series=name)
            groups.append(Group(name, href, item.folder.comic_count))
    return groups


def metadata_rows(comic: IndexedComic) -> list[tuple[str, str]]:
    """The comic's descriptive fields that have a value, labelled."""
    info = comic.comic_info
    if info is None:
        return []
    rows = []
    for field in TEXT_FIELDS:
        value = getattr(info, field)
        if value:
            rows.append((_LABELS.get(field, field.capitalize()), value))
    return rows


def query(**values: object) -> str:
    """``?a=1&b=2`` of the values given, leaving out empty ones."""
    kept = {key: str(value) for key, value in values.items() if value not in (None, "")}
    return "?" + urlencode(kept) if kept else ""
