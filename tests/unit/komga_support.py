"""A scanned two-library world (``tests/browse_support.py``) seen through ``/komga``."""

from __future__ import annotations

import base64
import re
from typing import Any

import httpx

from tests.browse_support import World

__all__ = [
    "BOOK_KEYS",
    "DATE",
    "INSTANT",
    "PAGE_KEYS",
    "SERIES_KEYS",
    "basic",
    "kget",
    "kjson",
    "owner_name",
]

INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
# Every key a Spring page, a series and a book carry (research note §5.5).
PAGE_KEYS = {
    "content", "pageable", "totalElements", "totalPages", "size", "number",
    "numberOfElements", "first", "last", "empty", "sort",
}  # fmt: skip
SERIES_KEYS = {
    "id", "libraryId", "name", "url", "created", "lastModified", "fileLastModified",
    "booksCount", "booksReadCount", "booksUnreadCount", "booksInProgressCount", "deleted",
    "oneshot", "metadata", "booksMetadata",
}  # fmt: skip
BOOK_KEYS = {
    "id", "seriesId", "seriesTitle", "libraryId", "name", "url", "number", "created",
    "lastModified", "fileLastModified", "sizeBytes", "size", "fileHash", "deleted", "oneshot",
    "media", "metadata", "readProgress",
}  # fmt: skip


def basic(name: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{name}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def owner_name(world: World) -> str:
    return world.app.authenticator.authenticate(f"Bearer {world.owner}", None).name


def kget(world: World, path: str, token: str | None = None, **params: Any) -> httpx.Response:
    world.client.cookies.clear()
    return world.client.get(
        f"/komga{path}", params=params, headers={"X-API-Key": token or world.owner}
    )


def kjson(world: World, path: str, token: str | None = None, **params: Any) -> Any:
    response = kget(world, path, token, **params)
    assert response.status_code == 200, response.text
    return response.json()
