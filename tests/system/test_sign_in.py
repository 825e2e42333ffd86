"""Passwords with a real ``bagboard serve``: the first-run link in its banner, and a password
set with ``bagboard user password`` taken as HTTP Basic by OPDS."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.system.conftest import bagboard, serving

PASSWORD = "correct horse battery"


def set_password(name: str, password: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bagboard.cli", "user", "password", name, "--data-dir",
         str(data_dir)],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip


def test_the_first_run_banner_carries_a_one_time_setup_link(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    log = tmp_path / "serve.log"
    with serving(data_dir=data_dir, log=log, ready="/") as base:
        text = log.read_text()
        links = re.findall(r"http://\S+/setup/(\S+)", text)
        assert len(links) == 1 and len(links[0]) >= 40
        assert f"{base}/setup/{links[0]}" in text
        assert "works once, for 10 minutes, only from 127.0.0.1" in text


def test_a_password_set_on_the_command_line_opens_opds(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    bagboard("user", "add", "alice", "--role", "owner", data_dir=data_dir)
    done = set_password("alice", PASSWORD, data_dir)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    log = tmp_path / "serve.log"
    with serving(data_dir=data_dir, log=log, ready="/") as base:
        catalog = base + "/opds/v1.2/catalog"
        assert httpx.get(catalog, auth=("alice", PASSWORD)).status_code == 200
        assert httpx.get(catalog, auth=("alice", PASSWORD + "!")).status_code == 401
        assert httpx.get(catalog, auth=("alice", PASSWORD)).status_code == 200
        # An owner has a password: no setup link is printed.
        assert "/setup/" not in log.read_text()
        assert PASSWORD not in log.read_text()
