"""What both OPDS versions say about one comic: its title, authors, dates and addresses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

from bagboard.adapters.http.opds.base_url import Links, escape_component
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.names import Source
from bagboard.services.issues import IssueDetail

__all__ = [
    "COVER_SIZE",
    "THUMBNAIL_SIZE",
    "authors",
    "cover_href",
    "entry_updated",
    "file_href",
    "file_time",
    "issue_title",
    "publication_date",
    "readable",
    "rfc3339",
]


# Cover sizes an entry offers: a thumbnail for lists, a large one for the detail view.
THUMBNAIL_SIZE: Final = 300
COVER_SIZE: Final = 1200

# Comics whose file time is unknown or absurd still need an Atom ``updated``.
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def rfc3339(moment: datetime) -> str:
    """UTC to the second with ``Z``: the form every reader parses. (Formatted by hand: two per
    entry, and ``strftime`` costs several times as much.)"""
    t = moment.astimezone(UTC)
    return f"{t.year:04}-{t.month:02}-{t.day:02}T{t.hour:02}:{t.minute:02}:{t.second:02}Z"


def publication_date(year: str, month: str = "", day: str = "") -> str | None:
    """When the comic came out, as an RFC 3339 full date (``YYYY-MM-DD``), or None without a
    usable year.

    OPDS 2 (the Readium metadata's ``published``: ``format: date``) wants a full date, and a
    bare year is not one. A month or day that is missing or impossible counts as the first:
    that is what comic servers have always sent for a ComicInfo that gives only ``Year``
    (Komga's release date, for one), so readers that sort or group by date see the same year
    from every server, and a reader that shows just the year shows the right one. OPDS 1.2's
    ``dcterms:issued`` carries the same value, so both catalogs date a comic alike."""
    number = _number(year)
    if number is None or not 1 <= number <= 9999:
        return None
    month_number = _number(month)
    if month_number is None or not 1 <= month_number <= 12:
        return f"{number:04}-01-01"
    day_number = _number(day)
    try:
        date(number, month_number, day_number or 0)
    except ValueError:
        day_number = 1
    return f"{number:04}-{month_number:02}-{day_number:02}"


def _number(text: str) -> int | None:
    digits = text.strip()
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 4 else None


def readable(comic: IndexedComic) -> bool:
    """Whether the archive could be read when indexed. An unreadable comic stays listed (its
    file can still be downloaded, and every count and page of the catalog comes from the
    index, which holds it) but offers nothing that would open it: its cover, pages, page
    stream and reading position would all answer 422."""
    return comic.error is None


def cover_href(links: Links, comic_id: int, size: int) -> str:
    # Numbers only: nothing to escape, so no need for ``Links.to``'s query handling.
    return f"{links.base}/api/v1/issue/{comic_id}/cover?size={size}"


def file_href(links: Links, comic: IndexedComic) -> str:
    """The comic file, under a URL that ends in its own name (escaped; a name that is not
    UTF-8 keeps its bytes): readers such as Moon+ and KOReader name the download after it."""
    return links.to(f"/opds/issue/{comic.id}/file/{escape_component(comic.name)}")


def file_time(comic: IndexedComic) -> datetime:
    try:
        moment = datetime.fromtimestamp(comic.mtime_ns / 1e9, UTC)
    except (OverflowError, OSError, ValueError):
        return _EPOCH
    return max(moment, _EPOCH)


def entry_updated(detail: IssueDetail) -> datetime:
    """When this entry last changed for this user: the file, or their position in it."""
    moment = file_time(detail.comic)
    if detail.progress is not None and detail.progress.updated_at > moment:
        return detail.progress.updated_at
    return moment


def issue_title(comic: IndexedComic) -> str:
    """``Series #N: Title``, or as much of it as ComicInfo (or the comic's names) gives,
    else the file name: a fallback series such as "Unknown series" says less than it."""
    info = comic.comic_info
    series = "" if info is None or (("series", Source.FALLBACK) in comic.sources) else info.series
    if info is None or not (series or info.title):
        return comic.name
    head = series
    if info.number:
        head = f"{head} #{info.number}" if head else f"#{info.number}"
    if info.title and head:
        return f"{head}: {info.title}"
    return head or info.title


def authors(comic: IndexedComic) -> tuple[str, ...]:
    """Writers, one per name of ComicInfo's comma-separated ``Writer``."""
    info = comic.comic_info
    if info is None:
        return ()
    return tuple(name.strip() for name in info.writer.split(",") if name.strip())
