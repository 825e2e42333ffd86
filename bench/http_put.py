"""bench/clu.py's sequential progress writes: one client, one request at a time, on one
keep-alive connection, from a Python ``http.client`` loop, as CLU's figure was measured."""

from __future__ import annotations

import http.client
import json
import statistics
import time
import urllib.parse

from http_wrk import Result

CLU_WRITES = 500


def run(
    base: str, token: str, paths: list[str], *, duration: float, minimum: int = CLU_WRITES
) -> Result:
    """``PUT /api/v1/progress`` over ``paths`` in turn for ``duration`` seconds, and at least
    ``minimum`` times (CLU's figure is the rate of 500 such writes).

    Each body carries the real clock as the device's ``updated_at``, never going back: equal
    times apply, so no write is refused as stale, and the clock is never ahead of the server's.
    A write answered otherwise than 200 counts as non-2xx, as wrk counts them.
    """
    where = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(where.netloc, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    took: list[float] = []
    failed = 0
    device_time = 0
    started = time.perf_counter()
    end = started + duration
    try:
        while True:
            before = time.perf_counter()
            if before >= end and len(took) >= minimum:
                break
            n = len(took)
            device_time = max(device_time, int(time.time()))
            body = {
                "path": paths[n % len(paths)],
                "page_number": n % 4 + 1,
                "total_pages": 4,
                "updated_at": device_time,
            }
            connection.request("PUT", "/api/v1/progress", json.dumps(body), headers)
            answer = connection.getresponse()
            answer.read()
            took.append(time.perf_counter() - before)
            failed += answer.status != 200
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(took, n=100, method="inclusive") if len(took) > 1 else took * 99
    return Result(
        requests=len(took),
        rps=len(took) / elapsed,
        p50=cuts[49] * 1000,
        p95=cuts[94] * 1000,
        p99=cuts[98] * 1000,
        non2xx=failed,
        socket_errors=0,
    )
