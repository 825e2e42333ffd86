"""``bagboard serve`` as a real process on a real port: what a newcomer does from the README."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bagboard import __version__


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bagboard(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bagboard.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path / "data"
    comics = tmp_path / "comics"
    comics.mkdir()
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bagboard.cli",
            "serve",
            "--library",
            str(comics),
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/api/v1/auth/ping", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        process.stderr.read().decode() if process.stderr else ""
                    ) from None
                time.sleep(0.1)
        yield base, data_dir
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_readme_walkthrough(server: tuple[str, Path]) -> None:
    base, data_dir = server
    ping = base + "/api/v1/auth/ping"

    disabled = httpx.get(ping)
    assert disabled.status_code == 503
    assert disabled.json()["error"] == "api_disabled"
    assert httpx.get(ping, headers={"Authorization": "Bearer nonsense"}).status_code == 503

    token = _bagboard("token", "create", data_dir=data_dir).stdout.strip()
    ok = httpx.get(ping, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    assert ok.json() == {"ok": True, "version": __version__, "browse_mode": "metadata"}

    for header in (f"bearer {token}", f"Bearer {token}x", f"Basic {token}"):
        refused = httpx.get(ping, headers={"Authorization": header})
        assert refused.status_code == 401
        assert refused.json()["error"] == "unauthorized"

    unknown = httpx.get(
        base + "/api/v1/no/such/route", headers={"Authorization": f"Bearer {token}"}
    )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/json")
    assert unknown.json()["error"] == "not_found"

    second = _bagboard("token", "create", "--name", "tablet", data_dir=data_dir).stdout.strip()
    _bagboard("token", "revoke", "1", data_dir=data_dir)
    assert httpx.get(ping, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert httpx.get(ping, headers={"Authorization": f"Bearer {second}"}).status_code == 200

    _bagboard("settings", "set", "browse-mode", "filesystem", data_dir=data_dir)
    mode = httpx.get(ping, headers={"X-API-Key": second}).json()["browse_mode"]
    assert mode == "filesystem"
