"""The pieces of catalog feeds that are not publications: the start feed's entries, links
to folders, facet pages, counts, and a feed's date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from bagboard.adapters.http.opds.entries import entry_updated
from bagboard.adapters.http.opds.feed import (
    PAGE_SIZE,
    REL_NEW,
    REL_SHELF,
    REL_SUBSECTION,
    Kind,
    NavEntry,
    Target,
    urn,
)
from bagboard.domain.browse import SERIES_DEPTH, Facet
from bagboard.domain.pagination import Page, PageRequest
from bagboard.services.issues import IssueDetail

__all__ = [
    "START",
    "count_text",
    "facets",
    "folder_entry",
    "folder_kind",
    "latest",
    "page_number",
    "parent",
]


def page_number(raw: str | None) -> PageRequest:
    """``?page=`` as a feed page of ``PAGE_SIZE`` (anything odd is the first page)."""
    return PageRequest.from_raw(raw, PAGE_SIZE)


# The start feed: (id, title, route, kind of the feed it leads to, rel, summary).
START: Final = (
    ("publishers", "Publishers", "publishers", Kind.NAVIGATION, REL_SUBSECTION,
     "Browse by publisher, then series"),
    ("series", "All series", "series", Kind.NAVIGATION, REL_SUBSECTION, "Every series, by name"),
    ("recent", "Recently added", "recent", Kind.ACQUISITION, REL_NEW,
     "Comics added in the last 30 days, newest first"),
    ("keep-reading", "Keep reading", "keep-reading", Kind.ACQUISITION, REL_SUBSECTION,
     "Comics you have started"),
    ("on-deck", "On deck", "on-deck", Kind.ACQUISITION, REL_SUBSECTION,
     "The next comic of each series and reading list you are in the middle of"),
    ("to-read", "To read", "to-read", Kind.ACQUISITION, REL_SHELF, "Your want-to-read list"),
    ("favorites", "Favorites", "favorites", Kind.NAVIGATION, REL_SUBSECTION,
     "Your favourite folders"),
    ("readlists", "Reading lists", "readlists", Kind.NAVIGATION, REL_SUBSECTION,
     "Your reading lists and the shared ones"),
    ("arcs", "Story arcs", "arcs", Kind.NAVIGATION, REL_SUBSECTION,
     "Stories told across series, in reading order"),
    # The top of the folders: library roots, or the one root's publisher folders.
    ("folders", "Folders", "folder", Kind.NAVIGATION, REL_SUBSECTION,
     "Browse the library folders as they are on disk"),
)  # fmt: skip


def facets(page: Page[Any]) -> Page[Facet]:
    # Listings asked for in metadata mode hold facets; anything else is a programming slip.
    items = [item for item in page.items if isinstance(item, Facet)]
    return Page(items, page.total, page.request)


def folder_kind(depth: int | None) -> Kind:
    """What the feed of a folder at ``depth`` below its library root most likely is, for the
    ``type`` of links to it (the feed itself says what it is by what it holds): library roots
    and publisher folders hold folders, series folders and below hold comics, as the layout
    ``Publisher/Series/issue`` has it. A shelved folder, depth unknown, is usually a series."""
    return Kind.NAVIGATION if depth is not None and depth < SERIES_DEPTH else Kind.ACQUISITION


def folder_entry(
    path: str, name: str, count: int | None = None, *, depth: int | None = None
) -> NavEntry:
    """A link to the folder feed of ``path``; with its comic count when known (shelf entries
    do not carry one)."""
    return NavEntry(
        urn("folder", path),
        name,
        Target("folder", (("path", path),)),
        folder_kind(depth),
        summary="" if count is None else count_text(count, "comic"),
        count=count,
    )


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


def count_text(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def latest(details: Sequence[IssueDetail], default: datetime) -> datetime:
    """The newest ``entry_updated`` of ``details``: the newest file time, unless a position
    is newer (compared as numbers first: one datetime made per feed, not one per entry)."""
    if not details:
        return default
    newest = entry_updated(max(details, key=_file_ns))
    for detail in details:
        if detail.progress is not None and detail.progress.updated_at > newest:
            newest = detail.progress.updated_at
    return newest


# Past the last second ``datetime`` can hold, ``file_time`` gives up (the epoch): such a time
# must not win the comparison.
_LAST_NS = 253_402_300_799 * 10**9


def _file_ns(detail: IssueDetail) -> int:
    ns = detail.comic.mtime_ns
    return ns if ns < _LAST_NS else -1
