"""wrk runs for bench/clu.py: one URL repeated, or sequential progress writes."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# wrk calls ``done`` once at the end: requests, responses >= 400, socket errors, latency
# percentiles in microseconds and the run's length in microseconds.
DONE_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.duration))
end
"""

# One PUT /progress per request, cycling over the given comics; ``updated_at`` (the device's
# clock) rises by one second with every round over them, so each comic's next write is newer
# than its last and none is refused as stale, while the clock stays within the five minutes
# ahead of the server's that the server believes (a 10-s run of 50 comics at 1,000 writes/s
# ends 200 s ahead).
PUT_PROGRESS_LUA = """
local heads = {%(heads)s}
local first = %(first)d
local n = 0
-- Extra headers go into wrk.headers: those passed to wrk.format replace the -H ones.
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = heads[(n %% #heads) + 1] .. ', "page_number": ' .. (n %% 4 + 1)
    .. ', "total_pages": 4, "updated_at": ' .. (first + 1 + math.floor((n - 1) / #heads)) .. '}'
  return wrk.format("PUT", "/api/v1/progress", nil, body)
end
"""


@dataclass(frozen=True)
class Result:
    requests: int
    rps: float
    p50: float  # milliseconds
    p95: float
    p99: float
    non2xx: int  # answers >= 400, as wrk counts them
    socket_errors: int


def run(
    url: str,
    token: str,
    *,
    duration: int,
    connections: int,
    threads: int,
    script: str = "",
) -> Result:
    """wrk against ``url`` for ``duration`` seconds; ``script`` is Lua put before the done hook."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + DONE_LUA)
    try:
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
             "-s", lua.name, "-H", f"Authorization: Bearer {token}", url],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        Path(lua.name).unlink()
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    requests, non2xx, errors, p50, p95, p99, micros = map(int, line.split()[1:])
    return Result(
        requests=requests,
        rps=requests / (micros / 1e6),
        p50=p50 / 1000,
        p95=p95 / 1000,
        p99=p99 / 1000,
        non2xx=non2xx,
        socket_errors=errors,
    )


def put_progress_script(paths: list[str], first: int) -> str:
    """Lua for sequential progress writes over ``paths``, device times from ``first + 1`` up
    by one per round over them (``last_device_time`` says where a run ended)."""
    heads = ", ".join(_lua_string('{"path": ' + json.dumps(path)) for path in paths)
    return PUT_PROGRESS_LUA % {"heads": heads, "first": first}


def last_device_time(first: int, requests: int, paths: int) -> int:
    """The device time of the last write of a run of ``requests`` from ``first``."""
    return first + 1 + max(requests - 1, 0) // paths


def _lua_string(text: str) -> str:
    """A Lua literal of ``text``'s UTF-8 bytes: letters and digits as they are, every other
    byte as a decimal escape, which every Lua reads the same way."""
    escaped = (chr(b) if chr(b).isalnum() and b < 128 else f"\\{b:03d}" for b in text.encode())
    return '"' + "".join(escaped) + '"'
