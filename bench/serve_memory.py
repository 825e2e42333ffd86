"""The resident memory of one ``bagboard serve`` process: after start, and at its peak under
every kind of request.

    .venv/bin/python bench/serve_memory.py [--comics 20000] [--work DIR] [--data DIR]
        [--seconds 2] [--runs 3] [--workers 1] [--against OTHER/src]

Lighter than ``bench/clu.py``, which measures the same peak once per whole bench: each run
copies an indexed data folder (``--data``, never written to; by default the one ``clu.py``
leaves in ``--work`` for ``--comics``, made there with ``make_library.py`` and ``bagboard
scan`` if missing), starts ``bagboard serve --workers 1`` on the copy, waits for its
start-up scan and reads its RSS ("start"), then drives every row of ``clu.py``'s table with
wrk (8 connections, ``--seconds`` each: lists, covers, downloads, pages, OPDS) and sequential
progress writes, and reads it again ("end"). "peak" is the largest RSS of the server's
process tree sampled every 0.1 s from its launch on, as ``clu.py`` reports it. With
``--against``, each run starts a server from that checkout's ``src`` first, then this one's,
and the medians of both are printed side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import http_put
import http_wrk
from http_server import Server, _status_kib, bagboard, bench_folders
from http_targets import choose, date_recent, seed_progress
from make_library import make_plain_library

HERE = Path(__file__).resolve().parents[1] / "src"
MEASURES = ("start", "peak", "end")


def _indexed(work: Path, comics: int) -> Path:
    """``clu.py``'s data folder for ``comics`` comics, made (library and index) if missing."""
    library, data = bench_folders(work, comics, None)
    if not (data / "bagboard.db").exists():
        make_plain_library(library, comics, seed=1)
        date_recent(library)
        bagboard("scan", "--library", str(library), data=data, url=None)
    return data


def _run(src: Path, data: Path, seconds: int, workers: str) -> dict[str, float]:
    """One server from ``src`` on a copy of ``data``: its memory at each step, in MiB."""
    os.environ["PYTHONPATH"] = f"{src}{os.pathsep}{src.parent}"  # for the server and the CLI
    with tempfile.TemporaryDirectory(prefix="bagboard-memory-") as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(data, copy)
        token = bagboard("token", "create", "--name", "memory", data=copy, url=None).strip()
        server = Server(copy, None, Path(scratch) / "serve.log", workers)
        rss = lambda: sum(_status_kib(pid, "VmRSS") for pid in server.pids) / 1024  # noqa: E731
        try:
            server.wait_ready(token)
            time.sleep(1)  # what the start-up scan let go of, given back
            start = rss()
            targets = choose(server.base, token)
            seed_progress(server.base, token, targets.progress_paths)
            for _, path in targets.urls:
                http_wrk.run(server.base + path, token, duration=seconds, connections=8, threads=2)
            http_put.run(server.base, token, targets.progress_paths, duration=seconds)
            end = rss()
        finally:
            server.stop()
    return {"start": start, "peak": server.peak_mib, "end": end}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comics", type=int, default=20_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bagboard-bench-http"))
    parser.add_argument("--data", type=Path, help="an indexed data folder (copied, not changed)")
    parser.add_argument("--seconds", type=int, default=2, help="wrk seconds per row")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1")
    parser.add_argument("--against", type=Path, help="another checkout's src folder")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: ./scripts/setup.sh --bench (or apt-get install wrk)")
    data = args.data or _indexed(args.work, args.comics)
    sources = {"other": args.against, "this": HERE} if args.against else {"this": HERE}
    found: dict[str, dict[str, list[float]]] = {
        label: {m: [] for m in MEASURES} for label in sources
    }
    for n in range(args.runs):
        for label, src in sources.items():
            run = _run(src.resolve(), data, args.seconds, args.workers)
            for measure in MEASURES:
                found[label][measure].append(run[measure])
            print(f"run {n + 1} {label}: " + ", ".join(f"{m} {run[m]:.1f}" for m in MEASURES)
                  + " MiB", file=sys.stderr, flush=True)  # fmt: skip
    print(f"\nbagboard serve --workers {args.workers}, {data}: RSS in MiB, median of {args.runs}")
    for label, src in sources.items():
        medians = {m: statistics.median(found[label][m]) for m in MEASURES}
        print(f"{label} ({src}): " + ", ".join(f"{m} {medians[m]:.1f}" for m in MEASURES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
