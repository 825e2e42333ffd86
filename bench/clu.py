"""bagboard against the reference figures of CLU 6.3.1 on the same library shape, over HTTP.

    ./scripts/setup.sh --bench && .venv/bin/python bench/clu.py [--comics 20000]
        [--database-url URL] [--runs 1] [--duration 10] [--connections 8] [--threads 2]
        [--work DIR] [--profile LABEL ...] [--record FILE] [--workers N]

1. writes (or reuses, under ``--work``, in a folder named by its parameters) a library of plain
   CBZ comics shaped like the reference's: 4 JPEG pages of 800x1200 (~35 KB) and a
   ComicInfo.xml each, ~140 KB a file, 10 publishers for 20,000 comics, a fifth of the series
   in two ``vYYYY`` volume folders; 200 of them get file times in the last 30 days, so that
   ``recent`` has something to list;
2. indexes it with ``bagboard scan`` into a fresh data folder (with ``--database-url``, the
   PostgreSQL database named there, which must contain "bench", is dropped and created first)
   and rescans it unchanged five times: import comics/s and rescan files/s (the rescans'
   median), ``--runs`` times, each into a fresh data folder, medians reported;
3. starts ``bagboard serve`` with its default settings on a free port of 127.0.0.1, creates a
   token with the CLI, waits for its start-up scan, and samples its memory (every process of
   its tree) until the end; then the framework's floor (``floor_apps.py``): a bare ASGI app
   and a one-route Litestar app under the same uvicorn settings, sending the bytes bagboard's
   ``/api/v1/auth/ping`` sent, and the write floor;
4. drives the floors and each endpoint of the reference table with wrk (``--connections``
   connections for ``--duration`` s; the whole pass ``--runs`` times, medians reported), plus
   page streaming, the OPDS feeds of the same series and sequential progress writes from a
   Python ``http.client`` loop on one keep-alive connection, by turns with their floors: the
   same client writing to the write floor (``floor_apps.py write``: a bare ASGI app making
   one durable commit per PUT) and the sync floor (``sync_floor.py``: one client's durable
   commits on the bench's database, nothing else);
5. prints a Markdown table (req/s, times CLU's, Codex's and the Litestar floor's, each row's
   target, p50/p95/p99, non-2xx), the writes' share of their floors and the targets
   missed; ``--record FILE`` writes the medians as JSON for ``bench/compare.py`` (at least
   3 runs).

``--profile LABEL`` (a part of a row's label, repeatable) runs that row once more under
``py-spy record`` and prints where the server's time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import http_profile
import http_put
import http_record
import http_wrk
import sync_floor
from floor_apps import PING, Floor
from http_goals import FLOORS
from http_report import Other, misses, put_share, table
from http_server import Server, bagboard, bench_folders, fetch, free_port, recreate_database
from http_targets import PING_SEQUENTIAL_LABEL, PUT_LABEL, choose, date_recent, seed_progress
from make_library import make_plain_library

RECORD_RUNS = 3
# Unchanged rescans after each import, their median kept: one takes a fifth of a second, so
# a single one is mostly the machine's noise.
RESCANS = 5
RECORDED_SETTINGS = ("comics", "seed", "runs", "duration", "connections", "threads")


@dataclass
class Imports:
    """Each import's comics/s, its rescan's files/s and the import's peak memory."""

    rates: list[float] = field(default_factory=list)
    rescans: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)


def _revision() -> str:
    """The checkout's commit, and whether src/ differs from it: what was measured."""
    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" with changes in src/" if git("status", "--porcelain", "src") else "")


def _scan(library: Path, data: Path, url: str | None) -> dict[str, float]:
    out = bagboard("scan", "--json", "--library", str(library), data=data, url=url)
    report: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return report


def _profile(
    server: Server, label: str, run: Callable[[], http_wrk.Result], work: Path, seconds: int
) -> None:
    raw = work / f"profile-{''.join(c if c.isalnum() else '_' for c in label)}.txt"
    spy = http_profile.start(server.process.pid, seconds, raw)
    if spy is None:
        return
    sampled = run()
    spy.wait(timeout=seconds + 60)
    print(f"\n#### py-spy, {label} ({sampled.rps:,.0f} req/s while sampled)\n", flush=True)
    print("\n".join(["```", *http_profile.summary(raw, top=15), "```"]))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comics", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bagboard-bench-http"))
    parser.add_argument("--database-url", default=None, help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--runs", type=int, default=None,
        help="passes over every endpoint, and imports (0: --profile only; default 1, "
        f"{RECORD_RUNS} with --record)",
    )  # fmt: skip
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--profile", action="append", default=[], metavar="LABEL")
    parser.add_argument(
        "--workers", default=None, metavar="N", help="serve --workers (default: the server's own)"
    )
    parser.add_argument("--record", type=Path, metavar="FILE", help="the medians as JSON")
    args = parser.parse_args()
    if args.runs is None:
        args.runs = RECORD_RUNS if args.record else 1
    if args.record and args.runs < RECORD_RUNS:
        parser.error(f"--record needs medians: --runs {RECORD_RUNS} or more")
    return args


def _imports(library: Path, data: Path, url: str | None, comics: int, runs: int) -> Imports:
    """Import into a fresh data folder (and database) ``runs`` times, each followed by
    ``RESCANS`` unchanged rescans (their median rate kept); the last one stays for the
    server."""
    imports = Imports()
    for n in range(max(runs, 1)):
        shutil.rmtree(data, ignore_errors=True)
        if url:
            recreate_database(url)
        first = _scan(library, data, url)
        assert first["new"] == comics, first
        rescans = [_scan(library, data, url) for _ in range(RESCANS)]
        files = sum(rescans[0][k] for k in ("new", "changed", "moved", "unchanged"))
        rescan = statistics.median(again["elapsed"] for again in rescans)
        imports.rates.append(first["new"] / first["elapsed"])
        imports.rescans.append(files / rescan)
        imports.rss_mib.append(float(first.get("peak_rss_mib", 0)))
        print(f"import {n + 1}: {first['elapsed']:.1f} s, rescan {rescan:.2f} s (median of "
              f"{RESCANS})", file=sys.stderr)  # fmt: skip
    return imports


def _writes_and_floors(
    base: str, token: str, paths: list[str], data: Path, url: str | None, duration: int,
    write_floor: Floor,
) -> dict[str, http_wrk.Result]:  # fmt: skip
    """The sequential writes, the same client's writes to the write floor and pings to the
    server, and the sync floors (one client's durable commits on the bench's database, a
    SQLite file beside the server's or PostgreSQL's database, and on SQLite the bare sync of
    that folder), by turns in slices of ``duration`` s in all each."""
    writer = http_put.Writer(base, token, paths)
    floor_writer = http_put.Writer(write_floor.base, token, paths)
    pinger = http_put.Pinger(base, token)
    try:
        with sync_floor.floor_steps(data, url) as floors:
            steps: dict[str, sync_floor.Step] = {
                **floors,
                write_floor.label: floor_writer,
                PING_SEQUENTIAL_LABEL: pinger,
                PUT_LABEL: writer,
            }
            found = sync_floor.interleaved(steps, duration=duration, minimum=http_put.CLU_WRITES)
    finally:
        writer.close()
        floor_writer.close()
        pinger.close()
    for label, r in found.items():
        print(f"{label}: {r.rps:,.0f}/s, p50 {r.p50:.1f} ms, non-2xx {r.non2xx}",
              file=sys.stderr, flush=True)  # fmt: skip
    return found


def _start_floors(
    server: Server, token: str, work: Path, floors: list[Floor], data: Path, url: str | None
) -> None:
    """The floor apps, sending the bytes bagboard's ping sent, added to ``floors`` as they
    start (so that the caller stops those started when one fails); the write floor last,
    committing on the bench's database (a SQLite file in ``data``, or at ``url``)."""
    body = fetch(server.base + PING, token)
    (work / "ping-body.json").write_bytes(body)
    where = ["--database-url", url] if url else ["--folder", str(data)]
    for kind in ("bare", "litestar", "write"):
        extra = where if kind == "write" else []
        log = work / f"floor-{kind}.log"
        floors.append(Floor(kind, free_port(), work / "ping-body.json", log, *extra))
        floors[-1].wait_ready(body)


def main() -> int:
    args = _arguments()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: ./scripts/setup.sh --bench (or apt-get install wrk)")
    url = args.database_url
    revision = _revision()

    library, data = bench_folders(args.work, args.comics, url, args.seed)
    summary = make_plain_library(library, args.comics, seed=args.seed)
    print(summary.describe(), file=sys.stderr)
    date_recent(library)
    imports = _imports(library, data, url, args.comics, args.runs)
    token = bagboard("token", "create", "--name", "bench", data=data, url=url).strip()

    server = Server(data, url, args.work / "serve.log", args.workers)
    floors: list[Floor] = []
    rows: dict[str, list[http_wrk.Result]] = {}
    try:
        server.wait_ready(token)
        targets = choose(server.base, token)
        print("; ".join(targets.notes), file=sys.stderr)
        seed_progress(server.base, token, targets.progress_paths)
        for _, path in targets.urls:  # warm: the reference's figures are cache-warm too
            fetch(server.base + path, token)
        _start_floors(server, token, args.work, floors, data, url)

        def one(label: str, where: str) -> http_wrk.Result:
            if label == PUT_LABEL:  # one client, one request at a time
                result = http_put.run(
                    server.base, token, targets.progress_paths, duration=args.duration
                )
            else:
                result = http_wrk.run(
                    where, token, duration=args.duration,
                    connections=args.connections, threads=args.threads,
                )  # fmt: skip
            print(f"{label}: {result.rps:,.0f} req/s, p50 {result.p50:.1f} ms, "
                  f"non-2xx {result.non2xx}", file=sys.stderr, flush=True)  # fmt: skip
            return result

        write_floor = floors[-1]
        everything = [
            *((floor.label, floor.base + PING) for floor in floors[:-1]),
            *((label, server.base + path) for label, path in targets.urls),
            (PUT_LABEL, server.base),
        ]
        for n in range(args.runs):
            print(f"pass {n + 1} of {args.runs}", file=sys.stderr)
            for label, where in everything:
                if label == PUT_LABEL:  # by turns with what the disk allows
                    measured = _writes_and_floors(
                        server.base, token, targets.progress_paths, data, url, args.duration,
                        write_floor,
                    )  # fmt: skip
                    for measured_label, result in measured.items():
                        rows.setdefault(measured_label, []).append(result)
                    continue
                rows.setdefault(label, []).append(one(label, where))
        for wanted in args.profile:
            for label, where in everything:
                if wanted.lower() in label.lower() and label not in FLOORS:
                    again_once = lambda label=label, where=where: one(label, where)  # noqa: E731
                    _profile(server, label, again_once, args.work, args.duration)
    finally:
        for floor in floors:
            floor.stop()
        server.stop()
    if not rows:  # --runs 0: profiles only
        return 0

    other = Other(
        comics=args.comics,
        import_rate=statistics.median(imports.rates),
        rescan_rate=statistics.median(imports.rescans),
        scan_rss_mib=max(imports.rss_mib),
        server_rss_mib=server.peak_mib,
        server_hwm_mib=server.hwm_mib,
        server_processes=len(server.pids),
    )
    database = "PostgreSQL" if url else "SQLite"
    print(
        f"\nbagboard serve (default settings) on {database}, "
        f"{args.comics:,} comics; wrk {args.threads} threads x {args.connections} connections "
        f"x {args.duration} s per URL, median of {args.runs} pass{'es' if args.runs > 1 else ''}"
        f" (imports: {len(imports.rates)}); floors: the same uvicorn settings, the ping's bytes; "
        f"{os.cpu_count()} CPUs shared by wrk and the servers; code at {revision}\n"
    )
    print("\n".join(table(rows, other)))
    share = put_share(rows)
    if share:
        print(f"\n{share}")
    print(f"\nserver memory: sampled peak {other.server_rss_mib:.0f} MiB, "
          f"sum of per-process VmHWM {other.server_hwm_mib:.0f} MiB")  # fmt: skip
    for child in server.children:
        print(f"- process {child}")
    print("\nmissing a target:" if misses(rows, other) else "\nevery target met")
    for line in misses(rows, other):
        print(f"- {line}")
    if args.record:
        settings = {key: getattr(args, key) for key in RECORDED_SETTINGS}
        doc = http_record.document(
            rows, other, revision=revision, database=database.lower(), settings=settings
        )
        http_record.write(args.record, doc)
        print(f"\nrecorded in {args.record}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
