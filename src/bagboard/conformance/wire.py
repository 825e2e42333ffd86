"""Every shape the contract documents, bound to the wire struct the server encodes it with.

The extension keys are the contract's **better** additions; everything else a struct always
emits is a documented (compat) key. The server's own structs are the single source of the
types, so a change to what bagboard sends changes what the kit checks.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from bagboard.adapters.http.api.browse_json import (
    FolderJson,
    IssueJson,
    ListBody,
    OkBody,
    PublisherFacetJson,
    RecentJson,
    SeriesFacetJson,
)
from bagboard.adapters.http.api.issue_json import IssueDetailJson, PagesBody
from bagboard.adapters.http.api.progress_json import FeedBody, FeedItemJson, ProgressJson
from bagboard.adapters.http.api.schemas import ErrorBody, PingResponse
from bagboard.adapters.http.api.shelves_json import ShelfJson
from bagboard.conformance.deviations import HAS_COMICINFO_INTEGER, Deviation
from bagboard.conformance.shapes import Shape

__all__ = [
    "ENVELOPE",
    "ERROR",
    "FEED_ENVELOPE",
    "FEED_ITEM",
    "FILE_ROW_KEYS",
    "FOLDER",
    "ISSUE",
    "ISSUE_DETAIL",
    "METADATA_ISSUE",
    "METADATA_ISSUE_KEYS",
    "OK",
    "PAGES",
    "PING",
    "PROGRESS",
    "PUBLISHER_FACET",
    "RECENT",
    "SERIES_FACET",
    "SHELF",
]

# §1: ``{"error": <code or sentence>}``; the ``message`` beside it is better (the reference
# sends none).
ERROR: Final = Shape("error body", ErrorBody, extension_keys=frozenset({"message"}))
PING: Final = Shape("ping", PingResponse)
OK: Final = Shape("ok body", OkBody)

# §3: the envelope; ``mode``/``scope`` are checked per list, with their values.
ENVELOPE: Final = Shape("envelope", ListBody)
# §6: the feed adds ``count``; ``next_cursor`` and ``server_time`` are better.
FEED_ENVELOPE: Final = Shape(
    "progress/since envelope",
    FeedBody,
    extension_keys=frozenset({"next_cursor", "server_time"}),
)

# §4.1, §4.2: filesystem folders; metadata facets (better: has_thumbnail false, path null).
FOLDER: Final = Shape("folder item", FolderJson)
PUBLISHER_FACET: Final = Shape(
    "publisher facet item",
    PublisherFacetJson,
    extension_keys=frozenset({"has_thumbnail", "path"}),
)
SERIES_FACET: Final = Shape("series facet item", SeriesFacetJson)

# The document shows ``has_comicinfo: true``; the reference sends 1 or 0. Core takes either.
_HAS_COMICINFO: Final[dict[str, tuple[Any, Deviation]]] = {
    "has_comicinfo": (bool | Literal[0, 1], HAS_COMICINFO_INTEGER),
}

# §4.3: issue items; better: is_read, page_count. Metadata mode adds five string keys.
_ISSUE_EXTRAS: Final = frozenset({"is_read", "page_count"})
METADATA_ISSUE_KEYS: Final = frozenset({"title", "series", "number", "year", "publisher"})
ISSUE: Final = Shape("issue item", IssueJson, extension_keys=_ISSUE_EXTRAS, lenient=_HAS_COMICINFO)
METADATA_ISSUE: Final = Shape(
    "metadata issue item",
    IssueJson,
    extension_keys=_ISSUE_EXTRAS,
    also_required=METADATA_ISSUE_KEYS,
    lenient=_HAS_COMICINFO,
)

# §4.5: shelves and recent.
RECENT: Final = Shape("recent item", RecentJson)
SHELF: Final = Shape("shelf item", ShelfJson)
FILE_ROW_KEYS: Final = frozenset({"id", "has_progress", "last_page"})

# §5, §6: positions. ``updated_at_unix`` is documented for feed items, not for a single
# position; ``client_updated_at`` is bagboard's own.
PROGRESS: Final = Shape(
    "progress",
    ProgressJson,
    extension_keys=frozenset({"updated_at_unix", "client_updated_at"}),
)
FEED_ITEM: Final = Shape("progress/since item", FeedItemJson)
ISSUE_DETAIL: Final = Shape(
    "issue detail",
    IssueDetailJson,
    extension_keys=frozenset({"page_count", "is_read", "format", "metadata_sources"}),
    nested={"progress": PROGRESS},
    lenient=_HAS_COMICINFO,
)
PAGES: Final = Shape("pages", PagesBody)
