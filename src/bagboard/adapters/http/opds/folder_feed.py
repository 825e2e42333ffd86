"""An OPDS folder feed: a folder's subfolders, then its comics, paged as one list."""

from __future__ import annotations

from datetime import datetime

from bagboard.adapters.http.opds import navigation as nav
from bagboard.adapters.http.opds.feed import ROOT, Feed, Kind, Paging, Target, urn
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.browse import BrowseService, IssueItem
from bagboard.services.listings import FolderContents

__all__ = ["folder_feed"]


def folder_feed(
    browse: BrowseService, user: User, started: datetime, path: str | None, raw_page: str | None
) -> Feed:
    """A folder as on disk: its subfolders, then the comics directly in it, as one list
    paged as every feed is (``PAGE_SIZE`` entries a page, counted together), so that
    ``numberOfItems``/``totalResults`` and the last page agree with what the pages hold."""
    path = (path or "").strip() or None
    request = nav.page_number(raw_page)
    contents = browse.folder(user, path, request)
    folders = contents.folders
    start, end = request.offset, request.offset + request.page_size
    entries = tuple(
        nav.folder_entry(
            item.folder.path,
            item.folder.name,
            item.folder.comic_count,
            depth=item.folder.depth,
        )
        for item in folders[start:end]
    )
    room = request.page_size - len(entries)
    comics = _folder_comics(browse, user, path, contents, max(0, start - len(folders)), room)
    details = browse.details(comics)
    here = contents.folder
    title = here.name if here is not None else "Folders"
    if here is None:
        up, up_kind = ROOT, Kind.NAVIGATION
    elif here.depth > 1:
        up = Target("folder", (("path", nav.parent(here.path)),))
        up_kind = nav.folder_kind(here.depth - 1)
    else:
        up, up_kind = Target("folder"), Kind.NAVIGATION
    # A folder holding no comic directly is a navigation feed (OPDS 1.2: one must not hold
    # publications, and one that holds none is one); any comic makes it acquisition.
    kind = Kind.ACQUISITION if contents.comics.total else Kind.NAVIGATION
    return Feed(
        urn("folder", here.path) if here is not None else "urn:bagboard:folders",
        title,
        Target("folder", (("path", here.path),) if here is not None else ()),
        kind,
        nav.latest(details, started),
        entries,
        tuple(details),
        Paging(request.page, request.page_size, len(folders) + contents.comics.total),
        up,
        up_kind,
    )


def _folder_comics(
    browse: BrowseService,
    user: User,
    path: str | None,
    contents: FolderContents,
    skip: int,
    room: int,
) -> list[IssueItem]:
    """The comics at positions ``skip``.. of the folder, at most ``room`` of them, once the
    subfolders before them took their share of this page. ``contents`` holds the comic page
    of the same number as the feed page, which is the one needed when there are no
    subfolders; otherwise the range may straddle two pages of that size, read here."""
    room = min(room, contents.comics.total - skip)
    if room <= 0:
        return []
    size = contents.comics.page_size
    pages = {contents.comics.page: contents.comics}
    found: list[IssueItem] = []
    for number in range(skip // size + 1, (skip + room - 1) // size + 2):
        page = pages.get(number)
        if page is None:
            page = browse.folder(user, path, PageRequest(number, size)).comics
        found.extend(page.items)
    first = skip - (skip // size) * size
    return found[first : first + room]
