"""Fault tests run a real ``bagboard`` on SQLite or on a throw-away PostgreSQL database.

``Site`` is one data folder and one database; ``site`` is parametrised over the SQL backends
(PostgreSQL when ``BAGBOARD_TEST_POSTGRES_URL`` is set), ``new_site`` makes more of the same
kind. ``serving`` runs ``bagboard serve --no-watch`` on a site with its log in a file, so a
test decides exactly what the index holds and can read what the server logged.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.contract.conftest import POSTGRES_URL, SQL_BACKENDS
from tests.system.conftest import first_answer, free_port

# The environment must not point the commands at another database.
ENV = {**os.environ, "BAGBOARD_DATA_DIR": "", "BAGBOARD_DATABASE_URL": "", "PYTHONUNBUFFERED": "1"}


@dataclass(frozen=True)
class Site:
    kind: str  # "sqlite" or "postgresql"
    data_dir: Path
    url: str

    def command(self, *args: str) -> list[str]:
        storage = ["--data-dir", str(self.data_dir), "--database-url", self.url]
        return [sys.executable, "-m", "bagboard.cli", *args, *storage]

    def run(self, *args: str) -> str:
        done = subprocess.run(
            self.command(*args), capture_output=True, text=True, timeout=120, env=ENV
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def engine(self) -> Engine:
        """A pool-less engine of the test's own: nothing of it lingers between statements."""
        return create_engine(self.url, poolclass=NullPool)

    def scalar(self, sql: str, **values: Any) -> Any:
        engine = self.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql), values).scalar()
        finally:
            engine.dispose()


@pytest.fixture
def new_site(site_kind: str, tmp_path: Path) -> Iterator[Callable[[], Site]]:
    """Makes sites of the kind the test is parametrised with (``site_kind``); their
    PostgreSQL databases are dropped afterwards."""
    databases: list[str] = []

    def make() -> Site:
        name = f"bagboard_faults_{secrets.token_hex(6)}"
        data_dir = tmp_path / name
        data_dir.mkdir()
        if site_kind == "sqlite":
            return Site(site_kind, data_dir, f"sqlite:///{data_dir / 'bagboard.db'}")
        with admin().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        databases.append(name)
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        return Site(site_kind, data_dir, url)

    def admin() -> Engine:
        return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    yield make
    if databases:
        engine = admin()
        try:
            with engine.connect() as conn:
                for name in databases:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            engine.dispose()


@pytest.fixture(params=SQL_BACKENDS)
def site_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def site(new_site: Callable[[], Site]) -> Site:
    return new_site()


@dataclass(frozen=True)
class Server:
    base: str
    log: Path
    headers: dict[str, str]

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.base + path, headers=self.headers, timeout=30, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, self.base + path, headers=self.headers, timeout=30, **kwargs)

    def logged(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def serving(site: Site) -> Iterator[Server]:
    """``bagboard serve --no-watch`` on ``site``, with a token made for it."""
    token = site.run("token", "create").strip()
    port = free_port()
    log = site.data_dir / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            site.command("serve", "--no-watch", "--port", str(port)),
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=ENV,
        )
    server = Server(f"http://127.0.0.1:{port}", log, {"Authorization": f"Bearer {token}"})
    try:
        first_answer(server.base + "/api/v1/auth/ping", process, explain=server.logged)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=15)
