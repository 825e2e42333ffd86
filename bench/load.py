"""A mixed, realistic load on a real ``bagboard serve`` while a rescan runs.

    .venv/bin/python bench/load.py [--comics 100000] [--work DIR] [--database-url URL]
        [--clients 32] [--duration 60] [--workers 1]

Reuses (or writes) the synthetic library of ``bench/api.py``, indexes it, starts ``bagboard
serve --no-watch`` and, from ``--clients`` concurrent clients for ``--duration`` seconds, mixes
what reader apps do: browse lists (both modes, random pages), issue details, covers, page
lists, downloads (whole files and resumed ranges), progress writes and the sync feed. Full
rescans (``bagboard scan --full``) run one after another in another process meanwhile. Each
client writes positions for comics of its own, with increasing pages; at the end every
acknowledged write is read back. Prints throughput, latency percentiles per kind of request,
errors, lost writes and the server's memory over the run; exits 1 on any error or lost write.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from api import _bagboard, _free_port  # the sibling benchmark

from bagboard.demo import make_library

# Relative weights of each kind of request in the mix.
MIX = {
    "browse": 30,
    "issues": 15,
    "detail": 10,
    "cover": 15,
    "pages": 5,
    "download": 5,
    "range": 5,
    "progress_put": 10,
    "since": 5,
}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # path -> last page written

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 10:
            self.examples.append(f"{kind}: {what}")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _catalogue(client: httpx.AsyncClient) -> tuple[list[dict[str, Any]], list[str]]:
    """Comics (id, path) and series names, read from the server itself."""
    series: list[str] = []
    for page in (1, 2, 3):
        body = (await client.get("/library/series", params={"page": page, "page_size": 200})).json()
        series += [item["value"] for item in body["items"]]
    comics: list[dict[str, Any]] = []
    for name in series[:150]:
        body = (await client.get("/library/issues", params={"series": name})).json()
        comics += body["items"]
    return comics, series


async def _client(
    number: int,
    clients: int,
    client: httpx.AsyncClient,
    comics: list[dict[str, Any]],
    series: list[str],
    deadline: float,
    tally: Tally,
) -> None:
    rng = random.Random(number)
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    # Positions are written for comics of this client's own, so writes never race each other.
    mine = comics[number::clients][:20] or comics[:1]
    pages = dict.fromkeys((c["path"] for c in mine), 0)
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        comic = rng.choice(comics)
        url, method, body = "", "GET", None
        params: dict[str, str | int] = {}
        headers: dict[str, str] = {}
        if kind == "browse":
            mode = rng.choice(("metadata", "filesystem"))
            if mode == "metadata":
                url, params = "/library/series", {"mode": mode, "page": rng.randint(1, 20)}
            else:
                url, params = "/library/publishers", {"mode": mode}
        elif kind == "issues":
            url, params = "/library/issues", {"series": rng.choice(series)}
        elif kind == "detail":
            url = f"/issue/{comic['id']}"
        elif kind == "cover":
            url = f"/issue/{comic['id']}/cover"
        elif kind == "pages":
            url = f"/issue/{comic['id']}/pages"
        elif kind == "download":
            url = f"/issue/{comic['id']}/download"
        elif kind == "range":
            url, headers = f"/issue/{comic['id']}/download", {"Range": "bytes=1000-9999"}
        elif kind == "since":
            url, params = "/progress/since", {"ts": 0, "page_size": 50}
        else:
            path = rng.choice(list(pages))
            pages[path] += 1
            method, url = "PUT", "/progress"
            body = {"path": path, "page_number": pages[path], "total_pages": 10_000}
        started = time.perf_counter()
        try:
            answer = await client.request(method, url, params=params, headers=headers, json=body)
        except httpx.HTTPError as exc:
            tally.error(kind, f"{type(exc).__name__} {url}")
            continue
        tally.latencies[kind].append(time.perf_counter() - started)
        expected = {"range": (206,), "cover": (200, 404, 422), "pages": (200, 422)}
        # A corrupt comic (the library holds a few) has no cover nor pages: its answers are
        # the documented 404/422, not failures.
        if answer.status_code not in expected.get(kind, (200,)):
            tally.error(kind, f"{answer.status_code} {url} {answer.text[:120]}")
        elif kind == "progress_put":
            assert body is not None
            tally.acknowledged[body["path"]] = body["page_number"]


async def _read_back(client: httpx.AsyncClient, tally: Tally) -> int:
    lost = 0
    for path, page in tally.acknowledged.items():
        answer = await client.get("/progress", params={"path": path})
        stored = answer.json()
        if answer.status_code != 200 or stored is None or stored["page_number"] != page:
            lost += 1
    return lost


async def _run(base: str, token: str, args: argparse.Namespace, tally: Tally) -> int:
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(
        base_url=base + "/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        limits=limits,
        timeout=60,
    ) as client:
        comics, series = await _catalogue(client)
        deadline = time.monotonic() + args.duration
        await asyncio.gather(
            *(
                _client(n, args.clients, client, comics, series, deadline, tally)
                for n in range(args.clients)
            )
        )
        return await _read_back(client, tally)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comics", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bagboard-bench-api"))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    library = args.work / f"library-{args.comics}"
    print(make_library(library, args.comics, seed=1).describe(), file=sys.stderr)
    backend = "postgresql" if args.database_url else "sqlite"
    data = args.work / f"data-{args.comics}-{backend}"
    _bagboard("scan", "--library", str(library), data=data, url=args.database_url)
    token = _bagboard("token", "create", "--name", "load", data=data, url=args.database_url)
    port = _free_port()
    storage = ["--data-dir", str(data)]
    if args.database_url:
        storage += ["--database-url", args.database_url]
    cli = [sys.executable, "-m", "bagboard.cli"]
    server = subprocess.Popen(
        [*cli, "serve", "--no-watch", "--port", str(port), "--workers", str(args.workers),
         *storage],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    memory: list[int] = []
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/v1/auth/ping", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        rescans: list[int] = []
        running = threading.Event()
        running.set()

        def rescan_while_loaded() -> None:
            while running.is_set():
                done = subprocess.run(
                    [*cli, "scan", "--full", *storage], capture_output=True, check=False
                )
                rescans.append(done.returncode)

        rescanner = threading.Thread(target=rescan_while_loaded, daemon=True)
        rescanner.start()

        async def sample() -> None:
            while True:
                memory.append(_rss_kib(server.pid))
                await asyncio.sleep(1)

        async def everything() -> int:
            sampler = asyncio.create_task(sample())
            try:
                return await _run(base, token.strip(), args, tally)
            finally:
                sampler.cancel()

        started = time.monotonic()
        lost = asyncio.run(everything())
        elapsed = time.monotonic() - started
        running.clear()
        rescanner.join(timeout=600)
        rescan_failures = sum(1 for rc in rescans if rc != 0)
    finally:
        server.terminate()
        server.wait(timeout=30)

    total = sum(len(v) for v in tally.latencies.values())
    every = [x for v in tally.latencies.values() for x in v]
    errors = sum(tally.errors.values())
    print(
        f"\n{args.clients} clients for {args.duration} s on {backend}, {args.comics:,} comics, "
        f"{args.workers} server process(es); {len(rescans)} full rescans alongside, "
        f"{rescan_failures} failed\n"
    )
    print("| requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {total:,} | {total / elapsed:,.0f} | {_percentile(every, 0.5):.1f} "
        f"| {_percentile(every, 0.95):.1f} | {_percentile(every, 0.99):.1f} |\n"
    )
    print("| kind | requests | p50 (ms) | p95 (ms) | errors |")
    print("|---|---:|---:|---:|---:|")
    for kind in MIX:
        values = tally.latencies.get(kind, [])
        if values:
            print(
                f"| {kind} | {len(values):,} | {_percentile(values, 0.5):.1f} "
                f"| {_percentile(values, 0.95):.1f} | {tally.errors.get(kind, 0)} |"
            )
    third = max(1, len(memory) // 3)
    print(
        f"\nerrors: {errors}; progress writes acknowledged: {len(tally.acknowledged)} comics, "
        f"lost: {lost}"
    )
    if memory:
        print(
            f"server RSS (MiB): first third median {statistics.median(memory[:third]) / 1024:.0f}, "
            f"last third median {statistics.median(memory[-third:]) / 1024:.0f}, "
            f"peak {max(memory) / 1024:.0f}"
        )
    for example in tally.examples:
        print("  " + example)
    return 1 if errors or lost or rescan_failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
