"""The bagboard processes bench/clu.py drives: the CLI, and ``bagboard serve`` with its memory."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any


def bagboard(*args: str, data: Path, url: str | None) -> str:
    """Run a ``bagboard`` command in a fresh process and return its stdout."""
    command = [sys.executable, "-m", "bagboard.cli", *args, "--data-dir", str(data)]
    if url:
        command += ["--database-url", url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bagboard {args[0]} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def recreate_database(url: str) -> None:
    """Drop and create the PostgreSQL database named in ``url``, for a fresh import."""
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    name = target.database or ""
    if "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: its name must contain 'bench'")
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def bench_folders(work: Path, comics: int, url: str | None, seed: int = 1) -> tuple[Path, Path]:
    """Where bench/clu.py keeps its plain library of ``comics`` comics and the data folder
    indexing it (on PostgreSQL when ``url`` is given), in ``work``."""
    library = work / f"library-plain-{comics}-seed{seed}-4x800x1200-q80"
    return library, work / f"data-{comics}-{'postgresql' if url else 'sqlite'}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(base: str, token: str, path: str, body: object = None, **params: str) -> Any:
    """One request to the API: GET, or PUT with ``body`` as JSON; the decoded JSON answer."""
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    request = urllib.request.Request(
        f"{base}{path}{query}",
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def fetch(url: str, token: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        data: bytes = answer.read()
        return data


def _tree(pid: int) -> list[int]:
    """``pid`` and every descendant, from /proc's children lists."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait_answering(
    ask: Callable[[], object],
    process: subprocess.Popen[Any],
    log: Path,
    label: str,
    seconds: float = 60,
    pause: float = 0.1,
) -> None:
    """Until ``ask()`` no longer fails with ``OSError`` (the server answers); ``SystemExit``
    with the server's log when ``process`` ends first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            ask()
            return
        except OSError as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{label} did not start:\n{log.read_text()}") from exc
            time.sleep(pause)


def stop(process: subprocess.Popen[Any], timeout: float = 30) -> None:
    """Ask ``process`` to end; killed if it has not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Server:
    """``bagboard serve`` with default settings (or ``workers`` worker processes) on a free
    port of 127.0.0.1.

    While it runs, a thread samples the resident memory of its whole process tree (it may
    start workers) every 0.1 s; ``peak_mib`` is the largest sum seen, ``hwm_mib`` the sum of
    each process's own peak (VmHWM), an upper bound read when asked.
    """

    def __init__(self, data: Path, url: str | None, log: Path, workers: str | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "bagboard.cli", "serve", "--port", str(self.port),
                   "--data-dir", str(data)]  # fmt: skip
        if url:
            command += ["--database-url", url]
        if workers:
            command += ["--workers", workers]
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        self.pids: set[int] = {self.process.pid}
        self.children: list[str] = []  # every other process seen in the tree, and when
        self._peak_kib = 0
        self._hwm: dict[int, int] = {}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        started = time.monotonic()
        while not self._stop.wait(0.1):
            pids = _tree(self.process.pid)
            for pid in set(pids) - self.pids:
                try:
                    line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                except OSError:
                    continue
                seen = time.monotonic() - started
                self.children.append(f"{pid} after {seen:.0f} s: {line.decode()[:120].strip()}")
            self.pids.update(pids)
            self._peak_kib = max(self._peak_kib, sum(_status_kib(p, "VmRSS") for p in pids))
            for pid in pids:
                self._hwm[pid] = max(self._hwm.get(pid, 0), _status_kib(pid, "VmHWM"))

    @property
    def peak_mib(self) -> float:
        return self._peak_kib / 1024

    @property
    def hwm_mib(self) -> float:
        return sum(self._hwm.values()) / 1024

    def wait_ready(self, token: str, scan_timeout: float = 300) -> None:
        """Until the API answers and the scan serve starts with has logged its result."""
        ping = lambda: call(self.base, token, "/api/v1/auth/ping")  # noqa: E731
        wait_answering(ping, self.process, self.log, "bagboard serve")
        deadline = time.monotonic() + scan_timeout
        while "bagboard.services.monitor: scanned" not in self.log.read_text():
            if time.monotonic() > deadline:
                print("warning: no end of the start-up scan logged", file=sys.stderr)
                return
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._sampler.join()
        stop(self.process)
