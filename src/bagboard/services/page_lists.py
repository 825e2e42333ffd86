"""Measuring a comic's pages: name, dimensions, byte size and media type of each; and the
page lists of the comics read lately, kept in memory.

A page list is a function of the file's version (its size and modification time): measured
once per version and stored in the page catalog, it changes only when the file does, and
then its stamp does too. A reader turning pages asks for the same comic's list with every
page; reading it from the catalog was half the CPU of streaming a page (an SQL query built,
run and its JSON decoded each time), so the lists of the comics read lately are kept by
comic id and stamp.
"""

from __future__ import annotations

from bagboard.domain.errors import ImageUnreadable
from bagboard.domain.images import ImageInfo, PageInfo, media_type_for_name
from bagboard.ports.archive_reader import ArchiveReader
from bagboard.ports.page_images import PageImages
from bagboard.services.kept_answers import VersionedCache

__all__ = ["KEPT_PAGE_LISTS", "kept_page_lists", "measure_pages"]

# Comics whose page lists are kept: a few hundred readers each in a comic or two, at a few
# kilobytes a list.
KEPT_PAGE_LISTS = 512


def kept_page_lists(size: int = KEPT_PAGE_LISTS) -> VersionedCache[tuple[PageInfo, ...]]:
    """The page lists of the ``size`` comics asked for last, by comic id, each valid for the
    file version (``FileStamp``) it was measured from."""
    return VersionedCache(size)


def measure_pages(archives: ArchiveReader, images: PageImages, path: str) -> tuple[PageInfo, ...]:
    """*Blocking.* Open the archive at ``path`` and probe every page's header; raises what the
    reader raises (``ArchiveMissing``, ``ArchiveUnreadable``).

    A container that knows its pages' sizes without decoding them (a PDF, whose pages are
    rendered on demand) is not read page by page: a page's byte size is then unknown (0)."""
    summary = archives.inspect(path)
    sizes = archives.page_sizes(path)
    if sizes is not None:
        return tuple(
            PageInfo(number, name, width, height, 0, media_type_for_name(name))
            for number, (name, (width, height)) in enumerate(
                zip(summary.pages, sizes, strict=True), start=1
            )
        )
    pages = []
    for number, name in enumerate(summary.pages, start=1):
        data = archives.read_member(path, name)
        try:
            info = images.probe(data)
        except ImageUnreadable:
            # One broken page must not hide the others; it lists without dimensions.
            info = ImageInfo(0, 0, media_type_for_name(name))
        pages.append(PageInfo(number, name, info.width, info.height, len(data), info.media_type))
    return tuple(pages)
