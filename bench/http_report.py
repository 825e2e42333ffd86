"""bench/clu.py's Markdown table against CLU, Codex and the framework's floor, and the rows
missing a target."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from http_goals import (
    AT_LEAST,
    AT_MOST,
    FLOOR,
    IMPORT_TIMES_CLU,
    RESCAN_RATE,
    TIMES,
    WRITE_FLOOR,
    goal_cell,
    row_misses,
    rss_limit_mb,
)
from http_targets import (
    CLU_IMPORT,
    CLU_RSS_MIB,
    CODEX,
    CODEX_IMPORT,
    CODEX_RSS_MIB,
    PING_SEQUENTIAL_LABEL,
    PUT_LABEL,
    REFERENCE,
)
from http_wrk import Result
from sync_floor import FDATASYNC_FLOOR, SYNC_FLOOR

MB_PER_MIB = 1.048576
DASH = "\u2014"


@dataclass(frozen=True)
class Other:
    """Measures outside wrk: import and rescan rates (medians over the runs), peak memory."""

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


def medians(rows: dict[str, list[Result]]) -> dict[str, Result]:
    return {label: median(results) for label, results in rows.items()}


def _rate(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _times(mine: float, theirs: float | None) -> str:
    return f"{mine / theirs:,.2f}" if theirs else DASH


def table(rows: dict[str, list[Result]], other: Other) -> list[str]:
    measured = medians(rows)
    rps = {label: r.rps for label, r in measured.items()}
    floor = rps.get(FLOOR)
    lines = [
        f"| endpoint | CLU req/s | Codex req/s | bagboard req/s | {TIMES} CLU | {TIMES} Codex "
        f"| {TIMES} Litestar floor | target | p50 (ms) | p95 (ms) | p99 (ms) | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for label, r in measured.items():
        reference = REFERENCE.get(label)
        clu = reference[0] if reference else None
        codex = CODEX.get(label)
        errors = str(r.non2xx) + (f" (+{r.socket_errors} socket)" if r.socket_errors else "")
        # One connection against the floor's eight, or no request at all: no fraction of it
        # to speak of (``put_share`` gives the writes' share of their own floor).
        one_client = label in (
            PUT_LABEL, PING_SEQUENTIAL_LABEL, WRITE_FLOOR, SYNC_FLOOR, FDATASYNC_FLOOR
        )  # fmt: skip
        of_floor = DASH if one_client else _times(r.rps, floor)
        target = goal_cell(label, rps, r.p99)
        lines.append(
            f"| {label} | {_rate(clu) if clu else DASH} | {_rate(codex) if codex else DASH} "
            f"| {r.rps:,.0f} | {_times(r.rps, clu)} | {_times(r.rps, codex)} "
            f"| {of_floor} | {target} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} "
            f"| {errors} |"
        )
    wanted_import = IMPORT_TIMES_CLU * CLU_IMPORT
    limit = rss_limit_mb(other.comics)
    rss = other.server_rss_mib
    processes = f"{other.server_processes} process{'es' if other.server_processes > 1 else ''}"
    lines += [
        f"| import of the {other.comics:,} files (comics/s) | {CLU_IMPORT:.0f} "
        f"| {CODEX_IMPORT:.0f} | {other.import_rate:,.0f} "
        f"| {_times(other.import_rate, CLU_IMPORT)} | {_times(other.import_rate, CODEX_IMPORT)} "
        f"| | {AT_LEAST} {IMPORT_TIMES_CLU:g}{TIMES} CLU ({wanted_import:,.0f}) | | | | |",
        f"| no-change rescan (files/s) | {DASH} | {DASH} | {other.rescan_rate:,.0f} | {DASH} "
        f"| {DASH} | | {AT_LEAST} {RESCAN_RATE:,.0f} | | | | |",
        f"| peak RSS of `bagboard serve`, MiB ({processes}; lower is better) "
        f"| {CLU_RSS_MIB:.0f} | {CODEX_RSS_MIB:.0f} | {rss:.0f} | {_times(rss, CLU_RSS_MIB)} "
        f"| {_times(rss, CODEX_RSS_MIB)} | | {AT_MOST} {limit:.0f} MB | | | | |",
        f"| peak RSS of `bagboard scan` (import), MiB | {DASH} | {DASH} "
        f"| {other.scan_rss_mib:.0f} | {DASH} | {DASH} | | | | | | |",
    ]
    return lines


def put_share(rows: dict[str, list[Result]]) -> str | None:
    """The sequential writes as a share of the write floor and of the sync floor (medians),
    with the bare sync's rate when measured, and the most the same client's pings and one
    durable commit each allow; None without the writes and the sync floor."""
    measured = medians(rows)
    put, sync = measured.get(PUT_LABEL), measured.get(SYNC_FLOOR)
    if put is None or sync is None:
        return None
    line = f"{PUT_LABEL}: "
    write = measured.get(WRITE_FLOOR)
    if write is not None:
        line += (
            f"{put.rps / write.rps:.2f}{TIMES} the write floor ({write.rps:,.0f} writes/s from "
            f"the same client to a bare ASGI app making the same commit, p50 {write.p50:.2f} "
            "ms), "
        )
    line += (
        f"{put.rps / sync.rps:.2f}{TIMES} the sync floor ({put.rps:,.0f} writes/s "
        f"against {sync.rps:,.0f} durable commits/s of one client, p50 {sync.p50:.2f} ms"
    )
    bare = measured.get(FDATASYNC_FLOOR)
    if bare is not None:
        line += f"; write + fdatasync alone {bare.rps:,.0f}/s, p50 {bare.p50:.2f} ms"
    line += ")"
    ping = measured.get(PING_SEQUENTIAL_LABEL)
    if ping is not None:
        # A write costs that client at least a request and a commit, one after the other.
        most = 1 / (1 / ping.rps + 1 / sync.rps)
        line += (
            f"; a ping and a durable commit each allow at most {most:,.0f} writes/s "
            f"({ping.rps:,.0f} sequential pings/s from the same client; the write is "
            f"{put.rps / most:.2f}{TIMES} that)"
        )
    return line


def misses(rows: dict[str, list[Result]], other: Other) -> list[str]:
    """Every target a row misses, one line each."""
    measured = medians(rows)
    rps = {label: r.rps for label, r in measured.items()}
    found = []
    for label, r in measured.items():
        found += [f"{label}: {miss}" for miss in row_misses(label, rps, r.p99)]
        if r.non2xx or r.socket_errors:
            found.append(f"{label}: {r.non2xx} non-2xx, {r.socket_errors} socket errors")
    wanted_import = IMPORT_TIMES_CLU * CLU_IMPORT
    if other.import_rate < wanted_import:
        found.append(
            f"import: {other.import_rate:,.0f} comics/s, {AT_LEAST} {IMPORT_TIMES_CLU:g}{TIMES} "
            f"CLU is {wanted_import:,.0f}"
        )
    if other.rescan_rate < RESCAN_RATE:
        found.append(
            f"no-change rescan: {other.rescan_rate:,.0f} files/s (target {RESCAN_RATE:,.0f})"
        )
    limit = rss_limit_mb(other.comics)
    if other.server_rss_mib * MB_PER_MIB > limit:  # the targets are in MB
        found.append(f"peak RSS: {other.server_rss_mib * MB_PER_MIB:.0f} MB (target {limit:.0f})")
    return found
