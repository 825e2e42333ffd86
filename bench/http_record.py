"""bench/clu.py ``--record FILE``: the run's medians as JSON, for bench/compare.py.

Each row is ``{"value", "unit", "better"}`` (``better``: ``higher`` or ``lower``), plus the
latency percentiles and every run's figure for the wrk rows, the sequential writes and the
sync floors (``sync_floor.py``); the file also names the commit, the date and the machine,
since figures from two machines do not compare.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from http_goals import WRITE_FLOOR
from http_report import Other, median
from http_targets import PUT_LABEL
from http_wrk import Result
from sync_floor import FDATASYNC_FLOOR, SYNC_FLOOR

FORMAT = 1
UNITS = {
    PUT_LABEL: "writes/s",
    WRITE_FLOOR: "writes/s",
    SYNC_FLOOR: "commits/s",
    FDATASYNC_FLOOR: "syncs/s",
}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _row(value: float, unit: str, better: str, **extra: Any) -> dict[str, Any]:
    return {"value": round(value, 3), "unit": unit, "better": better, **extra}


def document(
    rows: dict[str, list[Result]],
    other: Other,
    *,
    revision: str,
    database: str,
    settings: dict[str, Any],
) -> dict[str, Any]:
    found: dict[str, dict[str, Any]] = {}
    for label, results in rows.items():
        r = median(results)
        found[label] = _row(
            r.rps, UNITS.get(label, "req/s"), "higher",
            p50_ms=round(r.p50, 3), p95_ms=round(r.p95, 3), p99_ms=round(r.p99, 3),
            non2xx=r.non2xx, socket_errors=r.socket_errors,
            runs=[round(x.rps, 3) for x in results],
        )  # fmt: skip
    found["import (comics/s)"] = _row(other.import_rate, "comics/s", "higher")
    found["no-change rescan (files/s)"] = _row(other.rescan_rate, "files/s", "higher")
    found["peak RSS of bagboard serve (MiB)"] = _row(other.server_rss_mib, "MiB", "lower")
    found["peak RSS of bagboard scan (MiB)"] = _row(other.scan_rss_mib, "MiB", "lower")
    return {
        "format": FORMAT,
        "commit": revision,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "database": database,
        },
        "settings": settings,
        "rows": found,
    }


def write(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
