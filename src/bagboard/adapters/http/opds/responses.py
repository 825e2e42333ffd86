"""How every OPDS feed is sent: a weak ETag of its bytes, per-user caching, no 406 ever.

Feeds differ per user (shelves, progress, library limits), so caches must key them by the
credentials (``Vary: Authorization``) and revalidate before reuse. Each URL has exactly one
representation, whatever ``Accept`` says: readers send odd ones, and a 406 loses them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Final

from litestar import Response
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED

from bagboard.adapters.http.encoded import ENCODED, tagged
from bagboard.adapters.http.etag import LIST_CACHE_CONTROL, matches, weak_etag

__all__ = ["VARY", "feed_response", "kept_feed_response"]


VARY: Final = "Authorization, X-API-Key"


def feed_response(body: bytes, media_type: str, if_none_match: str | None) -> Response[bytes]:
    return _response(body, weak_etag(body), media_type, if_none_match)


def kept_feed_response(
    feed: object,
    rendering: Hashable,
    render: Callable[[], bytes],
    media_type: str,
    if_none_match: str | None,
) -> Response[bytes]:
    """``feed_response`` of ``render()``, rendered once per ``feed`` object and ``rendering``
    (the version and base URL: all ``render`` depends on besides ``feed``); see
    ``adapters/http/encoded.py``."""
    body, etag = ENCODED.get(feed, rendering, lambda: tagged(render()))
    return _response(body, etag, media_type, if_none_match)


def _response(
    body: bytes, etag: str, media_type: str, if_none_match: str | None
) -> Response[bytes]:
    headers = {"ETag": etag, "Cache-Control": LIST_CACHE_CONTROL, "Vary": VARY}
    if matches(if_none_match, etag):
        return Response(content=b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content=body, status_code=HTTP_200_OK, headers=headers, media_type=media_type)
