"""bench/clu.py's sequential progress writes: one client, one request at a time, on one
keep-alive connection, from a Python ``http.client`` loop, as CLU's figure was measured."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse

from http_wrk import Result
from sync_floor import timed

CLU_WRITES = 500


class _Client:
    """One keep-alive connection to ``base``, one request at a time, with the bearer token."""

    def __init__(self, base: str, token: str) -> None:
        where = urllib.parse.urlsplit(base)
        self._connection = http.client.HTTPConnection(where.netloc, timeout=60)
        self._headers = {"Authorization": f"Bearer {token}"}
        self._json = {**self._headers, "Content-Type": "application/json"}

    def _ok(self, method: str, path: str, body: str | None = None) -> bool:
        """The request (a JSON ``body``, if any) answered, its body read: whether with 200."""
        headers = self._headers if body is None else self._json
        self._connection.request(method, path, body, headers)
        answer = self._connection.getresponse()
        answer.read()
        return answer.status == 200

    def close(self) -> None:
        self._connection.close()


class Writer(_Client):
    """``PUT /api/v1/progress`` over ``paths`` in turn, one per call, on one keep-alive
    connection (a step of ``sync_floor.timed`` or ``interleaved``).

    Each body carries the real clock as the device's ``updated_at``, never going back: equal
    times apply, so no write is refused as stale, and the clock is never ahead of the server's.
    A write answered otherwise than 200 returns False (counted as non-2xx, as wrk counts them).
    """

    def __init__(self, base: str, token: str, paths: list[str]) -> None:
        super().__init__(base, token)
        self._paths = paths
        self._device_time = 0

    def __call__(self, n: int) -> bool:
        self._device_time = max(self._device_time, int(time.time()))
        body = {
            "path": self._paths[n % len(self._paths)],
            "page_number": n % 4 + 1,
            "total_pages": 4,
            "updated_at": self._device_time,
        }
        return self._ok("PUT", "/api/v1/progress", json.dumps(body))


class Pinger(_Client):
    """``GET /api/v1/auth/ping`` one after another on one keep-alive connection, as ``Writer``
    writes: the same client's requests without a write (a step of ``sync_floor.timed``)."""

    def __call__(self, n: int) -> bool:
        return self._ok("GET", "/api/v1/auth/ping")


def run(
    base: str, token: str, paths: list[str], *, duration: float, minimum: int = CLU_WRITES
) -> Result:
    """``Writer``'s writes for ``duration`` seconds, and at least ``minimum`` of them (CLU's
    figure is the rate of 500 such writes)."""
    writer = Writer(base, token, paths)
    try:
        return timed(writer, duration=duration, minimum=minimum)
    finally:
        writer.close()
