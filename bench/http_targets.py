"""What bench/clu.py asks for: the reference rows and URLs chosen from the library itself."""

from __future__ import annotations

import os
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from http_server import call

# CLU 6.3.1 (Flask, gunicorn 1 worker x 8 threads), 20,000 comics, wrk 8 connections x 10 s:
# label -> (req/s, p50 ms). None: CLU has no such endpoint.
REFERENCE: dict[str, tuple[float, float] | None] = {
    "auth/ping": (215, 35),
    "publishers, metadata": (167, 43),
    "publishers, filesystem": (275, 27),
    "series, filesystem": (155, 36),
    "series, metadata": (174, 46),
    "issues, filesystem": (115, 66),
    "issues, metadata": (17, 461),
    "recent": (68, 117),
    "progress/since": (185, 46),
    "issue detail": (185, 46),
    "cover, default size": (83, 99),
    "download (~140 KB file)": (210, 39),
    "page streaming (page 2, original)": None,
    "page streaming, OPDS (page 2)": None,
    "page streaming, OPDS tracked (page 2)": None,
    "PUT progress, sequential": (123, 8),
}
LISTS = {
    "publishers, metadata", "publishers, filesystem", "series, filesystem", "series, metadata",
    "issues, filesystem", "issues, metadata", "recent", "progress/since",
}  # fmt: skip
PUT_LABEL = "PUT progress, sequential"
RECENT_COMICS = 200
PROGRESS_COMICS = 50
HOUR = 3600


@dataclass(frozen=True)
class Targets:
    urls: list[tuple[str, str]]  # (label, path and query) for every GET row, in table order
    progress_paths: list[str]  # comics the progress rows write to and read back
    notes: list[str]  # what was chosen, for the report


def date_recent(library: Path, count: int = RECENT_COMICS) -> None:
    """Give ``count`` comics (evenly spread) modification times within the last 30 days.

    The generator dates files 2012-2024, and a first scan dates each comic by its file, so
    without this ``/library/recent`` would be empty. Run before the fresh import.
    """
    comics = sorted(library.rglob("*.cbz"))
    now = time.time()
    for n, path in enumerate(comics[:: max(1, len(comics) // count)][:count]):
        stamp = now - (n + 1) * 3 * HOUR
        os.utime(path, (stamp, stamp))


def _all(base: str, token: str, path: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = call(base, token, path, page=str(page), page_size="200", **params)
        items += body["items"]
        if not body["has_more"]:
            return items
        page += 1


def choose(base: str, token: str) -> Targets:
    """URLs from the library: its biggest publisher, that publisher's longest series that has
    no volume folders, the first issue of it, and its file nearest 140 KB for the download."""
    q = urllib.parse.urlencode
    publishers = _all(base, token, "/api/v1/library/publishers", mode="filesystem")
    publisher = max(publishers, key=lambda item: (item["count"], item["name"]))["name"]
    series_rows = _all(
        base, token, "/api/v1/library/series", mode="filesystem", publisher=publisher
    )
    flat = [row for row in series_rows if "volumes" not in row]
    series = max(flat, key=lambda item: (item["count"], item["name"]))["name"]
    issues = call(base, token, "/api/v1/library/issues", mode="filesystem",
                  publisher=publisher, series=series)["items"]  # fmt: skip
    issue = issues[0]["id"]
    download = min(issues, key=lambda item: abs(item["size"] - 140 * 1024))
    urls = [
        ("auth/ping", "/api/v1/auth/ping"),
        ("publishers, metadata", "/api/v1/library/publishers?mode=metadata"),
        ("publishers, filesystem", "/api/v1/library/publishers?mode=filesystem"),
        ("series, filesystem",
         "/api/v1/library/series?" + q({"mode": "filesystem", "publisher": publisher})),
        ("series, metadata",
         "/api/v1/library/series?" + q({"mode": "metadata", "publisher": publisher})),
        ("issues, filesystem", "/api/v1/library/issues?"
         + q({"mode": "filesystem", "publisher": publisher, "series": series})),
        ("issues, metadata", "/api/v1/library/issues?"
         + q({"mode": "metadata", "publisher": publisher, "series": series})),
        ("recent", "/api/v1/library/recent"),
        ("progress/since", "/api/v1/progress/since?ts=0"),
        ("issue detail", f"/api/v1/issue/{issue}"),
        ("cover, default size", f"/api/v1/issue/{issue}/cover"),
        ("download (~140 KB file)", f"/api/v1/issue/{download['id']}/download"),
        ("page streaming (page 2, original)", f"/api/v1/issue/{issue}/page/2"),
        # OPDS page streaming counts from 0; with track=1 every fetch moves the position on.
        ("page streaming, OPDS (page 2)", f"/opds/v1.2/issue/{issue}/pse/1"),
        ("page streaming, OPDS tracked (page 2)", f"/opds/v1.2/issue/{issue}/pse/1?track=1"),
    ]  # fmt: skip
    notes = [
        f"publisher {publisher!r} ({len(series_rows)} series), series {series!r} "
        f"({len(issues)} issues on the first page), issue {issue}, "
        f"download {download['id']} ({download['size']:,} bytes)"
    ]
    return Targets(urls, [item["path"] for item in issues[:PROGRESS_COMICS]], notes)


def seed_progress(base: str, token: str, paths: list[str]) -> None:
    """A saved position in each comic, so ``progress/since`` has a full page to send."""
    for path in paths:
        call(base, token, "/api/v1/progress", {"path": path, "page_number": 1, "total_pages": 4})
