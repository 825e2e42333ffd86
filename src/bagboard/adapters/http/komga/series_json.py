"""Series and books as Komga DTOs (``wire_books.py``), from ``SeriesCatalog``'s views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import msgspec

from bagboard.adapters.http.komga.kept import Kept
from bagboard.adapters.http.komga.wire import AuthorDto, instant
from bagboard.adapters.http.komga.wire_books import (
    BooksMetadataDto,
    SeriesDto,
    SeriesMetadataDto,
)
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import ComicInfo
from bagboard.services.series_views import SeriesView

__all__ = ["authors_of", "comic_mtime", "human_size", "listed", "release_date", "series_dto"]

_ROLES = (
    ("writer", "writer"),
    ("penciller", "penciller"),
    ("inker", "inker"),
    ("colorist", "colorist"),
    ("letterer", "letterer"),
    ("coverartist", "cover"),
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def authors_of(info: ComicInfo | None) -> list[AuthorDto]:
    if info is None:
        return []
    return [
        AuthorDto(name=name.strip(), role=role)
        for field, role in _ROLES
        for name in getattr(info, field).split(",")
        if name.strip()
    ]


def listed(text: str) -> list[str]:
    return sorted({part.strip() for part in text.split(",") if part.strip()})


def release_date(info: ComicInfo | None) -> date | None:
    if info is None or not info.year.strip().isdigit():
        return None
    try:
        return date(int(info.year), 1, 1)
    except ValueError:
        return None


def comic_mtime(comic: IndexedComic) -> datetime:
    return datetime.fromtimestamp(comic.mtime_ns / 1e9, UTC)


@dataclass(frozen=True, slots=True)
class _BookFacts:
    """What a series' DTO takes from its books' comics, whoever reads it."""

    created: datetime
    modified: datetime
    total: int | None
    summary: str
    release: date | None
    authors: list[AuthorDto]
    tags: list[str]
    info: ComicInfo | None


def _facts(comics: Sequence[IndexedComic]) -> _BookFacts:
    first = comics[0] if comics else None
    info = first.comic_info if first is not None else None
    count = info.count.strip() if info is not None else ""
    infos = [c.comic_info for c in comics if c.comic_info is not None]
    summary = next((i.summary for i in infos if i.summary), "")
    releases = [r for r in (release_date(i) for i in infos) if r is not None]
    authors = {(a.name, a.role): a for i in infos for a in authors_of(i)}
    return _BookFacts(
        created=min((c.added_at for c in comics), default=_EPOCH),
        modified=max((max(c.added_at, comic_mtime(c)) for c in comics), default=_EPOCH),
        total=int(count) if count.isdigit() else None,
        summary=summary,
        release=min(releases) if releases else None,
        authors=list(authors.values()),
        tags=sorted({t for i in infos for t in listed(i.tags)}),
        info=info,
    )


def _same_series(kept: SeriesView, series: SeriesView) -> bool:
    if (kept.library_id, kept.name, kept.publisher) != (
        series.library_id,
        series.name,
        series.publisher,
    ):
        return False
    a, b = kept.comics, series.comics
    return a is b or (len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True)))


# The DTOs of recently shown series, read counts aside, valid while the series holds the same
# comic objects under the same names: the index keeps each comic it read as one object until
# an index write (``KeptComics``, and the series' issues likewise), so a series list shown
# again reuses them instead of walking every book of every series and formatting its dates
# again; a comic read anew is a new object and a miss.
_KEPT: Kept[int, SeriesView, SeriesDto] = Kept(2000, _same_series)


def series_dto(series: SeriesView) -> SeriesDto:
    base = _KEPT.get(series.id, series, lambda: _series_dto(series, _facts(series.comics)))
    if not series.readings:
        return base  # every book unread, as kept
    read = series.read_count
    in_progress = series.in_progress_count
    return msgspec.structs.replace(
        base,
        books_read_count=read,
        books_unread_count=len(series.comics) - read - in_progress,
        books_in_progress_count=in_progress,
    )


def _series_dto(series: SeriesView, facts: _BookFacts) -> SeriesDto:
    """The DTO with every book unread (``series_dto`` sets the counts)."""
    books = series.comics
    info, total = facts.info, facts.total
    created, modified = instant(facts.created), instant(facts.modified)
    manga = info.manga.strip().lower() if info is not None else ""
    return SeriesDto(
        id=str(series.id),
        library_id=str(series.library_id),
        name=series.name,
        created=created,
        last_modified=modified,
        file_last_modified=modified,
        books_count=len(books),
        books_read_count=0,
        books_unread_count=len(books),
        books_in_progress_count=0,
        metadata=SeriesMetadataDto(
            status="ENDED" if total is not None and len(books) >= total else "ONGOING",
            title=series.name,
            title_sort=series.name,
            summary=facts.summary,
            reading_direction="RIGHT_TO_LEFT" if manga == "yesandrighttoleft" else "",
            publisher=series.publisher,
            age_rating=None,
            language=info.language_iso if info is not None else "",
            total_book_count=total,
            created=created,
            last_modified=modified,
            genres=listed(info.genre) if info is not None else [],
            tags=listed(info.tags) if info is not None else [],
        ),
        books_metadata=BooksMetadataDto(
            authors=list(facts.authors),
            tags=list(facts.tags),
            release_date=None if facts.release is None else facts.release.isoformat(),
            summary="",
            summary_number="",
            created=created,
            last_modified=modified,
        ),
    )
