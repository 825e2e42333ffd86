"""What durable position writes cost: sequential ``PUT /api/v1/progress`` on SQLite, the
WAL synced on each commit (``synchronous=FULL``, what the server does) against not
(``NORMAL``, what it did before).

    .venv/bin/python bench/durable_writes.py [--writes 2000] [--runs 3] [--work DIR]
        [--wrk SECONDS]

One library of a few comics is indexed once into ``--work``; then, ``--runs`` times, a
server with each setting (alternating, so drifts of a shared machine fall on both), each
from a fresh copy of the indexed database. One client writes positions one after another on
one keep-alive connection (Python's ``http.client``), each body's ``updated_at`` a second
later than the last, so none is refused. It prints writes/s, p50 and p99 per run, then the
medians, their ratio and the ratio within each run (the two servers of a run are measured
back to back, so a change of the machine's load falls less between them). ``--wrk SECONDS``
adds the same writes from one wrk connection (``http_wrk.put_progress_script``) on each server.

The ``NORMAL`` server is the same code with one line changed in its process before it starts
(``engine.DURABLE``, the level every SQLite connection opens with): a benchmark-only switch,
made here, that the server offers nowhere. The data folder must be on the disk being
measured: a tmpfs makes every sync free.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import http_wrk
from http_server import bagboard, free_port

# Runs ``bagboard serve`` with SQLite connections opened at the level given as argv[1].
_SERVE = """
import runpy, sys
from bagboard.adapters.storage.db import engine
assert engine.DURABLE == "FULL", "engine.py no longer opens connections at DURABLE"
engine.DURABLE = sys.argv.pop(1)
sys.argv[0] = "bagboard"
runpy.run_module("bagboard.cli", run_name="__main__")
"""
COMICS = 8


def _library(work: Path) -> tuple[Path, list[str]]:
    """A few small CBZ comics, indexed into ``work/indexed``; their paths."""
    import io
    import zipfile

    from PIL import Image

    folder = work / "comics"
    folder.mkdir(parents=True, exist_ok=True)
    page = io.BytesIO()
    Image.new("RGB", (60, 90), (30, 60, 90)).save(page, format="JPEG")
    paths = []
    for n in range(1, COMICS + 1):
        path = folder / f"Issue {n:03}.cbz"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("p1.jpg", page.getvalue())
        paths.append(str(path.resolve()))
    indexed = work / "indexed"
    shutil.rmtree(indexed, ignore_errors=True)
    bagboard("library", "add", str(folder), data=indexed, url=None)
    bagboard("scan", data=indexed, url=None)
    return indexed, paths


def _run(
    level: str, indexed: Path, work: Path, paths: list[str], writes: int, wrk: int
) -> tuple[list[float], http_wrk.Result | None]:
    """The latency of each of ``writes`` sequential writes, seconds, from a server at
    ``level`` on a fresh copy of the indexed data folder; then, if ``wrk`` seconds are
    asked for, bench/clu.py's sequential PUT row on the same server."""
    data = work / f"data-{level}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(indexed, data)
    token = bagboard("token", "create", data=data, url=None).strip()
    port = free_port()
    command = [sys.executable, "-c", _SERVE, level, "serve", "--no-watch", "--data-dir"]
    command += [str(data), "--host", "127.0.0.1", "--port", str(port)]
    log = (work / f"serve-{level}.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        connection = _connect(port, server)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        # Device times a second apart, from two days ago: none is ever refused as older than
        # the last, and none comes near the server's clock (five minutes ahead of it, a
        # device's time would be replaced by the server's).
        first = int(time.time()) - 2 * 86_400
        took = []
        for n in range(writes + 100):  # the first 100 warm the server up
            body = {"path": paths[n % len(paths)], "page_number": n % 50, "updated_at": first + n}
            started = time.perf_counter()
            connection.request("PUT", "/api/v1/progress", json.dumps(body), headers)
            answer = connection.getresponse()
            reply = answer.read()
            if answer.status != 200:
                raise SystemExit(f"PUT answered {answer.status}: {reply!r}")
            if n >= 100:
                took.append(time.perf_counter() - started)
        connection.close()
        if not wrk:
            return took, None
        script = http_wrk.put_progress_script(paths, first + writes + 100)
        base = f"http://127.0.0.1:{port}"
        return took, http_wrk.run(
            base, token, duration=wrk, connections=1, threads=1, script=script
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _connect(port: int, server: subprocess.Popen[bytes]) -> http.client.HTTPConnection:
    deadline = time.monotonic() + 60
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", "/api/v1/auth/ping")
            connection.getresponse().read()
            return connection
        except OSError:
            connection.close()
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("bagboard serve did not start") from None
            time.sleep(0.1)


def _sync_latency(work: Path, count: int = 200) -> float:
    """The median time, ms, to overwrite 4 KiB of a file and ``fdatasync`` it: what each
    durable commit waits for, on the disk of ``work``."""
    path = work / "sync-probe"
    took = []
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.pwrite(fd, b"\0" * 4096, 0)
        os.fdatasync(fd)
        for n in range(count):
            started = time.perf_counter()
            os.pwrite(fd, n.to_bytes(4, "big") * 1024, 0)
            os.fdatasync(fd)
            took.append(time.perf_counter() - started)
    finally:
        os.close(fd)
        path.unlink()
    return statistics.median(took) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/var/tmp/bagboard-bench-durable"))
    parser.add_argument("--wrk", type=int, default=0, metavar="SECONDS")
    args = parser.parse_args()
    work = args.work.resolve()
    indexed, paths = _library(work)
    rates: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
    p50s: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
    wrk_rates: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
    print(f"{args.writes} sequential PUT /api/v1/progress per run, one connection; {work}")
    print(f"fdatasync after a 4 KiB overwrite there: p50 {_sync_latency(work):.2f} ms")
    for run in range(1, args.runs + 1):
        for level in ("NORMAL", "FULL") if run % 2 else ("FULL", "NORMAL"):
            took, wrk = _run(level, indexed, work, paths, args.writes, args.wrk)
            rate = len(took) / sum(took)
            rates[level].append(rate)
            p50, p99 = (statistics.quantiles(took, n=100)[i] * 1000 for i in (49, 98))
            p50s[level].append(p50)
            line = f"run {run} {level:6}  {rate:7.0f} writes/s  p50 {p50:.2f} ms  p99 {p99:.2f} ms"
            if wrk is not None:
                wrk_rates[level].append(wrk.rps)
                line += f"  | wrk {wrk.rps:.0f}/s p50 {wrk.p50:.2f} ms, non-2xx {wrk.non2xx}"
            print(line)
    normal, full = (statistics.median(rates[level]) for level in ("NORMAL", "FULL"))
    print(
        f"medians: NORMAL {normal:.0f} writes/s (p50 {statistics.median(p50s['NORMAL']):.2f} ms), "
        f"FULL {full:.0f} writes/s (p50 {statistics.median(p50s['FULL']):.2f} ms); "
        f"FULL/NORMAL {full / normal:.2f}"
    )
    # Each run's two servers ran back to back: their ratio cancels slower drifts of the load.
    paired = [f / n for f, n in zip(rates["FULL"], rates["NORMAL"], strict=True)]
    print(f"FULL/NORMAL run by run: {' '.join(f'{r:.2f}' for r in paired)}; "
          f"median {statistics.median(paired):.2f}")  # fmt: skip
    if args.wrk:
        normal, full = (statistics.median(wrk_rates[level]) for level in ("NORMAL", "FULL"))
        ratio = full / normal
        print(f"wrk medians: NORMAL {normal:.0f}/s, FULL {full:.0f}/s; FULL/NORMAL {ratio:.2f}")


if __name__ == "__main__":
    main()
