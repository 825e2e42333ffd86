"""What the kit learns from the server before checking it: names and ids to ask about.

No fixture is needed: publishers lead to series, series to issues, in both browse modes, so
the kit runs against any library. Discovery is lenient (an odd answer just leaves a field
empty); the checks that need a missing field say so with a SKIP, and the list checks report
what was wrong with the answers themselves.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Final

from bagboard.conformance.client import ApiClient, BadReply, Params
from bagboard.conformance.report import Report
from bagboard.domain.model import BrowseMode
from bagboard.domain.pagination import MAX_PAGE_SIZE

__all__ = ["FS", "META", "TRIES", "Context", "Found", "discover"]

# How many publishers and series to try before concluding that none holds an issue.
TRIES: Final = 8

FS: Final = BrowseMode.FILESYSTEM.value
META: Final = BrowseMode.METADATA.value


@dataclass
class Found:
    browse_mode: str | None = None
    fs_publisher: dict[str, Any] | None = None
    fs_series: dict[str, Any] | None = None
    fs_volume: str | None = None
    meta_publisher: str | None = None
    meta_series: str | None = None
    fs_issues: list[dict[str, Any]] = field(default_factory=list)
    meta_issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def issues(self) -> list[dict[str, Any]]:
        """Issue items to probe: the filesystem ones, else the metadata ones."""
        return self.fs_issues or self.meta_issues

    @property
    def library_root(self) -> str | None:
        """A library root: the folder above a filesystem publisher (contract vocabulary)."""
        if self.fs_publisher is None or not isinstance(self.fs_publisher.get("path"), str):
            return None
        return posixpath.dirname(self.fs_publisher["path"].rstrip("/")) or None

    def fs_issue_params(self) -> dict[str, str] | None:
        if self.fs_publisher is None or self.fs_series is None:
            return None
        params = {"mode": FS, "publisher": self.fs_publisher["value"]}
        params["series"] = self.fs_series["value"]
        if self.fs_volume is not None:
            params["volume"] = self.fs_volume
        return params

    def meta_issue_params(self) -> dict[str, str] | None:
        if self.meta_series is None:
            return None
        params = {"mode": META, "series": self.meta_series}
        if self.meta_publisher is not None:
            params["publisher"] = self.meta_publisher
        return params


@dataclass
class Context:
    """What every group of checks works with."""

    client: ApiClient
    report: Report
    found: Found
    allow_writes: bool = False
    # The checks whose error body had no ``message`` (better, checked once at the end).
    without_message: list[str] = field(default_factory=list)


def _items(client: ApiClient, path: str, params: Params) -> list[dict[str, Any]]:
    try:
        body = client.get(path, {**params, "page_size": MAX_PAGE_SIZE}).expect_status(200)
        items = body.object().get("items")
    except BadReply:
        return []
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict) and isinstance(item.get("value"), str)]


def _issue_items(client: ApiClient, params: Params) -> list[dict[str, Any]]:
    try:
        body = client.get("/library/issues", {**params, "page_size": MAX_PAGE_SIZE})
        items = body.expect_status(200).object().get("items")
    except BadReply:
        return []
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict) and isinstance(item.get("id"), int)]


def _discover_filesystem(client: ApiClient, found: Found) -> None:
    for publisher in _items(client, "/library/publishers", {"mode": FS})[:TRIES]:
        if found.fs_publisher is None:
            found.fs_publisher = publisher
        params = {"mode": FS, "publisher": publisher["value"]}
        for series in _items(client, "/library/series", params)[:TRIES]:
            volumes = series.get("volumes")
            volume = volumes[0] if isinstance(volumes, list) and volumes else None
            query = {**params, "series": series["value"]}
            if isinstance(volume, str):
                query["volume"] = volume
            issues = _issue_items(client, query)
            if issues:
                found.fs_publisher, found.fs_series = publisher, series
                found.fs_volume = volume if isinstance(volume, str) else None
                found.fs_issues = issues
                return


def _discover_metadata(client: ApiClient, found: Found) -> None:
    for publisher in _items(client, "/library/publishers", {"mode": META})[:TRIES]:
        params = {"mode": META, "publisher": publisher["value"]}
        for series in _items(client, "/library/series", params)[:TRIES]:
            issues = _issue_items(client, {**params, "series": series["value"]})
            if issues:
                found.meta_publisher, found.meta_series = publisher["value"], series["value"]
                found.meta_issues = issues
                return


def discover(client: ApiClient) -> Found:
    found = Found()
    try:
        ping = client.get("/auth/ping").expect_status(200).object()
        mode = ping.get("browse_mode")
        found.browse_mode = mode if isinstance(mode, str) else None
    except BadReply:
        pass
    _discover_filesystem(client, found)
    _discover_metadata(client, found)
    return found
