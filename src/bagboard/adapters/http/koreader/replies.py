"""What every ``/koreader`` reply shares: JSON, labelled ``application/json`` and nothing
more. Several builds of KOReader's HTTP client decode a body only when its type is exactly
that, and answer "No progress found" otherwise (research note §2.7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import msgspec
from litestar import Response

__all__ = ["JSON", "KOREADER_PREFIX", "MAX_BODY", "reply"]

KOREADER_PREFIX: Final = "/koreader"
JSON: Final = "application/json"
# A kosync body is a few hundred bytes (a document id, a page, a device name, perhaps a
# title); nothing bigger is read.
MAX_BODY: Final = 64 * 1024


def reply(
    content: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response[bytes]:
    return Response(
        content=msgspec.json.encode(content),
        status_code=status,
        media_type=JSON,
        headers=dict(headers or {}),
    )
