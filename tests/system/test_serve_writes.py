"""A write that waits for the database does not hold up the rest of the server."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.archive_factory import jpeg, write_cbz
from tests.system.conftest import bagboard


@pytest.fixture
def comic(comics: Path) -> Path:
    """Written before the server starts (requested first), so its first scan finds it."""
    path = comics / "Pub" / "Series" / "Issue 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {"p1.jpg": jpeg((10, 10, 200), (60, 90))})
    return path


def test_reads_are_answered_while_a_write_waits_for_a_lock(
    comic: Path, server: tuple[str, Path]
) -> None:
    base, data_dir = server
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    publishers = base + "/api/v1/library/publishers?mode=filesystem"
    deadline = time.monotonic() + 30
    while not httpx.get(publishers, headers=headers).json()["items"]:
        assert time.monotonic() < deadline, "the comic was never indexed"
        time.sleep(0.3)

    # Another process holds the write lock, as a scan committing a large batch does.
    holder = sqlite3.connect(data_dir / "bagboard.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    answers: list[httpx.Response] = []
    write = threading.Thread(
        target=lambda: answers.append(
            httpx.put(
                base + "/api/v1/library/favorites",
                json={"path": str(comic.parent)},
                headers=headers,
                timeout=30,
            )
        )
    )
    try:
        write.start()
        time.sleep(0.5)  # the write is now waiting for the lock
        started = time.monotonic()
        read = httpx.get(publishers, headers=headers, timeout=30)
        waited = time.monotonic() - started
        assert read.status_code == 200 and read.json()["items"][0]["name"] == "Pub"
        assert waited < 1.5, f"a read waited {waited:.1f} s behind a blocked write"
        assert write.is_alive()  # still waiting: the read did not come after it
    finally:
        holder.rollback()
        holder.close()
        write.join(timeout=30)
    # Once the lock is gone the write either went through or was told to retry.
    assert answers and answers[0].status_code in (200, 503)
