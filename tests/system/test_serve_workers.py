"""``serve --workers auto`` and ``N`` as real processes: one worker per CPU, each answering
requests, and what one process printed or was told honoured by every worker."""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bagboard.config import parse_workers
from tests.system.conftest import bagboard, serving

PASSWORD = "correct horse battery"


def _answering_pids(log: Path) -> set[int]:
    lines = log.read_text(errors="replace").splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return {e["pid"] for e in entries if e["logger"] == "bagboard.access"}


@pytest.mark.skipif(parse_workers("auto") < 2, reason="auto is one worker on one CPU")
def test_by_default_one_worker_per_cpu_answers(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    log = tmp_path / "serve.log"
    options = ("--no-watch", "--access-log", "--log-format", "json")  # auto, the default
    with serving(*options, data_dir=data_dir, log=log, headers=headers) as base:
        ping = base + "/api/v1/auth/ping"

        def ask(_: int) -> int:
            with httpx.Client(headers=headers) as client:  # a connection of its own
                return client.get(ping).status_code

        # Which worker accepts a connection is the kernel's choice, and a worker may still be
        # starting: ask, several at once, until more than one has answered.
        with ThreadPoolExecutor(8) as pool:
            for _ in range(100):
                assert set(pool.map(ask, range(16))) == {200}
                if len(_answering_pids(log)) > 1:
                    break
        text = log.read_text(errors="replace")
    expected = parse_workers("auto")
    assert f"answering from {expected} worker processes" in text
    assert len(_answering_pids(log)) > 1


def test_any_worker_takes_the_setup_link_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    log = tmp_path / "serve.log"
    with serving("--workers", "2", "--no-watch", data_dir=data_dir, log=log, ready="/") as base:
        links = re.findall(r"http://\S+/setup/(\S+)", log.read_text())
        assert len(links) == 1
        form = {"password": PASSWORD, "confirm": PASSWORD}
        url = f"{base}/setup/{links[0]}"
        # The server that printed the link answers no request: a worker took it.
        done = httpx.post(url, data=form)
        assert done.status_code == 303 and done.headers["location"] == "/"
        for _ in range(10):  # used: refused by whichever worker answers
            assert httpx.post(url, data=form).status_code == 404
        catalog = base + "/opds/v1.2/catalog"
        assert httpx.get(catalog, auth=("owner", PASSWORD)).status_code == 200


def test_every_worker_reports_the_scan_the_server_ran(tmp_path: Path) -> None:
    comics = tmp_path / "comics"
    comics.mkdir()
    data_dir = tmp_path / "data"
    log = tmp_path / "serve.log"
    options = ("--workers", "2", "--library", str(comics))
    with serving(*options, data_dir=data_dir, log=log, ready="/") as base:
        links = re.findall(r"http://\S+/setup/(\S+)", log.read_text())
        form = {"password": PASSWORD, "confirm": PASSWORD}
        signed_in = httpx.post(f"{base}/setup/{links[0]}", data=form)
        assert signed_in.status_code == 303
        url = f"{base}/web/api/admin/libraries/1/scan"

        def states() -> set[str]:
            # A connection of its own each: whichever worker the kernel hands it to answers.
            return {httpx.get(url, cookies=signed_in.cookies).json()["state"] for _ in range(12)}

        # The start-up scan runs in the server process, which answers no request.
        for _ in range(150):
            if "done" in states():
                break
        assert states() == {"done"}


_SLOW_START = """
import sys, time
if any("spawn_main" in arg for arg in sys.orig_argv):
    time.sleep(7)
"""


def test_workers_slow_to_start_are_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that takes longer than uvicorn's own five seconds to start (a slow machine,
    a busy one) is waited for, not killed and started again forever."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_SLOW_START)
    paths = [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    data_dir, log = tmp_path / "data", tmp_path / "serve.log"
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    options = ("--workers", "2", "--no-watch")
    with serving(*options, data_dir=data_dir, log=log, headers=headers, timeout=90) as base:
        assert httpx.get(base + "/api/v1/auth/ping", headers=headers).status_code == 200
    assert "died" not in log.read_text(errors="replace")
