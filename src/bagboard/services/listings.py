"""What the browse lists return: a page of folders, facets or comics and the mode it was
listed in, each comic with this user's reading of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from bagboard.domain.browse import ComicRow, FolderRow
from bagboard.domain.model import BrowseMode
from bagboard.domain.pagination import Page
from bagboard.domain.progress import NOT_READ, ComicReading
from bagboard.ports.progress_store import ProgressStore

__all__ = ["FolderContents", "FolderItem", "IssueItem", "Listing", "issue_items"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """A page of a browse list and the mode that produced it."""

    mode: BrowseMode
    page: Page[T]


@dataclass(frozen=True, slots=True)
class FolderItem:
    folder: FolderRow
    # Present only for a multi-volume series folder (contract §4.2).
    volumes: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class IssueItem:
    comic: ComicRow
    reading: ComicReading = NOT_READ


@dataclass(frozen=True, slots=True)
class FolderContents:
    """One folder as browsed by folders: every subfolder, and a page of the comics directly
    inside. ``folder`` is None at the top level, which lists the library roots when the user
    sees several libraries and the one root's contents otherwise."""

    folder: FolderRow | None
    folders: tuple[FolderItem, ...]
    comics: Page[IssueItem]


def issue_items(progress: ProgressStore, user_id: int, comics: Page[ComicRow]) -> Page[IssueItem]:
    """A page of comics as issue items, each with the user's reading: one read of the store
    for the whole page."""
    ids = [comic.id for comic in comics.items]
    readings = progress.readings(user_id, ids) if ids else {}
    items = [IssueItem(comic, readings.get(comic.id, NOT_READ)) for comic in comics.items]
    return Page(items, comics.total, comics.request)
