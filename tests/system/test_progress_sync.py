"""Sixteen devices writing positions at once through a real ``bagboard serve`` (§6).

Two worker processes share the database, so writes really do run at the same time. Every
device of one user writes the same comic with its own timed writes (the newest must win,
whatever the interleaving) and its own comic with untimed ones (none may be lost).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from tests.archive_factory import jpeg, write_cbz
from tests.browse_support import BACKENDS, database_url
from tests.system.conftest import first_answer, free_port

DEVICES = 16
ROUNDS = 5


def start(data_dir: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "bagboard.cli", "serve", "--no-watch", "--workers", "2"]
    command += ["--data-dir", str(data_dir), "--database-url", url, "--port", str(port)]
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.fixture(params=BACKENDS)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    comics = tmp_path / "comics"
    comics.mkdir()
    for n in range(DEVICES + 1):
        write_cbz(comics / f"c{n:02}.cbz", {"p001.jpg": jpeg((n * 10, 20, 30))})
    data_dir = tmp_path / "data"
    with database_url(request.param, tmp_path) as url:
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(data_dir), database_url=url), workers=0
        )
        try:
            app.scanner().scan(app.libraries.add(str(comics.resolve())))
            tokens = [app.accounts.create_token().secret for _ in range(DEVICES)]
        finally:
            app.close()
        port = free_port()
        process = start(data_dir, url, port)
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            first_answer(
                base + "/auth/ping",
                process,
                timeout=60,
                explain=lambda: process.stderr.read().decode() if process.stderr else "",
            )
            yield base, comics.resolve(), tokens
        finally:
            process.terminate()
            process.wait(timeout=20)


def test_sixteen_devices_lose_no_write(served: tuple[str, Path, list[str]]) -> None:
    base, comics, tokens = served
    shared = str(comics / f"c{DEVICES:02}.cbz")
    # Every round starts on all devices at once, the first one creating the shared row.
    rounds = threading.Barrier(DEVICES)

    def device(n: int) -> list[int]:
        statuses: list[int] = []
        own = str(comics / f"c{n:02}.cbz")
        with httpx.Client(headers={"Authorization": f"Bearer {tokens[n]}"}, timeout=30) as client:
            for k in range(ROUNDS):
                rounds.wait(timeout=60)
                # Unique device times across devices: the newest is 1000 + 16*4 + 15.
                stamp = 1000 + k * DEVICES + n
                body = {"path": shared, "page_number": stamp, "updated_at": stamp}
                statuses.append(client.put(base + "/progress", json=body).status_code)
                # A row nobody has yet, created by every device at once.
                body = {"path": f"{comics}/new/{k}.cbz", "page_number": n, "updated_at": n}
                statuses.append(client.put(base + "/progress", json=body).status_code)
                body = {"path": own, "page_number": k + 1, "time_spent": k * 10}
                statuses.append(client.put(base + "/progress", json=body).status_code)
        return statuses

    with ThreadPoolExecutor(DEVICES) as pool:
        statuses = [status for result in pool.map(device, range(DEVICES)) for status in result]

    assert set(statuses) <= {200, 409}, statuses
    assert statuses.count(200) >= DEVICES * ROUNDS  # every untimed write applied
    client = httpx.Client(headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=30)
    newest = 1000 + (ROUNDS - 1) * DEVICES + DEVICES - 1
    current = client.get(base + "/progress", params={"path": shared}).json()
    assert (current["page_number"], current["client_updated_at"]) == (newest, newest)
    for n in range(DEVICES):
        own = client.get(base + "/progress", params={"path": str(comics / f"c{n:02}.cbz")})
        assert (own.json()["page_number"], own.json()["time_spent"]) == (ROUNDS, 10 * (ROUNDS - 1))

    for k in range(ROUNDS):
        fresh = client.get(base + "/progress", params={"path": f"{comics}/new/{k}.cbz"})
        assert fresh.json()["page_number"] == DEVICES - 1

    # One row per comic, each reported once, in order, through cursor pages.
    seen: list[dict[str, Any]] = []
    body = client.get(base + "/progress/since", params={"page_size": 5}).json()
    assert body["total"] == DEVICES + 1 + ROUNDS
    while True:
        seen.extend(body["items"])
        if not body["has_more"]:
            break
        params = {"cursor": body["next_cursor"], "page_size": 5}
        body = client.get(base + "/progress/since", params=params).json()
    assert sorted(item["comic_path"] for item in seen) == sorted(
        [
            shared,
            *(str(comics / f"c{n:02}.cbz") for n in range(DEVICES)),
            *(f"{comics}/new/{k}.cbz" for k in range(ROUNDS)),
        ]
    )
    listed = client.get(base + "/library/recent", params={"page_size": 50}).json()["items"]
    pages = {item["path"]: item["last_page"] for item in listed}
    assert pages[shared] == newest
