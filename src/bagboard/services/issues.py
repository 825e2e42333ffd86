"""One comic: its detail, its cover, its file and its pages (contract §5).

Methods that only read the index (``comic``, ``detail``, ``cover_key``, ``hot``) are cheap and
may run on the event loop; those marked *blocking* open archives or decode images and must run
in a worker thread. A comic outside the user's libraries is ``ComicNotFound``, exactly like a
missing one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from bagboard.domain.browse import NO_READING, ReadingState
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import (
    ArchiveMissing,
    ArchiveUnreadable,
    ComicNotFound,
    CoverFailed,
    CoverUnavailable,
    ImageUnreadable,
    NotFound,
)
from bagboard.domain.images import (
    COVER,
    JPEG,
    ORIGINAL,
    FileStamp,
    ImageInfo,
    PageInfo,
    Rendition,
    RenditionKey,
    media_type_for_name,
    parse_id,
    requested_size,
    snapped_size,
    stream_size,
)
from bagboard.domain.model import User
from bagboard.domain.progress import ComicReading, ReadingProgress
from bagboard.ports.archive_reader import ArchiveReader
from bagboard.ports.clock import Clock
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.page_catalog import PageCatalog
from bagboard.ports.page_images import PageImages
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.rendition_cache import RenditionCache
from bagboard.services.libraries import sees_library
from bagboard.services.recent_cache import RecentCache

logger = logging.getLogger("bagboard.covers")

# Failed covers remembered (so a corrupt archive is logged once and not reopened on every
# request); a full memo starts over.
_MAX_FAILURES = 10_000


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


def _text(raw: str | int | None) -> str | None:
    return None if raw is None else str(raw)


@contextmanager
def _on_disk() -> Iterator[None]:
    """A comic whose file is gone from disk is not found, like one gone from the index."""
    try:
        yield
    except ArchiveMissing as exc:
        raise ComicNotFound("the comic file is not on disk") from exc


class IssueService:
    def __init__(
        self,
        index: LibraryIndex,
        libraries: LibraryStore,
        progress: ProgressStore,
        archives: ArchiveReader,
        images: PageImages,
        hot: RenditionCache,
        disk: RenditionCache,
        catalog: PageCatalog,
        clock: Clock,
        *,
        cache_ttl: timedelta = timedelta(0),
    ) -> None:
        self._index = index
        self._libraries = libraries
        self._progress = progress
        self._archives = archives
        self._images = images
        self._hot = hot
        self._disk = disk
        self._catalog = catalog
        # Covers of a grid are asked for again and again: the index row of a comic is
        # remembered for ``cache_ttl`` (a running server trusts what it read for two seconds).
        self._comics: RecentCache[int, IndexedComic | None] | None = (
            RecentCache(clock, cache_ttl) if cache_ttl > timedelta(0) else None
        )
        self._failures: dict[tuple[int, FileStamp], str] = {}
        self._inflight: dict[RenditionKey, tuple[threading.Lock, list[int]]] = {}
        self._lock = threading.Lock()

    # --- cheap: the index only ----------------------------------------------------------------

    # Ids, page numbers and sizes come as URL text from the server and as ints from Python
    # callers; both are read by the same rules.

    def comic(self, user: User, raw_id: str | int) -> IndexedComic:
        """The comic with that id if this user may see it; else ``ComicNotFound``."""
        comic_id = parse_id(str(raw_id))
        comic = None if comic_id is None else self._lookup(comic_id)
        if comic is None or not sees_library(self._libraries, user, comic.library_id):
            raise ComicNotFound("no such comic")
        return comic

    def detail(self, user: User, raw_id: str | int) -> IssueDetail:
        comic = self.comic(user, raw_id)
        readings = self._progress.readings(user.id, [comic.id])
        return issue_detail(comic, readings.get(comic.id))

    def details(self, user: User, comic_ids: Sequence[int]) -> list[IssueDetail]:
        """The details of many comics in three reads, in the order given; comics that are gone
        or that this user may not see are left out."""
        found = self._index.comics(comic_ids)
        enabled = {lib.id for lib in self._libraries.list(enabled_only=True)}
        visible = [
            found[comic_id]
            for comic_id in comic_ids
            if comic_id in found
            and found[comic_id].library_id in enabled
            and user.may_see(found[comic_id].library_id)
        ]
        if not visible:
            return []
        readings = self._progress.readings(user.id, [comic.id for comic in visible])
        return [issue_detail(comic, readings.get(comic.id)) for comic in visible]

    def cover_key(
        self, user: User, raw_id: str | int, raw_size: str | int | None = None
    ) -> RenditionKey:
        """What ``?size=`` asks for, snapped; a non-integer size is ``InvalidInput``."""
        size = snapped_size(requested_size(_text(raw_size)))
        comic = self.comic(user, raw_id)
        return RenditionKey(comic.id, FileStamp.of(comic), COVER, size)

    def hot(self, key: RenditionKey) -> Rendition | None:
        """A rendition already in memory, or None (then ask ``rendition``)."""
        data = self._hot.get(key)
        return None if data is None else Rendition(key, data)

    # --- blocking: archives, images, the disk cache --------------------------------------------

    def rendition(self, user: User, key: RenditionKey) -> Rendition:
        """*Blocking.* The cover or resized page ``key`` names, from the caches or made now."""
        comic = self.comic(user, str(key.comic_id))
        stamp = FileStamp.of(comic)
        # The comic may have changed since the key was made: render what is there now.
        fresh = key if key.stamp == stamp else RenditionKey(comic.id, stamp, key.page, key.size)
        return self._rendition(comic, fresh)

    def warm_cover(self, comic_id: int, size: int) -> bool:
        """*Blocking.* Make sure the cover is cached; False when it cannot be made."""
        comic = self._index.comic(comic_id)
        if comic is None:
            return False
        key = RenditionKey(comic.id, FileStamp.of(comic), COVER, snapped_size(size))
        if self._disk.get(key) is not None:
            return True
        try:
            self._rendition(comic, key, keep_hot=False)
        except (CoverUnavailable, CoverFailed):
            return False
        return True

    def pages(self, user: User, raw_id: str | int) -> tuple[PageInfo, ...]:
        """*Blocking the first time.* Every page with its dimensions, measured once per file."""
        return self._page_list(self.comic(user, raw_id))

    def page_key(
        self,
        user: User,
        raw_id: str | int,
        raw_number: str | int,
        raw_size: str | int | None = None,
    ) -> RenditionKey:
        """*Blocking the first time* (it needs the page list). Which page, at which size
        (``ORIGINAL`` without ``?size=``): enough to answer a revalidation without reading it."""
        comic = self.comic(user, raw_id)
        text = _text(raw_size)
        size = None if text is None or not text.strip() else requested_size(text)
        number = parse_id(str(raw_number))
        if number is None or not 1 <= number <= len(self._page_list(comic)):
            raise NotFound("no such page")
        snapped = ORIGINAL if size is None else snapped_size(size)
        return RenditionKey(comic.id, FileStamp.of(comic), number, snapped)

    def page(self, user: User, key: RenditionKey) -> Rendition:
        """*Blocking.* The page ``key`` names: its own bytes, or a JPEG of ``key.size``."""
        comic = self.comic(user, str(key.comic_id))
        pages = self._page_list(comic)
        if not 1 <= key.page <= len(pages):
            raise NotFound("no such page")  # the file changed since the key was made
        stamp = FileStamp.of(comic)
        fresh = key if key.stamp == stamp else RenditionKey(comic.id, stamp, key.page, key.size)
        if fresh.size != ORIGINAL:
            return self._rendition(comic, fresh)
        page = pages[fresh.page - 1]
        with _on_disk():
            data = self._archives.read_member(comic.path, page.name)
        return Rendition(fresh, data, page.media_type)

    def stream_key(
        self,
        user: User,
        raw_id: str | int,
        raw_index: str | int,
        raw_width: str | int | None = None,
    ) -> RenditionKey:
        """*Blocking the first time* (it needs the page list). Page ``raw_index`` counted from
        **0** (as OPDS page streaming counts) as a JPEG at most ``raw_width`` wide: see
        ``stream_width``. Out of range or not an integer is ``NotFound``."""
        comic = self.comic(user, raw_id)
        pages = self._page_list(comic)
        index = parse_id(str(raw_index))
        if index is None or index >= len(pages):
            raise NotFound("no such page")
        page = pages[index]
        return RenditionKey(
            comic.id, FileStamp.of(comic), page.number, stream_size(page, raw_width)
        )

    def stream(self, user: User, key: RenditionKey) -> Rendition:
        """*Blocking.* The page a ``stream_key`` names, always a JPEG: the stored bytes when the
        page is a JPEG no wider than asked, else decoded and encoded again (transparency on
        white), fitted to the width. Encoded pages go through the rendition caches."""
        comic = self.comic(user, str(key.comic_id))
        pages = self._page_list(comic)
        if not 1 <= key.page <= len(pages) or key.size >= 0:
            raise NotFound("no such page")
        page = pages[key.page - 1]
        stamp = FileStamp.of(comic)
        if key.stamp != stamp:
            key = RenditionKey(comic.id, stamp, key.page, stream_size(page, -key.size))
        if page.media_type == JPEG and page.width == -key.size:
            with _on_disk():
                return Rendition(key, self._archives.read_member(comic.path, page.name))
        return self._rendition(comic, key)

    # --- in one call, for Python callers -------------------------------------------------------

    def cover(self, user: User, comic_id: str | int, size: str | int | None = None) -> Rendition:
        """*Blocking.* The comic's cover as a JPEG whose long edge is at most ``size`` pixels
        (snapped to a cached size; the default is the API's)."""
        # ``rendition`` looks in the memory cache first, as the HTTP handler's ``hot`` does.
        return self.rendition(user, self.cover_key(user, comic_id, size))

    def page_image(
        self, user: User, comic_id: str | int, number: int, size: str | int | None = None
    ) -> Rendition:
        """*Blocking.* Page ``number`` (1-based): its own bytes, or a JPEG of at most ``size``."""
        return self.page(user, self.page_key(user, comic_id, number, size))

    def stream_page(
        self, user: User, comic_id: str | int, index: int, max_width: str | int | None = None
    ) -> Rendition:
        """*Blocking.* Page ``index`` (from **0**) as a JPEG at most ``max_width`` wide."""
        return self.stream(user, self.stream_key(user, comic_id, index, max_width))

    # --- helpers ---------------------------------------------------------------------------------

    def _lookup(self, comic_id: int) -> IndexedComic | None:
        if self._comics is None:
            return self._index.comic(comic_id)
        return self._comics.get(comic_id, lambda: self._index.comic(comic_id))

    def _rendition(
        self, comic: IndexedComic, key: RenditionKey, *, keep_hot: bool = True
    ) -> Rendition:
        data = self._hot.get(key) or self._disk.get(key)
        if data is None:
            with self._rendering(key):
                # Whoever waited here finds what the first request rendered.
                data = self._disk.get(key)
                if data is None:
                    data = (
                        self._make_cover(comic, key)
                        if key.page == COVER
                        else self._resize(comic, key)
                    )
                    self._disk.put(key, data)
        if keep_hot:
            self._hot.put(key, data)
        return Rendition(key, data)

    @contextmanager
    def _rendering(self, key: RenditionKey) -> Iterator[None]:
        """One render per key at a time: a grid of covers asked for by two devices at once, or
        a retried request, decodes each image once."""
        with self._lock:
            entry = self._inflight.setdefault(key, (threading.Lock(), [0]))
            entry[1][0] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._lock:
                entry[1][0] -= 1
                if not entry[1][0]:
                    del self._inflight[key]

    def _resize(self, comic: IndexedComic, key: RenditionKey) -> bytes:
        """A page as a JPEG: of long edge ``key.size``, or for a streamed page (a negative
        size, see ``images.stream_size``) of width ``-key.size``."""
        page = self._page_list(comic)[key.page - 1]
        with _on_disk():
            data = self._archives.read_member(comic.path, page.name)
        if key.size < 0:
            return self._images.jpeg_fit_width(data, -key.size)
        return self._images.thumbnail(data, key.size)

    def _make_cover(self, comic: IndexedComic, key: RenditionKey) -> bytes:
        failure = (comic.id, key.stamp)
        with self._lock:
            known = self._failures.get(failure)
        if known is not None:
            raise CoverFailed(known)
        if comic.error is not None:
            raise self._failed(failure, comic, comic.error)
        try:
            summary = self._archives.inspect(comic.path)
            if not summary.pages:
                raise CoverUnavailable("this comic has no image to make a cover from")
            marked = summary.comic_info.front_cover_index if summary.comic_info else None
            index = marked if marked is not None and marked < len(summary.pages) else 0
            page = self._archives.read_member(comic.path, summary.pages[index])
            return self._images.thumbnail(page, key.size)
        except ArchiveMissing as exc:
            # Not remembered: the file may come back (a share mounted again) unchanged.
            raise ComicNotFound("the comic file is not on disk") from exc
        except ArchiveUnreadable as exc:
            raise self._failed(failure, comic, exc.message) from exc

    def _failed(self, failure: tuple[int, FileStamp], comic: IndexedComic, why: str) -> CoverFailed:
        with self._lock:
            if len(self._failures) >= _MAX_FAILURES:
                self._failures.clear()
            first = failure not in self._failures
            self._failures[failure] = "the cover could not be made: " + why
        if first:
            logger.warning("no cover for comic %s (%s): %s", comic.id, comic.path, why)
        return CoverFailed(self._failures.get(failure, why))

    def _page_list(self, comic: IndexedComic) -> tuple[PageInfo, ...]:
        stamp = FileStamp.of(comic)
        stored = self._catalog.pages(comic.id, stamp)
        if stored is not None:
            return stored
        if comic.error is not None:
            raise ArchiveUnreadable(comic.error)
        with _on_disk():
            summary = self._archives.inspect(comic.path)
        pages = []
        for number, name in enumerate(summary.pages, start=1):
            with _on_disk():
                data = self._archives.read_member(comic.path, name)
            try:
                info = self._images.probe(data)
            except ImageUnreadable:
                # One broken page must not hide the others; it lists without dimensions.
                info = ImageInfo(0, 0, media_type_for_name(name))
            pages.append(
                PageInfo(number, name, info.width, info.height, len(data), info.media_type)
            )
        self._catalog.save(comic.id, stamp, pages)
        return tuple(pages)
