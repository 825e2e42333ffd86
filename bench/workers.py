"""``serve --workers 1`` against ``--workers 2`` (or any counts), side by side.

Usage: python bench/workers.py DATA [--library PATH] [--rounds 3] [--duration 8]
       [--connections 8] [--threads 2] [--counts 1,2]

DATA is a data folder of this script's own (created, scanned once with ``--library``). Each
round starts a server per worker count in turn (alternating, so that a busy machine weighs on
every count alike), runs wrk on ``/api/v1/auth/ping`` and ``/api/v1/library/recent``, and
reads the resident memory of the server's processes (the server and its workers) after the
runs. It prints each run, then medians per count and their ratios to the first count.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_server import _status_kib, _tree, bagboard, call, free_port
from bench.http_wrk import run

PATHS = (("ping", "/api/v1/auth/ping"), ("recent", "/api/v1/library/recent"))


def serve(data: Path, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "bagboard.cli", "serve", "--no-watch", "--workers",
               str(workers), "--port", str(port), "--data-dir", str(data)]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def ready(base: str, token: str, process: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            call(base, token, "/api/v1/auth/ping")
            if workers == 1 or len(_tree(process.pid)) > workers:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server with {workers} workers did not start")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--library", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--counts", default="1,2")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    if args.library:
        bagboard("scan", "--library", str(args.library), data=args.data, url=None)
    token = bagboard("token", "create", "--name", f"bench{time.time_ns()}", data=args.data,
                     url=None).strip()  # fmt: skip
    rps: dict[tuple[int, str], list[float]] = {}
    rss: dict[int, list[float]] = {}
    for round_ in range(args.rounds):
        for workers in counts:
            process, base = serve(args.data, workers, args.data / f"serve-{workers}.log")
            try:
                ready(base, token, process, workers)
                for name, path in PATHS:
                    run(base + path, token, duration=2, connections=args.connections,
                        threads=args.threads)  # warm every worker's caches  # fmt: skip
                    result = run(base + path, token, duration=args.duration,
                                 connections=args.connections, threads=args.threads)  # fmt: skip
                    rps.setdefault((workers, name), []).append(result.rps)
                    said = f"p50 {result.p50:.2f} ms p99 {result.p99:.2f} ms"
                    print(f"round {round_ + 1} workers {workers} {name:7} "
                          f"{result.rps:8.0f} req/s {said}", flush=True)  # fmt: skip
                pids = _tree(process.pid)
                mib = sum(_status_kib(p, "VmRSS") for p in pids) / 1024
                rss.setdefault(workers, []).append(mib)
                print(f"round {round_ + 1} workers {workers} RSS {mib:.0f} MiB "
                      f"({len(pids)} processes)", flush=True)  # fmt: skip
            finally:
                process.terminate()
                process.wait(timeout=30)
    first = counts[0]
    print("\nmedians (ratio to", first, "worker(s))")
    for name, _ in PATHS:
        base_rps = statistics.median(rps[(first, name)])
        for workers in counts:
            median = statistics.median(rps[(workers, name)])
            print(f"  {name:7} workers {workers}: {median:8.0f} req/s  x{median / base_rps:.2f}")
    for workers in counts:
        print(f"  RSS     workers {workers}: {statistics.median(rss[workers]):8.0f} MiB")


if __name__ == "__main__":
    main()
