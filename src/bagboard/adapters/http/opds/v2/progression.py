"""OPDS 2 progression documents: the stored position out, a reader's position in.

One store serves ``/api/v1/progress``, OPDS 2 progression and PSE page tracking, so what a
reader reports here shows in every other client. The document out is the flat one of the
OPDS Progression draft (``progression`` over the whole issue) plus ``position``, the 1-based
page, which ComicCatcher prefers when present; at ``…/progression/readium`` it is the older
Readium locator document, for readers that speak only that (Cantook, Komga's clients).
Readers PUT either shape, the flat one or the locator (``locator.locations``), at either
address, and label the body with whatever Content-Type they like, so the body is read by hand
and only its JSON matters.

``modified`` is the reader's clock when it got there; as for ``/api/v1/progress``, a write
older than the stored one loses (409 with the current document), an equal one is a replay.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import msgspec

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.entries import rfc3339
from bagboard.adapters.http.opds.v2.hrefs import page_href
from bagboard.domain.errors import InvalidInput
from bagboard.domain.progress import MAX_CLIENT_TIME, Device, ProgressChange, ReadingProgress

__all__ = [
    "API_DEVICE",
    "MAX_BODY",
    "InvalidProgression",
    "PositionOutOfRange",
    "ProgressionWrite",
    "fraction",
    "locator_document",
    "parse_write",
    "progression_document",
]


# A progression document is a few hundred bytes; anything much bigger is not one.
MAX_BODY: Final = 64 * 1024
# Who wrote a position that came through /api/v1, which names no device.
API_DEVICE: Final = Device("urn:bagboard:api", "bagboard API")


class PositionOutOfRange(InvalidInput):
    """The page a reader reported is not a page of this comic."""

    code = "position_out_of_range"


class InvalidProgression(InvalidInput):
    """The body is not a progression document bagboard can place in the comic."""

    code = "invalid_progression"


def progression_document(
    progress: ReadingProgress, page_count: int, comic_id: int, links: Links
) -> dict[str, Any]:
    """What GET answers (and a 409 carries): the stored position as a progression document."""
    page = progress.page_number
    modified = (
        datetime.fromtimestamp(progress.client_updated_at, UTC)
        if progress.client_updated_at is not None
        else progress.updated_at
    )
    device = progress.device or API_DEVICE
    return {
        "modified": rfc3339(modified),
        "device": {"id": device.id, "name": device.name},
        "progression": fraction(page, page_count),
        "position": page,
        "title": f"Page {page}",
        "references": [page_href(links, comic_id, max(1, page))],
    }


def locator_document(
    progress: ReadingProgress, page_count: int, comic_id: int, links: Links
) -> dict[str, Any]:
    """The same position as the older Readium locator document (Cantook, Komga's clients):
    where the reader is, as a locator of the page image."""
    flat = progression_document(progress, page_count, comic_id, links)
    page = progress.page_number
    return {
        "modified": flat["modified"],
        "device": flat["device"],
        "locator": {
            "href": flat["references"][0],
            "type": "image/jpeg",
            "title": flat["title"],
            "locations": {
                "position": page,
                "progression": flat["progression"],
                "totalProgression": flat["progression"],
            },
        },
    }


def fraction(page: int, page_count: int) -> float:
    """How far through the issue page ``page`` is: 0 at the first page, 1 at the last."""
    if page_count <= 1:
        return 0.0
    return min(1.0, max(0.0, (page - 1) / (page_count - 1)))


@dataclass(frozen=True, slots=True)
class ProgressionWrite:
    """A reader's PUT, placed in the comic: a 1-based page, its time and its device."""

    page_number: int
    client_time: int | None
    device: Device | None

    def change(self, page_count: int) -> ProgressChange:
        return ProgressChange(
            page_number=self.page_number,
            total_pages=page_count,
            client_time=self.client_time,
            device=self.device,
        )


def parse_write(body: bytes, page_count: int) -> ProgressionWrite:
    """The flat shape (``progression``, ``position``) or the locator one
    (``locator.locations.position/totalProgression/total_progression/progression``), as a
    page of a comic of ``page_count`` pages; ``InvalidInput`` for anything else."""
    data = _object(body)
    position, progression = _flat(data)
    if position is None and progression is None:
        position, progression = _locator(data.get("locator"))
    if page_count <= 0:
        raise InvalidProgression("This comic has no pages to place a position in")
    if position is not None:
        if not 1 <= position <= page_count:
            raise PositionOutOfRange(f"position must be a page from 1 to {page_count}")
        page = position
    elif progression is not None:
        if not 0.0 <= progression <= 1.0:
            raise InvalidProgression("progression must be between 0 and 1")
        page = round(progression * (page_count - 1)) + 1
    else:
        raise InvalidProgression("The body needs a 'progression' or a 'position'")
    return ProgressionWrite(page, _modified(data.get("modified")), _device(data.get("device")))


def _object(body: bytes) -> Mapping[str, Any]:
    try:
        data = msgspec.json.decode(body) if body.strip() else None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise InvalidProgression("The body must be a JSON progression document") from exc
    if not isinstance(data, dict):
        raise InvalidProgression("The body must be a JSON object")
    return data


def _flat(data: Mapping[str, Any]) -> tuple[int | None, float | None]:
    return _page(data.get("position")), _number(data.get("progression"), "progression")


def _locator(locator: object) -> tuple[int | None, float | None]:
    locations = locator.get("locations") if isinstance(locator, dict) else None
    if not isinstance(locations, dict):
        return None, None
    for key in ("totalProgression", "total_progression", "progression"):
        progression = _number(locations.get(key), key)
        if progression is not None:
            break
    return _page(locations.get("position")), progression


def _number(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidProgression(f"{name} must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidProgression(f"{name} must be a number")
    return number


def _page(value: object) -> int | None:
    number = _number(value, "position")
    if number is None:
        return None
    if not number.is_integer():
        raise InvalidProgression("position must be a whole page number")
    if abs(number) > 2**31:
        raise PositionOutOfRange("position is not a page of this comic")
    return int(number)


def _modified(value: object) -> int | None:
    """ISO 8601 with any offset (none means UTC), as unix seconds; absent means untimed."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidProgression("modified must be an ISO 8601 date and time")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidProgression("modified must be an ISO 8601 date and time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = math.floor(moment.timestamp())
    if not 0 <= seconds <= MAX_CLIENT_TIME:
        raise InvalidProgression("modified must be after 1970")
    return seconds


def _device(value: object) -> Device | None:
    """The reader that wrote it, when it says (``Device`` refuses ids too long to keep)."""
    if not isinstance(value, dict):
        return None
    device_id, name = value.get("id"), value.get("name")
    if not isinstance(device_id, str) or not device_id.strip():
        return None
    return Device(device_id.strip(), name.strip() if isinstance(name, str) else "")
