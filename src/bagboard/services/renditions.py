"""Images of a comic: covers, resized pages, streamed pages and the page list they index.

``RenditionService`` never looks a comic up: it is handed the ``IndexedComic`` that the one
lookup of a request found (``IssueService`` does that lookup and checks who may see it), so a
request reads the index once however many steps it takes. Answering a request is two steps:
a *target* (which image, with the ``RenditionKey`` whose ETag answers a revalidation), then,
only when the client does not have it, the image. Methods marked *blocking* open archives or
decode images and must run in a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import (
    ArchiveMissing,
    ArchiveUnreadable,
    ComicNotFound,
    CoverFailed,
    CoverUnavailable,
    NotFound,
)
from bagboard.domain.images import (
    COVER,
    JPEG,
    ORIGINAL,
    FileStamp,
    PageInfo,
    Rendition,
    RenditionKey,
    snapped_size,
)
from bagboard.ports.archive_reader import ArchiveReader
from bagboard.ports.page_catalog import PageCatalog
from bagboard.ports.page_images import PageImages
from bagboard.ports.rendition_cache import RenditionCache
from bagboard.services.page_lists import kept_page_lists, measure_pages
from bagboard.services.render_once import CoverFailures, RenderOnce
from bagboard.services.rendition_targets import (
    RenditionTarget,
    cover_target,
    page_target,
    stream_target,
)

__all__ = ["RenditionService", "RenditionTarget", "on_disk"]


def _long_edge(page: PageInfo, size: int) -> int | None:
    """The long edge a page must have to give a rendition of ``size`` (a long edge, or minus
    a width): what a container that renders its pages is asked for."""
    if size >= 0:
        return size or None
    width = -size
    if page.width <= 0 or page.height <= 0:
        return None
    return -(-width * max(page.width, page.height) // page.width)


@contextmanager
def on_disk() -> Iterator[None]:
    """A comic whose file is gone from disk is not found, like one gone from the index."""
    try:
        yield
    except ArchiveMissing as exc:
        raise ComicNotFound("the comic file is not on disk") from exc


class RenditionService:
    """Covers, resized and streamed pages through two caches (memory, then disk), rendered
    once per key however many requests ask at the same time; a cover that cannot be made is
    remembered per version of the file, so a corrupt archive is opened and logged once."""

    def __init__(
        self,
        archives: ArchiveReader,
        images: PageImages,
        catalog: PageCatalog,
        hot: RenditionCache,
        disk: RenditionCache,
    ) -> None:
        self._archives = archives
        self._images = images
        self._catalog = catalog
        self._hot = hot
        self._disk = disk
        self._once = RenderOnce()
        self._failures = CoverFailures()
        self._page_lists = kept_page_lists()

    # --- targets: which image -----------------------------------------------------------------

    # Page numbers and sizes come as URL text from the server and as ints from Python callers;
    # both are read by the same rules.

    def cover_target(self, comic: IndexedComic, raw_size: str | int | None) -> RenditionTarget:
        """The cover at what ``?size=`` asks for, snapped; a non-integer size is
        ``InvalidInput``. Cheap: nothing is read."""
        return cover_target(comic, raw_size)

    def page_target(
        self, comic: IndexedComic, raw_number: str | int, raw_size: str | int | None
    ) -> RenditionTarget:
        """*Blocking the first time* (it needs the page list). Page ``raw_number`` (from 1) at
        ``raw_size`` (``ORIGINAL`` without one); out of range or not an integer is
        ``NotFound``."""
        return page_target(comic, lambda: self.page_list(comic), raw_number, raw_size)

    def stream_target(
        self, comic: IndexedComic, raw_index: str | int, raw_width: str | int | None
    ) -> RenditionTarget:
        """*Blocking the first time* (it needs the page list). Page ``raw_index`` counted from
        **0** (as OPDS page streaming counts) as a JPEG at most ``raw_width`` wide (see
        ``images.stream_size``). Out of range or not an integer is ``NotFound``."""
        return stream_target(comic, self.page_list(comic), raw_index, raw_width)

    # The same without blocking, for the event loop: None when the page list is not in
    # memory (then ask the blocking ones in a worker thread).

    def kept_page_target(
        self, comic: IndexedComic, raw_number: str | int, raw_size: str | int | None
    ) -> RenditionTarget | None:
        pages = self._page_lists.get(comic.id, FileStamp.of(comic))
        return None if pages is None else page_target(comic, lambda: pages, raw_number, raw_size)

    def kept_stream_target(
        self, comic: IndexedComic, raw_index: str | int, raw_width: str | int | None
    ) -> RenditionTarget | None:
        pages = self._page_lists.get(comic.id, FileStamp.of(comic))
        return None if pages is None else stream_target(comic, pages, raw_index, raw_width)

    def page_list(self, comic: IndexedComic) -> tuple[PageInfo, ...]:
        """*Blocking the first time.* Every page with its dimensions, measured once per
        version of the file and kept in the page catalog, and in memory for the comics read
        lately (``kept_page_lists``)."""
        stamp = FileStamp.of(comic)
        return self._page_lists.kept(comic.id, stamp, lambda: self._stored_pages(comic, stamp))

    def _stored_pages(self, comic: IndexedComic, stamp: FileStamp) -> tuple[PageInfo, ...]:
        stored = self._catalog.pages(comic.id, stamp)
        if stored is not None:
            return stored
        if comic.error is not None:
            raise ArchiveUnreadable(comic.error)
        with on_disk():
            pages = measure_pages(self._archives, self._images, comic.path)
        self._catalog.save(comic.id, stamp, pages)
        return pages

    # --- images -------------------------------------------------------------------------------

    def hot(self, target: RenditionTarget) -> Rendition | None:
        """A rendition already in memory, or None (then ask ``render``). Cheap."""
        data = self._hot.get(target.key)
        return None if data is None else Rendition(target.key, data)

    def render(self, target: RenditionTarget) -> Rendition:
        """*Blocking.* The cover or resized page the target names, from the caches or made
        now."""
        return self._rendition(target)

    def page(self, target: RenditionTarget) -> Rendition:
        """*Blocking.* A ``page_target``'s page: its own bytes, or a JPEG of ``key.size``."""
        if target.key.size != ORIGINAL:
            return self._rendition(target)
        page = target.pages[target.key.page - 1]
        with on_disk():
            data = self._archives.read_member(target.comic.path, page.name)
        return Rendition(target.key, data, page.media_type)

    def page_ready(self, target: RenditionTarget) -> Rendition | None:
        """``page`` when it needs no disk and no decoding: an original page whose bytes are
        in memory, or a rendition in the memory cache. None otherwise (then ask ``page``)."""
        if target.key.size != ORIGINAL:
            return self.hot(target)
        page = target.pages[target.key.page - 1]
        data = self._archives.read_member_ready(target.comic.path, page.name)
        return None if data is None else Rendition(target.key, data, page.media_type)

    def stream_ready(self, target: RenditionTarget) -> Rendition | None:
        """``stream`` when it needs no disk and no decoding; None otherwise (then ask
        ``stream``)."""
        page = target.pages[target.key.page - 1]
        if target.key.size >= 0 or page.media_type != JPEG or page.width != -target.key.size:
            return self.hot(target)
        data = self._archives.read_member_ready(target.comic.path, page.name)
        return None if data is None else Rendition(target.key, data)

    def stream(self, target: RenditionTarget) -> Rendition:
        """*Blocking.* A ``stream_target``'s page, always a JPEG: the stored bytes when the
        page is a JPEG no wider than asked, else decoded and encoded again (transparency on
        white), fitted to the width. Encoded pages go through the rendition caches."""
        key = target.key
        if key.size >= 0:
            raise NotFound("no such page")
        page = target.pages[key.page - 1]
        if page.media_type == JPEG and page.width == -key.size:
            with on_disk():
                return Rendition(key, self._archives.read_member(target.comic.path, page.name))
        return self._rendition(target)

    def warm_cover(self, comic: IndexedComic, size: int) -> bool:
        """*Blocking.* Make sure the cover is in the disk cache (not the memory one: warming a
        library must not evict what readers are looking at); False when it cannot be made."""
        target = RenditionTarget(
            RenditionKey(comic.id, FileStamp.of(comic), COVER, snapped_size(size)), comic
        )
        if self._disk.get(target.key) is not None:
            return True
        try:
            self._rendition(target, keep_hot=False)
        except (CoverUnavailable, CoverFailed):
            return False
        return True

    # --- helpers ------------------------------------------------------------------------------

    def _rendition(self, target: RenditionTarget, *, keep_hot: bool = True) -> Rendition:
        key = target.key
        data = self._hot.get(key) or self._disk.get(key)
        if data is None:
            with self._once.rendering(key):
                # Whoever waited here finds what the first request rendered.
                data = self._disk.get(key)
                if data is None:
                    data = self._make_cover(target) if key.page == COVER else self._resize(target)
                    self._disk.put(key, data)
        if keep_hot:
            self._hot.put(key, data)
        return Rendition(key, data)

    def _resize(self, target: RenditionTarget) -> bytes:
        """A page as a JPEG: of long edge ``key.size``, or for a streamed page (a negative
        size, see ``images.stream_size``) of width ``-key.size``."""
        key = target.key
        page = target.pages[key.page - 1]
        with on_disk():
            data = self._archives.read_member(
                target.comic.path, page.name, long_edge=_long_edge(page, key.size)
            )
        if key.size < 0:
            return self._images.jpeg_fit_width(data, -key.size)
        return self._images.thumbnail(data, key.size)

    def _make_cover(self, target: RenditionTarget) -> bytes:
        comic, key = target.comic, target.key
        self._failures.check(comic.id, key.stamp)
        if comic.error is not None:
            raise self._failures.failed(comic, key.stamp, comic.error)
        try:
            summary = self._archives.inspect(comic.path)
            if not summary.pages:
                raise CoverUnavailable("this comic has no image to make a cover from")
            marked = summary.comic_info.front_cover_index if summary.comic_info else None
            index = marked if marked is not None and marked < len(summary.pages) else 0
            page = self._archives.read_member(comic.path, summary.pages[index], long_edge=key.size)
            return self._images.thumbnail(page, key.size)
        except ArchiveMissing as exc:
            # Not remembered: the file may come back (a share mounted again) unchanged.
            raise ComicNotFound("the comic file is not on disk") from exc
        except ArchiveUnreadable as exc:
            raise self._failures.failed(comic, key.stamp, exc.message) from exc
