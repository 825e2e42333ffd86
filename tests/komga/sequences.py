"""Every client's call sequence against a running `/komga`, all at once.

``run_all(client_factory, user, token)`` gives each app a fresh ``httpx.Client`` from
``client_factory`` (base URL ``http://host:port/komga``, its own cookie jar, as each app has) and
returns the transcript of each; Mihon's extension and tracker share one client, since they share
Mihon's cookie jar. Every step asserts its status and decodes its body with the app's rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.komga.seq_ios import aidoku, kmreader, paperback
from tests.komga.seq_komelia import komelia
from tests.komga.seq_mihon import extension, extension_api_key, tracker

__all__ = [
    "aidoku",
    "extension",
    "extension_api_key",
    "kmreader",
    "komelia",
    "paperback",
    "run_all",
    "tracker",
]

Transcript = list[dict[str, Any]]


def run_all(
    client_factory: Callable[[], httpx.Client], user: str, token: str
) -> dict[str, Transcript]:
    """Replay every client in turn; ``token`` is a bagboard token of ``user`` (API key and
    Basic password). The library must hold at least one series with a readable book."""
    transcripts: dict[str, Transcript] = {}
    with client_factory() as http:
        ext, found = extension(http, user, token)
        transcripts["EXT"] = ext
        transcripts["TRK"] = tracker(
            http, found["series_id"], found["book_number_sort"], found.get("readlist_id")
        )
    with client_factory() as http:
        transcripts["EXT-apikey"] = extension_api_key(http, token)
    for name, sequence in (
        ("KOM", komelia),
        ("KMR", kmreader),
        ("KMR-apikey", _kmreader_api_key),
        ("AID", aidoku),
        ("PB", paperback),
    ):
        with client_factory() as http:
            transcripts[name] = sequence(http, user, token)
    return transcripts


def _kmreader_api_key(http: httpx.Client, user: str, token: str) -> Transcript:
    return kmreader(http, user, token, api_key=True)
