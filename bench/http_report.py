"""bench/clu.py's Markdown table against the CLU reference, and the rows missing a target."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from http_targets import LISTS, PUT_LABEL, REFERENCE
from http_wrk import Result

# CLU's reference figures for what is not an endpoint.
CLU_IMPORT = 165.0  # comics/s
CLU_RSS_MIB = 211.0 + 27.0  # worker + master

TIMES = "\u00d7"  # the multiplication sign
TIMES_CLU = 10.0
LIST_RPS = 1500.0
PUT_RPS = 1000.0
IMPORT_RATE = 1000.0
RESCAN_RATE = 100_000.0


@dataclass(frozen=True)
class Other:
    """Measures outside wrk: import and rescan rates, peak memory."""

    comics: int
    import_rate: float
    rescan_rate: float
    scan_rss_mib: float
    server_rss_mib: float
    server_hwm_mib: float
    server_processes: int


def median(results: list[Result]) -> Result:
    """Each figure's median over the runs (non-2xx: their sum)."""
    return Result(
        requests=sum(r.requests for r in results),
        rps=statistics.median(r.rps for r in results),
        p50=statistics.median(r.p50 for r in results),
        p95=statistics.median(r.p95 for r in results),
        p99=statistics.median(r.p99 for r in results),
        non2xx=sum(r.non2xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
    )


def table(rows: dict[str, list[Result]], other: Other) -> list[str]:
    lines = [
        f"| endpoint | CLU req/s | bagboard req/s | {TIMES} CLU | p50 (ms) | p95 (ms) | p99 (ms) "
        "| non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, results in rows.items():
        r = median(results)
        reference = REFERENCE.get(label)
        clu = f"{reference[0]:,.0f}" if reference else "—"
        times = f"{r.rps / reference[0]:,.1f}" if reference else "—"
        errors = str(r.non2xx) + (f" (+{r.socket_errors} socket)" if r.socket_errors else "")
        lines.append(
            f"| {label} | {clu} | {r.rps:,.0f} | {times} | {r.p50:.1f} | {r.p95:.1f} "
            f"| {r.p99:.1f} | {errors} |"
        )
    lines += [
        f"| import of the {other.comics:,} files (comics/s) | {CLU_IMPORT:.0f} "
        f"| {other.import_rate:,.0f} | {other.import_rate / CLU_IMPORT:.1f} | | | | |",
        f"| no-change rescan (files/s) | — | {other.rescan_rate:,.0f} | — | | | | |",
        f"| peak RSS of `bagboard serve`, MiB ({other.server_processes} process"
        f"{'es' if other.server_processes > 1 else ''}; lower is better) | {CLU_RSS_MIB:.0f} "
        f"| {other.server_rss_mib:.0f} | {other.server_rss_mib / CLU_RSS_MIB:.2f} | | | | |",
        f"| peak RSS of `bagboard scan` (import), MiB | — | {other.scan_rss_mib:.0f} | — | | | | |",
    ]
    return lines


def misses(rows: dict[str, list[Result]], other: Other) -> list[str]:
    """Every target a row misses, one line each."""
    found = []
    for label, results in rows.items():
        r = median(results)
        reference = REFERENCE.get(label)
        if reference and r.rps < TIMES_CLU * reference[0]:
            times = f"{r.rps / reference[0]:.1f}{TIMES} CLU"
            found.append(f"{label}: {times} (target {TIMES_CLU:.0f}{TIMES})")
        if label in LISTS and r.rps < LIST_RPS:
            found.append(f"{label}: {r.rps:,.0f} req/s (list target {LIST_RPS:,.0f})")
        if label == PUT_LABEL and r.rps < PUT_RPS:
            found.append(f"{label}: {r.rps:,.0f}/s (target {PUT_RPS:,.0f})")
        if r.non2xx or r.socket_errors:
            found.append(f"{label}: {r.non2xx} non-2xx, {r.socket_errors} socket errors")
    if other.import_rate < IMPORT_RATE:
        found.append(f"import: {other.import_rate:,.0f} comics/s (target {IMPORT_RATE:,.0f})")
    if other.rescan_rate < RESCAN_RATE:
        found.append(
            f"no-change rescan: {other.rescan_rate:,.0f} files/s (target {RESCAN_RATE:,.0f})"
        )
    limit = 150.0 if other.comics <= 20_000 else 300.0
    if other.server_rss_mib * 1.048576 > limit:  # the targets are in MB
        found.append(f"peak RSS: {other.server_rss_mib * 1.048576:.0f} MB (target {limit:.0f})")
    return found
