"""``bagboard demo``: a newcomer's first command writes, indexes and serves a library."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.system.conftest import first_answer, free_port


def test_demo_builds_indexes_and_serves_with_a_working_token(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bagboard.cli",
            "demo",
            "--comics",
            "120",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        token_line = process.stdout.readline().strip()
        curl_line = process.stdout.readline().strip()
        assert token_line.startswith("TOKEN=")
        token = token_line.removeprefix("TOKEN=")
        assert curl_line == (
            f'curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:{port}/api/v1/auth/ping'
        )
        answer = first_answer(
            f"http://127.0.0.1:{port}/api/v1/auth/ping",
            process,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200 and answer.json()["ok"] is True
        db = sqlite3.connect(data_dir / "bagboard.db")
        (count,) = db.execute("select count(*) from comics").fetchone()
        (errors,) = db.execute("select count(*) from comics where error is not null").fetchone()
        db.close()
        assert count == 120
        assert errors >= 1  # the demo library carries a few corrupt files on purpose
        assert (data_dir / "demo-library").is_dir()
    finally:
        process.terminate()
        process.wait(timeout=10)
