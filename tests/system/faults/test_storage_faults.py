"""The database fails under a running server: a SQLite file locked by another process, the
PostgreSQL connections dropped as a server restart drops them. A request caught by it answers
503 ``storage_unavailable`` with ``Retry-After``, writes nothing, and the next one succeeds."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import text

from tests.archive_factory import jpeg, write_cbz
from tests.contract.conftest import POSTGRES_URL
from tests.system.faults.conftest import Server, Site, serving


def _indexed(site: Site) -> str:
    """One comic, indexed; its path."""
    path = site.data_dir / "comics" / "Pub" / "Series" / "Issue 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {"p1.jpg": jpeg((10, 10, 200)), "p2.jpg": jpeg((10, 200, 10))})
    site.run("scan", "--library", str(site.data_dir / "comics"), "--workers", "0")
    return str(path)


def _put(server: Server, path: str, page: int) -> httpx.Response:
    return server.request("PUT", "/api/v1/progress", json={"path": path, "page_number": page})


def _page(server: Server, path: str) -> int:
    answer = server.get("/api/v1/progress", params={"path": path})
    assert answer.status_code == 200, answer.text
    page: int = answer.json()["page_number"]
    return page


def _feed(server: Server) -> list[object]:
    answer = server.get("/api/v1/progress/since", params={"ts": 0})
    assert answer.status_code == 200, answer.text
    items: list[object] = answer.json()["items"]
    return items


def _unavailable(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"] == "storage_unavailable"
    assert answer.headers["retry-after"] == "1"


def _in_background(call: Callable[[], httpx.Response]) -> Callable[[], httpx.Response]:
    """Start ``call`` in a thread; the returned function waits for its answer."""
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(call()))
    thread.start()

    def answer() -> httpx.Response:
        thread.join(timeout=60)
        assert answers, "the request never answered"
        return answers[0]

    return answer


@pytest.mark.parametrize("site_kind", ["sqlite"])
def test_a_locked_sqlite_database(site: Site) -> None:
    comic = _indexed(site)
    with serving(site) as server:
        assert _put(server, comic, 3).status_code == 200
        feed = _feed(server)
        holder = sqlite3.connect(site.data_dir / "bagboard.db", check_same_thread=False)
        holder.isolation_level = None
        try:
            # Locked for longer than a write waits (five seconds): the writes give up.
            holder.execute("BEGIN EXCLUSIVE")
            progress = _in_background(lambda: _put(server, comic, 7))
            mark = _in_background(
                lambda: server.request("POST", "/api/v1/issues/read", json={"path": comic})
            )
            assert server.get("/api/v1/library/publishers").status_code == 200
            _unavailable(progress())
            _unavailable(mark())
            holder.rollback()
            assert _page(server, comic) == 3
            assert _feed(server) == feed
            assert _put(server, comic, 9).status_code == 200
            assert _page(server, comic) == 9

            # Locked briefly: the write waits for the lock and goes through.
            holder.execute("BEGIN EXCLUSIVE")
            release = threading.Timer(1.0, holder.rollback)
            release.start()
            assert _put(server, comic, 11).status_code == 200
            release.join()
        finally:
            holder.close()
        assert _page(server, comic) == 11


# A backend of the server's waiting for a lock the test holds (so in the middle of a request).
_WAITING = text(
    "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE a.datname = current_database() AND NOT l.granted"
)
_ALL_OTHERS = text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _cut_off(site: Site, table: str, call: Callable[[], httpx.Response]) -> httpx.Response:
    """``call``'s answer when the server's connection is ended while it waits on ``table``."""
    engine = site.engine()
    try:
        with engine.connect() as locker, engine.connect() as watcher:
            locker.execute(text(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE'))
            answer = _in_background(call)
            deadline = time.monotonic() + 20
            while not (pids := watcher.execute(_WAITING).scalars().all()):
                assert time.monotonic() < deadline, "the request never waited for the lock"
                time.sleep(0.02)
            for pid in pids:
                watcher.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            found = answer()
            locker.rollback()
        return found
    finally:
        engine.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")
@pytest.mark.parametrize("site_kind", ["postgresql"])
def test_dropped_postgresql_connections(site: Site) -> None:
    comic = _indexed(site)
    with serving(site) as server:
        assert _put(server, comic, 3).status_code == 200
        feed = _feed(server)
        ids = [item["id"] for item in server.get("/api/v1/library/recent").json()["items"]]
        assert len(ids) == 1

        # Idle connections dropped, as by a restart: the pool notices and reconnects.
        engine = site.engine()
        try:
            with engine.connect() as conn:
                assert all(conn.execute(_ALL_OTHERS).scalars())
        finally:
            engine.dispose()
        assert server.get("/api/v1/library/recent").status_code == 200
        assert _page(server, comic) == 3

        # A connection dropped in the middle of a request: that request fails, clearly.
        _unavailable(_cut_off(site, "reading_progress", lambda: _put(server, comic, 7)))
        _unavailable(_cut_off(site, "read_marks", lambda: server.get(f"/api/v1/issue/{ids[0]}")))
        # A page not asked before: one asked already is kept (for the index generation) and
        # reads no comic.
        recent = "/api/v1/library/recent?page_size=7"
        _unavailable(_cut_off(site, "comics", lambda: server.get(recent)))
        assert _page(server, comic) == 3
        assert _feed(server) == feed
        assert server.get("/api/v1/library/recent").json()["items"][0]["id"] == ids[0]
        assert server.get(f"/api/v1/issue/{ids[0]}").status_code == 200
        assert _put(server, comic, 9).status_code == 200
        assert _page(server, comic) == 9
        logged = server.logged()
    assert "Traceback" not in logged and "Unhandled" not in logged, logged
