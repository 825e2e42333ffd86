"""Wire shapes of ``/issue/<id>`` and its pages, and the image responses (contract §5)."""

from __future__ import annotations

from typing import Final

import msgspec
from litestar import Response
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED

from bagboard.adapters.http.api.progress_json import ProgressJson, progress_json
from bagboard.adapters.http.files.ranges import weak_match
from bagboard.domain.archive import ArchiveFormat, format_for_name
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import TEXT_FIELDS, ComicInfo
from bagboard.domain.images import PageInfo, Rendition
from bagboard.services.issues import IssueDetail

__all__ = [
    "COMIC_MEDIA_TYPES",
    "IMAGE_CACHE_CONTROL",
    "IssueDetailJson",
    "PageJson",
    "PagesBody",
    "comic_media_type",
    "image_response",
    "issue_body",
    "not_modified",
    "pages_body",
]

# A cover or page changes only with its file, and then its ETag changes: a client may keep it
# a day before asking again, and a revalidation costs a 304.
IMAGE_CACHE_CONTROL: Final = "private, max-age=86400"

COMIC_MEDIA_TYPES: Final = {
    ArchiveFormat.ZIP: "application/vnd.comicbook+zip",
    ArchiveFormat.RAR: "application/vnd.comicbook-rar",
    ArchiveFormat.SEVEN_ZIP: "application/x-cb7",
    ArchiveFormat.TAR: "application/x-cbt",
    ArchiveFormat.PDF: "application/pdf",
}
_EMPTY_INFO: Final = ComicInfo()


class IssueDetailJson(msgspec.Struct, frozen=True):
    id: int
    name: str
    path: str
    size: int
    modified_at: int
    has_comicinfo: bool
    metadata: dict[str, str]
    progress: ProgressJson | None
    # Which ``metadata`` values came from the file name, a folder or a fallback rather than
    # ComicInfo.xml: ``{"series": "folder"}``; empty when ComicInfo gave them all.
    metadata_sources: dict[str, str]
    page_count: int
    is_read: bool
    format: str | None


class PageJson(msgspec.Struct, frozen=True):
    number: int
    width: int
    height: int
    size: int
    media_type: str


class PagesBody(msgspec.Struct, frozen=True):
    items: list[PageJson]
    total: int


def issue_body(detail: IssueDetail) -> IssueDetailJson:
    comic, reading = detail.comic, detail.reading
    info = comic.comic_info or _EMPTY_INFO
    return IssueDetailJson(
        id=comic.id,
        name=comic.name,
        path=comic.path,
        size=comic.size,
        modified_at=comic.mtime_ns // 1_000_000_000,
        has_comicinfo=comic.has_comicinfo,
        metadata={field: getattr(info, field) for field in TEXT_FIELDS},
        progress=progress_json(detail.progress),
        metadata_sources=dict(comic.sources),
        page_count=comic.page_count,
        is_read=reading.is_read,
        format=comic.format.value if comic.format is not None else None,
    )


def pages_body(pages: tuple[PageInfo, ...]) -> PagesBody:
    items = [PageJson(p.number, p.width, p.height, p.size, p.media_type) for p in pages]
    return PagesBody(items=items, total=len(items))


def comic_media_type(comic: IndexedComic) -> str:
    archive_format = comic.format or format_for_name(comic.name)
    if archive_format is None:
        return "application/octet-stream"
    return COMIC_MEDIA_TYPES[archive_format]


def image_response(rendition: Rendition, if_none_match: str | None) -> Response[bytes]:
    etag = rendition.key.etag
    headers = {"ETag": etag, "Cache-Control": IMAGE_CACHE_CONTROL}
    if weak_match(if_none_match, etag):
        return not_modified(etag)
    return Response(
        rendition.data, status_code=HTTP_200_OK, headers=headers, media_type=rendition.media_type
    )


def not_modified(etag: str) -> Response[bytes]:
    headers = {"ETag": etag, "Cache-Control": IMAGE_CACHE_CONTROL}
    return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
