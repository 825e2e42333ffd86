"""The shelf endpoints' wire format (contract §4): favorites and want-to-read rows out, a
shelf write's body in. The envelope and the time stamps are the browse lists' (``browse_json``).
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from bagboard.adapters.http.api.browse_json import (
    MISSING_PATH,
    ListBody,
    envelope,
    stamp,
)
from bagboard.domain.errors import InvalidInput
from bagboard.domain.pagination import Page
from bagboard.domain.shelves import Shelf, ShelfKind
from bagboard.services.shelves import ShelfView

__all__ = ["ShelfJson", "ShelfRequest", "shelf_body", "shelf_request", "shelf_row"]


class ShelfJson(msgspec.Struct, frozen=True):
    value: str
    name: str
    path: str
    type: str
    created_at: str
    # To-read file rows only.
    id: int | UnsetType = UNSET
    has_progress: bool | UnsetType = UNSET
    last_page: int | UnsetType | None = UNSET
    # To-read folder rows: a multi-volume series, or one volume of it.
    volumes: list[str] | UnsetType = UNSET
    series: str | UnsetType = UNSET
    volume: str | UnsetType = UNSET


class ShelfRequest(msgspec.Struct, frozen=True):
    path: str
    type: str | None = None


def shelf_row(shelf: Shelf, view: ShelfView) -> ShelfJson:
    entry = view.entry
    common: dict[str, Any] = {
        "value": view.name,
        "name": view.name,
        "path": entry.path,
        "created_at": stamp(entry.created_at),
    }
    if shelf is Shelf.FAVORITES:
        # The reference only favourites publisher folders and labels every row so.
        return ShelfJson(type="publisher", **common)
    if entry.kind is ShelfKind.FILE:
        reading = view.reading
        return ShelfJson(
            type=entry.kind.value,
            id=UNSET if entry.comic_id is None else entry.comic_id,
            has_progress=reading is not None and reading.has_progress,
            last_page=None if reading is None else reading.last_page,
            **common,
        )
    return ShelfJson(
        type=entry.kind.value,
        volumes=UNSET if view.volumes is None else list(view.volumes),
        series=UNSET if view.series is None else view.series,
        volume=UNSET if view.volume is None else view.volume,
        **common,
    )


def shelf_body(shelf: Shelf, page: Page[ShelfView]) -> ListBody[Any]:
    return envelope(page, [shelf_row(shelf, view) for view in page.items], scope=shelf.value)


def shelf_request(body: bytes) -> ShelfRequest:
    """``{"path", "type"?}``; anything that is not a JSON object with a non-empty string
    ``path`` is answered with the reference's ``Missing 'path'``."""
    try:
        data = msgspec.json.decode(body) if body else None
    except (msgspec.DecodeError, UnicodeDecodeError):  # not JSON, or not even UTF-8
        data = None
    if not isinstance(data, dict):
        data = {}
    path = data.get("path")
    if not isinstance(path, str) or not path:
        raise InvalidInput("The body must be a JSON object with a 'path'", code=MISSING_PATH)
    kind = data.get("type")
    if kind is not None and not isinstance(kind, str):
        raise InvalidInput("type must be 'file' or 'folder'")
    return ShelfRequest(path=path, type=kind)
