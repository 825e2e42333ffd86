"""Comic file downloads of two checkouts side by side, over HTTP, on one indexed library.

    .venv/bin/python bench/downloads.py --work DIR --base ../old-checkout --new . \
        [--database-url URL [--base-database-url URL]] [--rounds 3] [--duration 5]
        [--connections 8] [--threads 2] [--profile SECONDS] [--issue ID]

``DIR`` holds ``library`` (a folder of comics, or a link to one, e.g. bench/clu.py's), and a
data folder already indexed from it with a token: ``data-sqlite`` and ``token-sqlite``, or with
``--database-url`` ``data-pg`` and ``token-pg`` (``bagboard scan`` then ``bagboard token
create``). Each checkout gets its own copy of that data folder (on PostgreSQL the same
database, or with ``--base-database-url`` the base's copy of it, made by ``createdb -T``) and
its own ``bagboard serve``, started with that checkout's ``src`` first on ``PYTHONPATH``. Both
run at once, and wrk drives them in turn, base then new, ``--rounds`` times, on the file
nearest 140 KB (bench/clu.py's "download" row) or on comic ``--issue``. Medians of req/s and
p99 are printed, and the server process's CPU time per request (from /proc; PostgreSQL's own
is not in it), the figure other work on the machine moves least, with new/base. Alternating
makes the ratios meaningful while other work shares the CPUs; the absolute figures are not.

``--profile SECONDS`` samples the new server with py-spy during one more run and prints the
summary of bench/http_profile.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import http_profile
import http_wrk
from http_server import call, fetch, free_port, stop, wait_answering
from http_targets import choose

# What ``bagboard serve`` logs once its start-up scan is over, or when another process scans.
_SCANNED = ("bagboard.services.monitor: scanned", "another process scans the libraries")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process ``pid`` (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Checkout:
    """``bagboard serve`` of the checkout at ``root`` on a copy of ``data``."""

    def __init__(self, label: str, root: Path, data: Path, url: str | None, work: Path) -> None:
        self.label = label
        self.data = work / f"{data.name}-{label}"
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.copytree(data, self.data)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "bagboard.cli", "serve", "--port", str(self.port),
                   "--data-dir", str(self.data)]  # fmt: skip
        if url:
            command += ["--database-url", url]
        source = root.resolve()
        env = {**os.environ, "PYTHONPATH": f"{source / 'src'}:{source}"}
        self.log = work / f"serve-{label}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=source
            )

    def wait_ready(self, token: str) -> None:
        ping = lambda: call(self.base, token, "/api/v1/auth/ping")  # noqa: E731
        wait_answering(ping, self.process, self.log, self.label, seconds=120, pause=0.2)
        deadline = time.monotonic() + 300
        while not any(line in self.log.read_text() for line in _SCANNED):
            if time.monotonic() > deadline:
                print(f"warning: {self.label}: no end of the start-up scan", file=sys.stderr)
                return
            time.sleep(0.2)

    def stop(self) -> None:
        stop(self.process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--base", type=Path, required=True, help="the old checkout")
    parser.add_argument("--new", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--database-url", default=None, help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--base-database-url",
        default=None,
        help="the base's own copy of that database (default: the same database; then only "
        "one of the two servers scans the libraries it watches)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, metavar="SECONDS")
    parser.add_argument(
        "--issue", type=int, default=None, help="the comic to download (default: ~140 KB)"
    )
    args = parser.parse_args()
    kind = "pg" if args.database_url else "sqlite"
    token = (args.work / f"token-{kind}").read_text().strip()
    data = args.work / f"data-{kind}"
    base_url = args.base_database_url or args.database_url
    servers = [
        Checkout("base", args.base, data, base_url, args.work),
        Checkout("new", args.new, data, args.database_url, args.work),
    ]
    results: dict[str, list[http_wrk.Result]] = {s.label: [] for s in servers}
    cpu: dict[str, list[float]] = {s.label: [] for s in servers}
    try:
        for server in servers:
            server.wait_ready(token)
        path = (
            dict(choose(servers[0].base, token).urls)["download (~140 KB file)"]
            if args.issue is None
            else f"/api/v1/issue/{args.issue}/download"
        )
        bodies = {fetch(server.base + path, token) for server in servers}
        assert len(bodies) == 1, "the two checkouts send different bytes"
        size = len(bodies.pop())
        print(f"{path}: {size:,} bytes", file=sys.stderr)

        def run(server: Checkout) -> http_wrk.Result:
            return http_wrk.run(
                server.base + path, token, duration=args.duration,
                connections=args.connections, threads=args.threads,
            )  # fmt: skip

        for server in servers:  # warm-up, not counted
            run(server)
        for n in range(args.rounds):
            for server in servers:
                before = _cpu_seconds(server.process.pid)
                result = run(server)
                spent = _cpu_seconds(server.process.pid) - before
                results[server.label].append(result)
                cpu[server.label].append(1e6 * spent / max(result.requests, 1))
                print(f"round {n + 1} {server.label}: {result.rps:,.0f} req/s, "
                      f"p99 {result.p99:.2f} ms, {cpu[server.label][-1]:.0f} us CPU/request, "
                      f"non-2xx {result.non2xx}", file=sys.stderr, flush=True)  # fmt: skip
        if args.profile:
            raw = args.work / f"profile-download-{kind}.txt"
            spy = http_profile.start(servers[1].process.pid, args.profile, raw)
            if spy is not None:
                run(servers[1])
                spy.wait(timeout=args.profile + 60)
                print("\n".join(["```", *http_profile.summary(raw, top=25), "```"]))
    finally:
        for server in servers:
            server.stop()
    rps = {label: statistics.median(r.rps for r in rows) for label, rows in results.items()}
    p99 = {label: statistics.median(r.p99 for r in rows) for label, rows in results.items()}
    print(f"\ndownload of a {size:,}-byte CBZ, {'PostgreSQL' if args.database_url else 'SQLite'}; "
          f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, base and new in "
          f"turn, median of {args.rounds}; {os.cpu_count()} CPUs shared\n")  # fmt: skip
    per = {label: statistics.median(rows) for label, rows in cpu.items()}
    print("| checkout | req/s | p99 ms | server CPU us/request |\n|---|---:|---:|---:|")
    for label in rps:
        print(f"| {label} | {rps[label]:,.0f} | {p99[label]:.2f} | {per[label]:.0f} |")
    print(f"| new / base | {rps['new'] / rps['base']:.2f}x | {p99['new'] / p99['base']:.2f}x "
          f"| {per['new'] / per['base']:.2f}x |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
