"""Serving a file from disk: whole, one range, or several (``multipart/byteranges``).

The file is found through the ``ComicFiles`` port that ``IssueService.file`` hands over. When
it was looked at lately and its bytes are in the page cache, ``read_ready`` stat's it and, when
small, reads it right on the event loop (microseconds: less than the trip to a worker thread
and back it replaces); otherwise that is done in a worker thread. A small file is answered as
one body. A larger one is opened when the body starts (in a worker thread), checked to be the
same version, and sent in chunks, each read on the loop when it is in memory and in a worker
thread when it would wait for the disk. What to send is decided by ``ranges.py``.

uvicorn has no zero-copy send (``http.response.zerocopysend``), so a body always passes
through Python as ``bytes``: large chunks keep the number of ASGI messages low.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Final
from urllib.parse import quote

import anyio.to_thread
from litestar import MediaType, Response
from litestar.response import Stream
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_206_PARTIAL_CONTENT,
    HTTP_304_NOT_MODIFIED,
    HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE,
)

from bagboard.adapters.http.api.schemas import ErrorBody
from bagboard.adapters.http.files.ranges import (
    ByteRange,
    Unsatisfiable,
    http_date,
    if_range_allows,
    not_modified,
    parse_range,
)
from bagboard.ports.comic_files import FileVersion
from bagboard.services.downloads import ComicDownload

__all__ = [
    "CHUNK_BYTES",
    "DOWNLOAD_CACHE_CONTROL",
    "WHOLE_BYTES",
    "Conditions",
    "OpenedFile",
    "content_disposition",
    "download",
    "file_response",
    "open_comic_file",
]

# Measured side by side on a 20 MB file in memory (bench/downloads.py --issue): 4 MB chunks
# sent half as many downloads a second as 1 MB ones, and 1 MB chunks read in worker threads
# rather than on the loop 0.8x as many.
CHUNK_BYTES: Final = 1024 * 1024
# Files up to this size are read with their stat and answered as one body: a stream costs a
# trip to a worker thread to open the file and a task watching for the client leaving, which
# for a small file took longer than reading it. A 4 MB file read whole went half as fast as
# streamed: one chunk is the limit.
WHOLE_BYTES: Final = CHUNK_BYTES
DOWNLOAD_CACHE_CONTROL: Final = "private, no-cache"
_RFC5987_SAFE = "!#$&+-.^_`|~"


@dataclass(frozen=True, slots=True)
class OpenedFile:
    version: FileVersion
    data: bytes | None = None  # the whole file, when it is small enough to read at once


def open_comic_file(source: ComicDownload, *, whole_up_to: int = WHOLE_BYTES) -> OpenedFile:
    """The file's current version, and its content too when it is at most ``whole_up_to``
    bytes and still that version once read (blocking: call it from a worker thread). A file
    that vanished since it was indexed is ``ComicNotFound``."""
    version = source.stat()
    if version.size > whole_up_to:
        return OpenedFile(version)
    # None when it changed meanwhile: the stream path re-checks and ends short.
    return OpenedFile(version, source.read_whole(version))


@dataclass(frozen=True, slots=True)
class Conditions:
    """The request headers that shape a file response."""

    range: str | None = None
    if_range: str | None = None
    if_none_match: str | None = None
    if_modified_since: str | None = None
    head: bool = False

    @classmethod
    def of(cls, headers: Mapping[str, str], *, head: bool = False) -> Conditions:
        return cls(
            range=headers.get("range"),
            if_range=headers.get("if-range"),
            if_none_match=headers.get("if-none-match"),
            if_modified_since=headers.get("if-modified-since"),
            head=head,
        )


def content_disposition(name: str) -> str:
    """RFC 6266 ``attachment``: an ASCII ``filename`` always, ``filename*`` when it differs."""
    fallback = "".join(
        char if 0x20 <= ord(char) < 0x7F and char not in '"\\' else "_" for char in name
    )
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe=_RFC5987_SAFE)}"
    return header


@lru_cache(maxsize=1024)
def _validators(file: FileVersion) -> tuple[str, datetime, str]:
    """ETag, modification time and its HTTP date: a hash and a date format, done once per
    version of the files downloaded again and again (a version never changes)."""
    return file.etag, file.last_modified, http_date(file.last_modified)


_disposition = lru_cache(maxsize=1024)(content_disposition)


def file_response(
    source: ComicDownload,
    opened: OpenedFile,
    conditions: Conditions,
    *,
    media_type: str,
    filename: str,
) -> Response[bytes] | Stream:
    """The response for ``opened``: from its content when it was read whole, else streamed
    from the file (the descriptor is closed once the response is done with it)."""
    file = opened.version
    etag, modified, modified_text = _validators(file)
    headers = {
        "ETag": etag,
        "Last-Modified": modified_text,
        "Cache-Control": DOWNLOAD_CACHE_CONTROL,
        "Accept-Ranges": "bytes",
    }
    if not_modified(conditions.if_none_match, conditions.if_modified_since, etag, modified):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    wanted = (
        parse_range(conditions.range, file.size)
        if if_range_allows(conditions.if_range, etag, modified)
        else None
    )
    if isinstance(wanted, Unsatisfiable):
        body = ErrorBody(error="range_not_satisfiable", message="no requested range is in the file")
        headers["Content-Range"] = f"bytes */{file.size}"
        return Response(
            body,  # type: ignore[arg-type]
            status_code=HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE,
            headers=headers,
            media_type=MediaType.JSON,
        )
    headers["Content-Disposition"] = _disposition(filename)
    if wanted is None:
        return _send(
            source,
            opened,
            [(b"", ByteRange(0, file.size - 1))],
            HTTP_200_OK,
            headers,
            media_type,
            conditions.head,
            file.size,
        )
    if len(wanted) == 1:
        headers["Content-Range"] = wanted[0].content_range(file.size)
        return _send(
            source,
            opened,
            [(b"", wanted[0])],
            HTTP_206_PARTIAL_CONTENT,
            headers,
            media_type,
            conditions.head,
            wanted[0].length,
        )
    boundary = secrets.token_hex(16)
    parts = [
        (
            (
                f"\r\n--{boundary}\r\nContent-Type: {media_type}\r\n"
                f"Content-Range: {part.content_range(file.size)}\r\n\r\n"
            ).encode(),
            part,
        )
        for part in wanted
    ]
    closing = f"\r\n--{boundary}--\r\n".encode()
    length = sum(len(head) + part.length for head, part in parts) + len(closing)
    return _send(
        source,
        opened,
        parts,
        HTTP_206_PARTIAL_CONTENT,
        headers,
        f"multipart/byteranges; boundary={boundary}",
        conditions.head,
        length,
        closing,
    )


def _send(
    source: ComicDownload,
    opened: OpenedFile,
    parts: Sequence[tuple[bytes, ByteRange]],
    status: int,
    headers: dict[str, str],
    media_type: str,
    head: bool,
    length: int,
    closing: bytes = b"",
) -> Response[bytes] | Stream:
    headers["Content-Length"] = str(length)
    if head:
        return Response(b"", status_code=status, headers=headers, media_type=media_type)
    if opened.data is not None:
        data = opened.data
        body = b"".join(head + data[part.start : part.end + 1] for head, part in parts) + closing
        return Response(body, status_code=status, headers=headers, media_type=media_type)
    return Stream(
        _chunks(source, opened.version, parts, closing),
        status_code=status,
        headers=headers,
        media_type=media_type,
    )


async def _chunks(
    source: ComicDownload,
    file: FileVersion,
    parts: Sequence[tuple[bytes, ByteRange]],
    closing: bytes,
) -> AsyncIterator[bytes]:
    # Opened here, not before: a stream that never starts (the client left) holds nothing.
    handle = await anyio.to_thread.run_sync(source.open, file)
    if handle is None:
        # The file changed since its headers were sent: the promised bytes no longer exist.
        # A short body makes the client retry, and its If-Range then gets the new file.
        return
    try:
        for head, part in parts:
            if head:
                yield head
            position, end = part.start, part.end + 1
            while position < end:
                count = min(CHUNK_BYTES, end - position)
                chunk = handle.read_ready(count, position)
                if chunk is None:  # it would wait for the disk: not on the event loop
                    chunk = await anyio.to_thread.run_sync(handle.read_at, count, position)
                if not chunk:
                    return  # truncated in place while being read: end short, as above
                position += len(chunk)
                yield chunk
        if closing:
            yield closing
    finally:
        handle.close()


async def download(
    headers: Mapping[str, str], method: str, source: ComicDownload, *, media_type: str
) -> Response[bytes] | Stream:
    """The comic file answering a download request with these headers: read whole when small
    (on the loop when in memory, else in a worker thread), else streamed; Range, If-Range and
    conditional requests apply."""
    conditions = Conditions.of(headers, head=method == "HEAD")
    whole_up_to = 0 if conditions.head else WHOLE_BYTES
    ready = source.read_ready(whole_up_to)
    if ready is not None:
        opened = OpenedFile(ready.version, ready.data)
    else:
        opened = await anyio.to_thread.run_sync(
            lambda: open_comic_file(source, whole_up_to=whole_up_to)
        )
    return file_response(
        source, opened, conditions, media_type=media_type, filename=source.comic.name
    )
