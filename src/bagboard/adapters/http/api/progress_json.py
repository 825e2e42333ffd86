"""The progress endpoints' wire format (contract §6): request bodies in, compat JSON out.

Request bodies are read by hand rather than by a typed struct because the reference answers
each malformed field with its own error string (used as the error code, as it does); numbers
are accepted as the reference's ``int()`` would take them (``5``, ``"5"``, ``5.0``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import msgspec
from msgspec import UNSET, UnsetType

from bagboard.adapters.http.api.browse_json import MISSING_PATH, stamp
from bagboard.adapters.http.encoded import ByIdentity
from bagboard.domain.errors import InvalidInput
from bagboard.domain.progress import ProgressChange, ReadingProgress, StaleProgress
from bagboard.domain.progress_feed import ChangeKind, Feed, FeedItem

__all__ = [
    "BAD_TS",
    "MISSING_PATH_OR_PAGE",
    "FeedBody",
    "FeedItemJson",
    "ProgressJson",
    "ReadRequest",
    "StaleJson",
    "feed_body",
    "feed_bytes",
    "not_an_integer",
    "progress_json",
    "progress_request",
    "read_request",
    "since_ts",
    "stale_json",
]


MISSING_PATH_OR_PAGE: Final = "Missing 'path' or 'page_number'"
BAD_TS: Final = "ts must be an integer unix timestamp"


def not_an_integer(name: str) -> str:
    """The reference's error string (and code) for a body field that is not an integer."""
    return f"{name} must be an integer"


# A number sent as a string: ASCII digits only (``int()`` also takes other Unicode digits and
# refuses runs over 4,300 digits with ValueError); anything longer is out of range anyway.
_DIGITS: Final = re.compile(r"[+-]?[0-9]{1,30}")


class ProgressJson(msgspec.Struct, frozen=True):
    page_number: int
    total_pages: int | None
    updated_at: str
    time_spent: int
    updated_at_unix: int
    # The device time the position was made at (or the server's, for an untimed write): what
    # a conditional write is compared with.
    client_updated_at: int | None


class StaleJson(msgspec.Struct, frozen=True):
    error: str
    message: str
    current: ProgressJson | None


class FeedItemJson(msgspec.Struct, frozen=True):
    comic_path: str
    page_number: int | None
    total_pages: int | None
    time_spent: int | None
    updated_at: str
    updated_at_unix: int
    deleted: bool | UnsetType = UNSET  # a cleared position
    read: bool | UnsetType = UNSET  # a read mark made (true) or removed (false)
    page_count: int | UnsetType | None = UNSET


class FeedBody(msgspec.Struct, frozen=True):
    items: list[FeedItemJson]
    total: int
    page: int
    page_size: int
    total_pages: int
    has_more: bool
    count: int
    next_cursor: str
    server_time: int


class ReadRequest(msgspec.Struct, frozen=True):
    path: str
    page_count: int | None
    time_spent: int | None


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def progress_json(progress: ReadingProgress | None) -> ProgressJson | None:
    if progress is None:
        return None
    return ProgressJson(
        page_number=progress.page_number,
        total_pages=progress.total_pages,
        updated_at=stamp(progress.updated_at),
        time_spent=progress.time_spent,
        updated_at_unix=_unix(progress.updated_at),
        client_updated_at=progress.client_updated_at,
    )


def stale_json(message: str, current: ReadingProgress | None) -> StaleJson:
    return StaleJson(error=StaleProgress.code, message=message, current=progress_json(current))


def _item(item: FeedItem) -> FeedItemJson:
    # Positional, one call per kind: a feed page is fifty of these, and keyword unpacking
    # through a dict cost a third of building them.
    at = item.cursor.at
    kind = item.kind
    if kind is ChangeKind.POSITION:
        return FeedItemJson(
            item.path, item.page_number, item.total_pages, item.time_spent, stamp(at), _unix(at)
        )
    if kind is ChangeKind.CLEARED:
        return FeedItemJson(item.path, None, None, None, stamp(at), _unix(at), deleted=True)
    return FeedItemJson(
        item.path,
        None,
        None,
        item.time_spent,
        stamp(at),
        _unix(at),
        read=kind is ChangeKind.READ,
        page_count=item.page_count,
    )


def feed_body(feed: Feed, *, server_time: int | None = None) -> FeedBody:
    page = feed.page
    return FeedBody(
        items=[_item(item) for item in page.items],
        total=page.total,
        page=page.page,
        page_size=page.page_size,
        total_pages=page.total_pages,
        has_more=page.has_more,
        count=len(page.items),
        next_cursor=feed.next_cursor.encode(),
        server_time=_unix(feed.server_time) if server_time is None else server_time,
    )


# ``server_time``, the body's last field, is the one part of a feed page that changes from one
# request to the next: the rest is encoded once per page the store kept (the same object while
# nothing changed) and the time appended.
_ENCODED_PAGES: ByIdentity[bytes] = ByIdentity(max_weight=4 * 1024 * 1024, weight=len)
_encoder = msgspec.json.Encoder()


def feed_bytes(feed: Feed) -> bytes:
    """``feed_body(feed)`` encoded as JSON."""
    cursor = feed.next_cursor.encode()

    def encode() -> bytes:
        # Everything up to the time's value: the struct's fields keep their order.
        return _encoder.encode(feed_body(feed, server_time=0))[: -len(b"0}")]

    head = _ENCODED_PAGES.get(feed.page, cursor, encode)
    return head + b"%d}" % _unix(feed.server_time)


# --- requests ---------------------------------------------------------------------------------


def _object(body: bytes) -> Mapping[str, Any] | None:
    try:
        data = msgspec.json.decode(body) if body else None
    except (msgspec.DecodeError, UnicodeDecodeError):  # not JSON, or not even UTF-8
        return None
    return data if isinstance(data, dict) else None


def _integer(data: Mapping[str, Any], name: str, message: str | None = None) -> int | None:
    """The field as an int, None when absent or null; 400 with the reference's string when it
    is not an integer, and when it is negative."""
    value = data.get(name)
    if value is None:
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    if number is None:
        text = message or not_an_integer(name)
        raise InvalidInput(text, code=text)
    if number < 0:
        text = f"{name} must not be negative"
        raise InvalidInput(text, code=text)
    return number


def _path(data: Mapping[str, Any] | None) -> str | None:
    path = None if data is None else data.get("path")
    return path if isinstance(path, str) and path else None


def progress_request(body: bytes) -> tuple[str, ProgressChange]:
    """``{path, page_number, total_pages?, time_spent?, updated_at?}``."""
    data = _object(body)
    path = _path(data)
    if data is None or path is None or data.get("page_number") is None:
        raise InvalidInput(
            "The body must be a JSON object with 'path' and 'page_number'",
            code=MISSING_PATH_OR_PAGE,
        )
    change = ProgressChange(
        page_number=_integer(data, "page_number"),
        total_pages=_integer(data, "total_pages"),
        time_spent=_integer(data, "time_spent"),
        client_time=_integer(data, "updated_at", "updated_at must be an integer unix timestamp"),
    )
    return path, change


def read_request(body: bytes) -> ReadRequest:
    """``{path, page_count?, time_spent?}``."""
    data = _object(body)
    path = _path(data)
    if data is None or path is None:
        raise InvalidInput("The body must be a JSON object with a 'path'", code=MISSING_PATH)
    return ReadRequest(path, _integer(data, "page_count"), _integer(data, "time_spent"))


def since_ts(raw: str | None) -> int:
    """``?ts=``: missing or empty means 0 (everything)."""
    if raw is None or not raw.strip():
        return 0
    text = raw.strip()
    if not _DIGITS.fullmatch(text) or len(text) > 20:
        raise InvalidInput("ts must be an integer", code=BAD_TS)
    return max(int(text), 0)
