"""The writes a request makes, on the real app over each SQL backend, never hold up the
event loop. ``PUT /api/v1/progress``: on SQLite a write that need not wait is made on the
loop, with no thread hand-off; when another connection holds the lock, or on PostgreSQL, it
is made in a worker thread; either way the client gets the same answer and nothing is lost.
A token's last use: written by a thread of its own, so a request whose token is due for it
is answered while another writer holds the lock."""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import anyio.to_thread
import psycopg
import pytest

from bagboard.adapters.storage.db import nowait_writes
from bagboard.domain.tokens import hash_secret
from tests.browse_support import ASM, BACKENDS, World, auth, browse_world

FIRST = f"{ASM}/Amazing Spider-Man #1.cbz"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as found:
        yield found


@pytest.fixture(autouse=True)
def never_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded machine's slow commit must not rest the writes made at once here (resting is
    ``test_sql_nowait_writes.py``'s)."""
    monkeypatch.setattr(nowait_writes, "SLOW", math.inf)
    monkeypatch.setattr(nowait_writes, "TOO_SLOW", math.inf)


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each function run in a worker thread while the test runs."""
    handed: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(function, "__name__", repr(function)))
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return handed


def reader(world: World) -> str:
    """A new reader's token, its first use recorded: the write of a token's last use (once a
    minute, in a thread of its own) would otherwise hold SQLite's lock now and then."""
    token = world.new_reader()
    world.json("/api/v1/auth/ping", token)
    user_id = world.user_id(token)
    deadline = time.monotonic() + 10
    while not all(t.last_used_at for t in world.app.container.tokens().list(user_id)):
        assert time.monotonic() < deadline, "the token's last use was never recorded"
        time.sleep(0.01)
    return token


def put(world: World, token: str, page: int, **extra: Any) -> Any:
    body = {"path": f"{world.a}/{FIRST}", "page_number": page, "total_pages": 20, **extra}
    return world.client.put("/api/v1/progress", json=body, headers=auth(token))


def stored_page(world: World, token: str) -> int:
    found = world.json("/api/v1/progress", token, path=f"{world.a}/{FIRST}")
    return int(found["page_number"])


def sqlite_file(world: World) -> str | None:
    url = world.app.container.engine().url
    return url.database if url.get_backend_name() == "sqlite" else None


def test_a_write_is_made_without_a_thread_when_it_need_not_wait(
    world: World, hand_offs: list[str]
) -> None:
    token = reader(world)
    for page in (3, 4, 5):
        answer = put(world, token, page)
        assert answer.status_code == 200, answer.text
        assert answer.json()["page_number"] == page
    assert stored_page(world, token) == 5
    # PostgreSQL's writes are round trips to the server: always in a thread.
    expected = [] if sqlite_file(world) else ["save"] * 3
    assert hand_offs == expected


@contextmanager
def lock_held(world: World, seconds: float) -> Iterator[None]:
    """Another writer holding the locks a request's writes take, for ``seconds``: on SQLite
    the database's write lock (a scan's batch, say), on PostgreSQL the rows of every user and
    token."""
    url = world.app.container.engine().url
    if url.get_backend_name() == "sqlite":
        assert url.database
        holder: Any = sqlite3.connect(url.database, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = psycopg.connect(url.set(drivername="postgresql").render_as_string(False))
        holder.execute("SELECT id FROM users FOR UPDATE")
        holder.execute("SELECT id FROM api_tokens FOR UPDATE")
    released = threading.Timer(seconds, holder.rollback)
    released.start()
    try:
        yield
    finally:
        released.join()
        holder.close()


def test_a_write_that_would_wait_for_a_lock_is_made_in_a_thread(
    world: World, hand_offs: list[str]
) -> None:
    token = reader(world)
    started = time.monotonic()
    with lock_held(world, 0.3):
        answer = put(world, token, 7)
    assert answer.status_code == 200, answer.text
    assert time.monotonic() - started >= 0.3  # it did wait for the lock
    assert hand_offs == ["save"]  # waited for the lock in a thread, not on the loop
    assert stored_page(world, token) == 7


def test_a_stale_write_is_refused_the_same_way_on_either_path(world: World) -> None:
    token = reader(world)
    now = int(time.time())
    assert put(world, token, 9, updated_at=now - 100).status_code == 200
    refused = put(world, token, 2, updated_at=now - 1000)
    assert refused.status_code == 409
    assert refused.json()["current"]["page_number"] == 9
    assert stored_page(world, token) == 9


def test_a_request_is_answered_while_another_writer_holds_the_lock(world: World) -> None:
    token = world.new_reader()  # never used: its first use is recorded

    def last_used() -> datetime | None:
        (found,) = [t for t in tokens.list() if t.token_hash == hash_secret(token)]
        return found.last_used_at

    tokens = world.app.container.tokens()
    with lock_held(world, 0.5):
        answer = world.get("/api/v1/auth/ping", token)
        # Answered before the lock was released, not 503 after the busy timeout.
        assert answer.status_code == 200, answer.text
        assert last_used() is None
    deadline = time.monotonic() + 10
    while last_used() is None:
        assert time.monotonic() < deadline, "the token's last use was never recorded"
        time.sleep(0.01)
