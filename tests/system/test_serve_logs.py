"""``serve --access-log --log-format json`` writes one JSON object per event to stderr, from
the server and from each of its worker processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.system.conftest import bagboard, first_answer, free_port


def test_json_logs_with_an_access_line_per_request(tmp_path: Path, comics: Path) -> None:
    data_dir = tmp_path / "data"
    bagboard("db", "upgrade", data_dir=data_dir)
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    port = free_port()
    command = [
        sys.executable, "-m", "bagboard.cli", "serve", "--library", str(comics),
        "--data-dir", str(data_dir), "--port", str(port),
        "--access-log", "--log-format", "json",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}/api/v1/auth/ping"
    try:
        answer = first_answer(base, process, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    entries = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    access = [e for e in entries if e["logger"] == "bagboard.access"]
    assert [(e["method"], e["path"], e["status"]) for e in access] == [
        ("GET", "/api/v1/auth/ping", 200)
    ]
    assert isinstance(access[0]["user_id"], int) and access[0]["duration_ms"] >= 0
    assert any(e["logger"].startswith("uvicorn") for e in entries)  # the server's own, as JSON
    assert token not in stderr


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def test_worker_processes_log_as_asked_and_end_with_a_killed_server(
    tmp_path: Path, comics: Path
) -> None:
    data_dir = tmp_path / "data"
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    port = free_port()
    command = [
        sys.executable, "-m", "bagboard.cli", "serve", "--workers", "2", "--no-watch",
        "--data-dir", str(data_dir), "--port", str(port),
        "--access-log", "--log-format", "json",
    ]  # fmt: skip
    # Whatever the environment says, the workers do what the command line asked.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "BAGBOARD_LOG_FORMAT": "text"}
    env |= {"BAGBOARD_ACCESS_LOG": "", "BAGBOARD_DATA_DIR": "", "BAGBOARD_DATABASE_URL": ""}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sink, env=env)
    url = f"http://127.0.0.1:{port}/api/v1/auth/ping"
    workers: list[int] = []
    try:
        headers = {"Authorization": f"Bearer {token}"}
        assert first_answer(url, process, headers=headers).status_code == 200
        for _ in range(8):
            assert httpx.get(url, headers=headers).status_code == 200
        # A credential in the query string (as some clients send one) never reaches a log.
        leaky = httpx.get(url, params={"token": token, "api_key": token}, headers=headers)
        assert leaky.status_code == 200
        workers = [pid for pid in _children(process.pid) if b"spawn_main" in _cmdline(pid)]
        assert len(workers) == 2
        # One worker may answer every request while the other is still starting (a busy
        # machine): wait until both have said they serve before the kill.
        started = time.monotonic() + 60
        while log.read_bytes().count(b"Started server process") < 2:
            assert time.monotonic() < started, "a worker never started serving"
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, "worker processes outlived the killed server"
        time.sleep(0.1)
    lines = log.read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    access = [e for e in entries if e["logger"] == "bagboard.access"]
    assert len(access) == 10 and {e["status"] for e in access} == {200}
    served_by = {e["message"] for e in entries if e["message"].startswith("Started server process")}
    assert len(served_by) == 2  # both workers logged, as JSON
    assert not [e for e in entries if e["logger"] == "uvicorn.access"]  # bagboard's line only
    assert token not in log.read_text()
    assert any("token=%2A%2A%2A" in e["path"] for e in access)  # "***", URL-encoded


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
