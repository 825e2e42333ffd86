"""Fixtures for tests that run ``bagboard`` as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first_answer(
    url: str,
    process: subprocess.Popen[Any],
    *,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    explain: Callable[[], str] = lambda: "",
) -> httpx.Response:
    """The first answer of a server started as ``process`` to a GET of ``url``; fails (with
    ``explain()``) if the process ends or nothing answers within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, headers=headers, timeout=1)
        except httpx.TransportError:
            assert process.poll() is None, f"the server stopped: {explain()}"
            assert time.monotonic() < deadline, f"the server never answered: {explain()}"
            time.sleep(0.1)


def bagboard(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bagboard.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


@pytest.fixture
def comics(tmp_path: Path) -> Path:
    folder = tmp_path / "comics"
    folder.mkdir()
    return folder


@contextmanager
def serving(
    *options: str,
    data_dir: Path,
    log: Path,
    ready: str = "/api/v1/auth/ping",
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Iterator[str]:
    """A ``bagboard serve`` process on 127.0.0.1 at a free port, with ``options``; yields its
    address once ``ready`` answers, and stops it afterwards. Its log goes to the file ``log``:
    a pipe nobody reads would stall a server that talks a lot."""
    port = free_port()
    command = [sys.executable, "-m", "bagboard.cli", "serve", *options]
    command += ["--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        first_answer(
            base + ready,
            process,
            headers=headers,
            timeout=timeout,
            explain=lambda: log.read_text(errors="replace"),
        )
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def server(tmp_path: Path, comics: Path) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path / "data"
    with serving("--library", str(comics), data_dir=data_dir, log=tmp_path / "serve.log") as base:
        yield base, data_dir
