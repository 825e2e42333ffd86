"""``serve --access-log --log-format json`` writes one JSON object per event to stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
