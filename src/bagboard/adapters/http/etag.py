"""Weak ETags on list responses: a client revalidating an unchanged list gets a 304 (§1).

The tag is a hash of the exact bytes sent, so it changes whenever anything in the body does:
progress, shelves and the index all show up without any version bookkeeping. The hash is
XXH3-128: not a cryptographic one (a tag only has to tell two versions of one list apart), and
about fifty times faster than BLAKE2 on a feed page (a microsecond for 50 KB instead of 60).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

import msgspec
import xxhash
from litestar import MediaType, Response
from litestar.params import HeaderParameter
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED

__all__ = [
    "LIST_CACHE_CONTROL",
    "IfNoneMatch",
    "cached_json",
    "matches",
    "tagged_json",
    "weak_etag",
]

# A header parameter for handlers: ``if_none_match: IfNoneMatch = None``.
IfNoneMatch = Annotated[str | None, HeaderParameter(name="If-None-Match", required=False)]

# Lists change as the user reads: a cache may keep them, but must ask before reusing one.
LIST_CACHE_CONTROL: Final = "private, no-cache"

_encoder = msgspec.json.Encoder()


def weak_etag(body: bytes) -> str:
    return 'W/"' + xxhash.xxh3_128_hexdigest(body) + '"'


def _opaque(tag: str) -> str:
    # If-None-Match uses the weak comparison (RFC 9110 §13.1.2): the W/ prefix is ignored.
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def matches(if_none_match: str | None, etag: str) -> bool:
    """True when an ``If-None-Match`` header value names ``etag`` (or is ``*``)."""
    if not if_none_match:
        return False
    wanted = _opaque(etag)
    candidates = [part.strip() for part in if_none_match.split(",")]
    return any(part == "*" or _opaque(part) == wanted for part in candidates if part)


def cached_json(content: Any, if_none_match: str | None) -> Response[bytes]:
    """Encode ``content`` once, tag it, and answer 304 when the client already holds it."""
    body = _encoder.encode(content)
    return tagged_json(body, weak_etag(body), if_none_match)


def tagged_json(body: bytes, etag: str, if_none_match: str | None) -> Response[bytes]:
    """A JSON ``body`` already encoded and tagged, or 304 when the client holds it."""
    headers = {"ETag": etag, "Cache-Control": LIST_CACHE_CONTROL}
    if matches(if_none_match, etag):
        return Response(content=b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(
        content=body, status_code=HTTP_200_OK, headers=headers, media_type=MediaType.JSON
    )
