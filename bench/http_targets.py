"""What bench/clu.py asks for: the reference rows and URLs chosen from the library itself."""

from __future__ import annotations

import os
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from http_server import call

PUT_LABEL = "PUT progress, sequential"
# The same client's pings, one after another: what a request costs that client without a write.
PING_SEQUENTIAL_LABEL = "auth/ping, sequential (the PUT row's client)"
PSE_LABEL = "page streaming, OPDS PSE (page 2)"
PSE_TRACKED_LABEL = "page streaming, OPDS PSE tracked (page 2, track=1)"

# CLU 6.3.1 (Flask, gunicorn 1 worker x 8 threads), 20,000 comics, wrk 8 connections x 10 s,
# measured side by side with bagboard on a 2-core machine: label -> (req/s, p50 ms or None when
# that run did not give it). None: CLU has no such endpoint. The sequential PUT figure is one
# keep-alive connection written to by a Python ``http.client`` loop, as ``http_put`` does.
REFERENCE: dict[str, tuple[float, float | None] | None] = {
    "auth/ping": (289, None),
    "publishers, metadata": (232, None),
    "publishers, filesystem": (368, None),
    "series, filesystem": (269, None),
    "series, metadata": (240, None),
    "issues, filesystem": (159, None),
    "issues, metadata": (26.6, None),
    "recent": (97, None),
    "progress/since": (246, None),
    "issue detail": (234, None),
    # Not measured in the side-by-side run: the figure of the older run (its p50 with it).
    "cover, default size": (83, 99),
    "download (~140 KB file)": (261, None),
    "page streaming (page 2, original)": None,
    PUT_LABEL: (172, None),
}
CLU_IMPORT = 345.0  # comics/s, a fresh import of the 20,000 comics, same run
CLU_RSS_MIB = 211.0 + 27.0  # worker + master, the older run

# Codex 2.5.6 on the same library, same run: label -> req/s.
CODEX: dict[str, float] = {
    "OPDS 1.2 issues of a series": 239,
    "OPDS 2.0 issues of a series": 203,
    PSE_LABEL: 197,
}
CODEX_IMPORT = 240.0  # comics/s
CODEX_RSS_MIB = 989.0  # peak memory

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
        ("OPDS 1.2 issues of a series",
         "/opds/v1.2/issues?" + q({"series": series, "publisher": publisher})),
        ("OPDS 2.0 issues of a series",
         "/opds/v2.0/issues?" + q({"series": series, "publisher": publisher})),
        # PSE counts pages from 0: page 2, the same bytes as the row above; ``track=1`` (the
        # advertised template's) moves the reader's position on to it, forward only.
        (PSE_LABEL, f"/opds/v1.2/issue/{issue}/pse/1"),
        (PSE_TRACKED_LABEL, f"/opds/v1.2/issue/{issue}/pse/1?track=1"),
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
