"""What the reading-list pages show of the services' results: tiles for lists and arcs, a
list's entries as runs of cards and lines, an import's report.

Presentation only, as ``views``: which entries a user may see resolved, what they read and
which lists they may open are the services' business.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bagboard.adapters.http.web.views import Card, issue_cards
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.progress import NOT_READ, ComicReading
from bagboard.domain.readlists import ListBook, ReadingListEntry
from bagboard.services.listings import IssueItem
from bagboard.services.reading_lists import ImportedBook
from bagboard.services.reading_orders import ComicList, ListKind

__all__ = [
    "ListTile",
    "Run",
    "book_label",
    "count_label",
    "entry_runs",
    "list_href",
    "list_tiles",
    "report_labels",
]


@dataclass(frozen=True, slots=True)
class ListTile:
    """One reading list or story arc on the lists page."""

    name: str
    href: str
    summary: str
    counts: str
    cover_id: int | None = None
    shared: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    """Entries next to each other on a list's page: comics the user has, as cards, or books
    the library lacks (or the user may not see), as plain lines."""

    cards: tuple[Card, ...] = ()
    missing: tuple[str, ...] = ()


def list_href(view: ComicList) -> str:
    return f"/lists/{view.ref}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def count_label(view: ComicList) -> str:
    """``3 of 5 comics`` for a list (the comics the user has of its entries); ``4 comics``
    for an arc, which holds only comics the library has."""
    if view.kind is ListKind.STORY_ARC:
        return _plural(view.comics, "comic")
    return f"{view.comics} of {_plural(view.entries, 'comic')}"


def list_tiles(views: Sequence[ComicList]) -> list[ListTile]:
    return [
        ListTile(
            name=view.name or "Untitled list",
            href=list_href(view),
            summary=view.summary,
            counts=count_label(view),
            cover_id=view.cover_comic_id,
            shared=view.shared and view.kind is ListKind.READING_LIST,
        )
        for view in views
    ]


def book_label(book: ListBook) -> str:
    """``Civil War #1 (vol 2006, 2006)``: a book as its list names it, as the command line
    shows it; blank parts left out."""
    label = f"{book.series} #{book.number}" if book.number else book.series
    details = [f"vol {book.volume}"] if book.volume else []
    if book.year is not None:
        details.append(str(book.year))
    return f"{label} ({', '.join(details)})" if details else label


def entry_runs(
    entries: Sequence[ReadingListEntry],
    comics: Mapping[int, IndexedComic],
    readings: Mapping[int, ComicReading],
) -> list[Run]:
    """The entries in list order, cut into runs of cards and runs of missing lines."""
    runs: list[Run] = []
    for entry in entries:
        comic = comics.get(entry.comic_id) if entry.comic_id is not None else None
        if comic is None:
            line = book_label(entry.book)
            if runs and not runs[-1].cards:
                runs[-1] = Run(missing=(*runs[-1].missing, line))
            else:
                runs.append(Run(missing=(line,)))
            continue
        item = IssueItem(comic.as_row(), readings.get(comic.id, NOT_READ))
        card = issue_cards([item])[0]
        if runs and runs[-1].cards:
            runs[-1] = Run(cards=(*runs[-1].cards, card))
        else:
            runs.append(Run(cards=(card,)))
    return runs


def report_labels(books: Sequence[ImportedBook]) -> list[str]:
    return [book_label(book.book) for book in books]
