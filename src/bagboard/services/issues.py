"""One comic: who may see it, its detail, its page list, its file, and its images (contract §5).

Every request looks the comic up once, here: the steps that follow (a rendition target, a
download) carry the ``IndexedComic`` found, and ``RenditionService`` renders from it without
reading the index again. ``comic``, ``detail``, ``details``, ``cover_target`` and ``file`` only
read the index and may run on the event loop; methods marked *blocking* open archives or decode
images and must run in a worker thread. A comic outside the user's libraries is
``ComicNotFound``, exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bagboard.domain.browse import NO_READING, ReadingState
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.images import PageInfo, Rendition, parse_id
from bagboard.domain.model import User
from bagboard.domain.progress import ComicReading, ReadingProgress
from bagboard.ports.change_feed import Change
from bagboard.ports.clock import Clock
from bagboard.ports.comic_files import ComicFiles
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.progress_store import ProgressStore
from bagboard.services.downloads import ComicDownload
from bagboard.services.kept_answers import UNKEPT, KeptAnswers, kept_answer
from bagboard.services.libraries import sees_library
from bagboard.services.recent_cache import Freshness, RecentCache
from bagboard.services.renditions import RenditionService, RenditionTarget

__all__ = ["IssueDetail", "IssueService"]


@dataclass(frozen=True, slots=True)
class IssueDetail:
    comic: IndexedComic
    reading: ReadingState  # the read mark
    progress: ReadingProgress | None  # the saved position, None when there is none


def issue_detail(comic: IndexedComic, reading: ComicReading | None) -> IssueDetail:
    """A comic with this user's reading of it (None: never touched)."""
    if reading is None:
        return IssueDetail(comic, NO_READING, None)
    return IssueDetail(comic, ReadingState(reading.last_page, reading.is_read), reading.position)


class IssueService:
    def __init__(
        self,
        index: LibraryIndex,
        libraries: LibraryStore,
        progress: ProgressStore,
        clock: Clock,
        *,
        renditions: RenditionService,
        files: ComicFiles,
        freshness: Freshness | None = None,
        kept_answers: KeptAnswers = UNKEPT,
    ) -> None:
        self.kept_answers = kept_answers
        self._index = index
        self._libraries = libraries
        self._progress = progress
        self._renditions = renditions
        self._files = files
        # Covers of a grid are asked for again and again: the index row of a comic is
        # remembered until the index changes (``freshness``; None: read every time).
        self._comics: RecentCache[int, IndexedComic | None] | None = (
            None if freshness is None else RecentCache(clock, freshness, Change.INDEX)
        )

    # Ids come as URL text from the server and as ints from Python callers; both are read by
    # the same rules.

    def comic(self, user: User, raw_id: str | int) -> IndexedComic:
        """The comic with that id if this user may see it; else ``ComicNotFound``."""
        comic_id = parse_id(str(raw_id))
        comic = None if comic_id is None else self._lookup(comic_id)
        if comic is None or not sees_library(self._libraries, user, comic.library_id):
            raise ComicNotFound("no such comic")
        return comic

    @kept_answer
    def detail(self, user: User, raw_id: str | int) -> IssueDetail:
        comic = self.comic(user, raw_id)
        readings = self._progress.readings(user.id, [comic.id])
        return issue_detail(comic, readings.get(comic.id))

    def pages(self, user: User, raw_id: str | int) -> tuple[PageInfo, ...]:
        """*Blocking the first time.* Every page with its dimensions, measured once per file."""
        return self._renditions.page_list(self.comic(user, raw_id))

    def page_list(self, comic: IndexedComic) -> tuple[PageInfo, ...]:
        """``pages`` of a comic this request has just looked up (``comic``, ``detail``)."""
        return self._renditions.page_list(comic)

    def file(self, user: User, raw_id: str | int) -> ComicDownload:
        """The comic's file, ready to be read for a download (its reads are *blocking*)."""
        comic = self.comic(user, raw_id)
        # From the enabled libraries ``comic`` has just checked, which are remembered: no
        # statement per download (``get`` would read the store every time).
        for library in self._libraries.list(enabled_only=True):
            if library.id == comic.library_id:
                return ComicDownload(comic, library.root, self._files)
        raise ComicNotFound("no such comic")

    # --- which image: one lookup, then ``RenditionService`` renders what it names ---------------

    def cover_target(
        self, user: User, raw_id: str | int, raw_size: str | int | None = None
    ) -> RenditionTarget:
        """The cover at what ``?size=`` asks for, snapped; a non-integer size is
        ``InvalidInput``. Cheap: the index only."""
        return self._renditions.cover_target(self.comic(user, raw_id), raw_size)

    def page_target(
        self,
        user: User,
        raw_id: str | int,
        raw_number: str | int,
        raw_size: str | int | None = None,
    ) -> RenditionTarget:
        """*Blocking the first time* (it needs the page list). Which page, at which size
        (``ORIGINAL`` without ``?size=``): enough to answer a revalidation without reading it."""
        return self._renditions.page_target(self.comic(user, raw_id), raw_number, raw_size)

    def stream_target(
        self,
        user: User,
        raw_id: str | int,
        raw_index: str | int,
        raw_width: str | int | None = None,
    ) -> RenditionTarget:
        """*Blocking the first time* (it needs the page list). Page ``raw_index`` counted from
        **0** (as OPDS page streaming counts) as a JPEG at most ``raw_width`` wide."""
        return self._renditions.stream_target(self.comic(user, raw_id), raw_index, raw_width)

    # --- in one call, for Python callers -------------------------------------------------------

    def cover(self, user: User, comic_id: str | int, size: str | int | None = None) -> Rendition:
        """*Blocking.* The comic's cover as a JPEG whose long edge is at most ``size`` pixels
        (snapped to a cached size; the default is the API's)."""
        return self._renditions.render(self.cover_target(user, comic_id, size))

    def page_image(
        self, user: User, comic_id: str | int, number: int, size: str | int | None = None
    ) -> Rendition:
        """*Blocking.* Page ``number`` (1-based): its own bytes, or a JPEG of at most ``size``."""
        return self._renditions.page(self.page_target(user, comic_id, number, size))

    def stream_page(
        self, user: User, comic_id: str | int, index: int, max_width: str | int | None = None
    ) -> Rendition:
        """*Blocking.* Page ``index`` (from **0**) as a JPEG at most ``max_width`` wide."""
        return self._renditions.stream(self.stream_target(user, comic_id, index, max_width))

    def _lookup(self, comic_id: int) -> IndexedComic | None:
        if self._comics is None:
            return self._index.comic(comic_id)
        return self._comics.get(comic_id, lambda: self._index.comic(comic_id))
