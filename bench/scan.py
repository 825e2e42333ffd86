"""Measure indexing speed: fresh import, no-change rescan, rescan after touching 1% of files.

    .venv/bin/python bench/scan.py [--comics 10000 100000] [--work DIR] [--runs 3]
        [--database-url URL]
    .venv/bin/python bench/scan.py --library DIR --against OTHER/src [--runs 3]

For each size it writes (or reuses) a synthetic library with bench/make_library.py's generator,
then runs ``bagboard scan`` in a fresh process for every measurement so peak RSS is the scan's
own. Prints a Markdown table of medians over ``--runs`` runs.

``--against`` measures fresh imports only, of an existing library (``--library``, only read),
side by side: this checkout and the ``src`` folder of another one, alternating, with a fresh
data folder (and database) every run. It prints each run and the medians with their ratio;
on a busy machine, only the ratio means much.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bagboard.demo import make_library


@dataclass
class Run:
    seconds: float
    wall: float
    files: int
    rss_mib: float
    report: dict[str, object]
    cpu: float = 0.0  # the command's own CPU seconds (user + system), start-up included
    pool_cpu: float = 0.0  # its pool's processes' (the forkserver and the workers)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _note_descendants(root: int, seen: dict[int, float]) -> None:
    """The CPU seconds so far of every process below ``root``, from Linux's ``/proc``: the
    pool's processes are no children the command waits for, so ``getrusage`` misses them.
    Polled, so each misses at most its last interval."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        times[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        seen[pid] = max(seen.get(pid, 0.0), times[pid])
        todo += children.get(pid, [])


def _scan(
    data_dir: Path,
    library: Path,
    database_url: str | None,
    *extra: str,
    env: dict[str, str] | None = None,
) -> Run:
    command = [
        sys.executable,
        "-m",
        "bagboard.cli",
        "scan",
        "--json",
        "--data-dir",
        str(data_dir),
        "--library",
        str(library),
        *extra,
    ]
    if database_url:
        command += ["--database-url", database_url]
    started, cpu = time.perf_counter(), _children_cpu()
    pool: dict[int, float] = {}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        while process.poll() is None:
            if sys.platform == "linux":
                _note_descendants(process.pid, pool)
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if process.returncode != 0:
        raise SystemExit(f"scan failed ({process.returncode}):\n{stderr}")
    reports = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    report = reports[-1]
    # Unreadable files are already counted among the new or changed ones.
    files = sum(int(str(report.get(k, 0))) for k in ("new", "changed", "moved", "unchanged"))
    # Rates use the scan's own elapsed time; process start-up (imports, migrations) is
    # reported separately as wall time.
    scan_seconds = float(str(report.get("elapsed", seconds))) or seconds
    rss = float(str(report.get("peak_rss_mib", 0)))
    return Run(scan_seconds, seconds, files, rss, report, cpu, sum(pool.values()))


def _reset_database(data_dir: Path, database_url: str | None) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    if database_url:
        _drop_postgres_tables(database_url)


def _drop_postgres_tables(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _touch_one_percent(library: Path) -> int:
    files = sorted(p for p in library.rglob("*.cbz"))
    step = 100
    now = time.time()
    touched = 0
    for path in files[::step]:
        os.utime(path, (now, now))
        touched += 1
    return touched


def measure(
    size: int, work: Path, runs: int, database_url: str | None, extra: tuple[str, ...] = ()
) -> dict[str, float]:
    library = work / f"library-{size}"
    started = time.perf_counter()
    summary = make_library(library, size, seed=1)
    print(
        f"library of {summary.comics} comics ready in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )
    fresh, rescan, touched, rss, wall = [], [], [], [], []
    for index in range(runs):
        data_dir = work / f"data-{size}"
        _reset_database(data_dir, database_url)
        first = _scan(data_dir, library, database_url, *extra)
        fresh.append(first.files / first.seconds)
        rss.append(first.rss_mib)
        wall.append(first.wall)
        again = _scan(data_dir, library, database_url, *extra)
        rescan.append(again.files / again.seconds)
        count = _touch_one_percent(library)
        after = _scan(data_dir, library, database_url, *extra)
        touched.append(after.seconds)
        print(
            f"run {index + 1}: fresh {first.seconds:.1f}s (process {first.wall:.1f}s), "
            f"rescan {again.seconds:.2f}s, "
            f"after touching {count}: {after.seconds:.2f}s ({after.report.get('changed')} changed)",
            file=sys.stderr,
        )
    return {
        "comics": float(size),
        "fresh": statistics.median(fresh),
        "rescan": statistics.median(rescan),
        "touched": statistics.median(touched),
        "rss": max(rss),
        "wall": statistics.median(wall),
    }


def compare(
    library: Path, against: Path, work: Path, runs: int, database_url: str | None
) -> dict[str, float]:
    """Fresh imports of ``library``: the ``src`` at ``against`` and this one, alternating."""
    here = Path(__file__).resolve().parents[1] / "src"
    rates: dict[str, list[float]] = {"other": [], "this": []}
    cpus: dict[str, list[float]] = {"other": [], "this": []}
    pools: dict[str, list[float]] = {"other": [], "this": []}
    for index in range(runs):
        for label, src in (("other", against), ("this", here)):
            env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{src.parent}"}
            data_dir = work / f"data-compare-{label}"
            _reset_database(data_dir, database_url)
            run = _scan(data_dir, library, database_url, env=env)
            rates[label].append(run.files / run.seconds)
            cpus[label].append(run.cpu)
            pools[label].append(run.pool_cpu)
            print(
                f"run {index + 1} {label}: {run.files:,} comics in {run.seconds:.1f}s "
                f"({rates[label][-1]:,.0f}/s; process {run.wall:.1f}s; CPU {run.cpu:.1f}s "
                f"+ {run.pool_cpu:.1f}s in its pool)",
                file=sys.stderr,
                flush=True,
            )
    other, this = (statistics.median(rates[label]) for label in ("other", "this"))
    cpu_other, cpu_this = (statistics.median(cpus[label]) for label in ("other", "this"))
    pool_other, pool_this = (statistics.median(pools[label]) for label in ("other", "this"))
    return {
        "other": other,
        "this": this,
        "ratio": this / other,
        "cpu_other": cpu_other,
        "cpu_this": cpu_this,
        "pool_other": pool_other,
        "pool_this": pool_this,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comics", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bagboard-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", default=None, help="passed to bagboard scan --workers")
    parser.add_argument("--library", type=Path, help="an existing library, for --against")
    parser.add_argument("--against", type=Path, help="another checkout's src folder")
    args = parser.parse_args()
    if args.against is not None:
        if args.library is None:
            raise SystemExit("--against needs --library")
        result = compare(args.library, args.against, args.work, args.runs, args.database_url)
        print(
            f"\nfresh import of {args.library.name}, median of {args.runs} runs each, "
            f"alternating: {result['other']:,.0f} comics/s ({args.against}) vs "
            f"{result['this']:,.0f} comics/s (this checkout), ratio {result['ratio']:.2f}; "
            f"CPU seconds of the command + its pool: {result['cpu_other']:.1f} + "
            f"{result['pool_other']:.1f} vs {result['cpu_this']:.1f} + {result['pool_this']:.1f}"
        )
        return 0
    extra = ("--workers", args.workers) if args.workers is not None else ()
    rows = [measure(n, args.work, args.runs, args.database_url, extra) for n in args.comics]
    print(f"\nbagboard scan, median of {args.runs} runs, {os.cpu_count()} CPUs\n")
    print(
        "| comics | fresh import (comics/s) | fresh import, whole command (s) "
        "| no-change rescan (files/s) | rescan after touching 1% (s) | peak RSS (MiB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {int(row['comics']):,} | {row['fresh']:,.0f} | {row['wall']:.1f} "
            f"| {row['rescan']:,.0f} | {row['touched']:.2f} | {row['rss']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
