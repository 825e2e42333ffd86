"""PostgreSQL's change listener under faults: its connection ended by the server, then back."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from bagboard.adapters.storage import SqlTokenStore, SqlUserStore, make_engine
from bagboard.adapters.storage.changes import postgresql
from bagboard.adapters.storage.changes.postgresql import APPLICATION_NAME, PostgresChangeFeed
from bagboard.domain.model import Role
from bagboard.ports.change_feed import Change
from tests.storage_fixtures import POSTGRES_URL

AT = datetime(2026, 4, 1, tzinfo=UTC)
WITHIN = 5.0

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WITHIN
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.005)


def told(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    """The messages logged at ``level`` so far."""
    return [r.getMessage() for r in caplog.records if r.levelno == level]


@pytest.fixture
def other(postgresql_engine: Engine) -> Iterator[Engine]:
    engine = make_engine(postgresql_engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def end_listener(engine: Engine) -> None:
    with engine.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database()"
            ),
            {"name": APPLICATION_NAME},
        ).scalars()
        assert list(ended) == [True]


def test_the_listener_survives_its_connection_ending(
    postgresql_engine: Engine, other: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bagboard.storage")
    # A pause long enough to look at the feed while its listener is away.
    feed = PostgresChangeFeed(other, first_pause=1.0)
    try:
        feed.version(Change.ACCESS)
        wait_for(feed.following, "the listener never started")
        end_listener(postgresql_engine)
        wait_for(lambda: not feed.following(), "the lost connection went unnoticed")
        # Without notifications the versions are read from the database: still exact.
        before = feed.version(Change.ACCESS)
        assert feed.version(Change.ACCESS) == before
        SqlUserStore(postgresql_engine).add("alice", Role.OWNER)
        assert feed.version(Change.ACCESS) != before
        # Told just after it stops trusting silence, from the listener's thread.
        wait_for(lambda: told(caplog, logging.WARNING), "no warning of the lost connection")
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "lost" in warnings[0].getMessage()
        assert "postgresql://" not in warnings[0].getMessage()
        # Back: following again, and notifications move versions once more.
        wait_for(feed.following, "the listener never came back")
        wait_for(
            lambda: any("resumed" in m for m in told(caplog, logging.INFO)),
            "no word of the notifications resuming",
        )
        before = feed.version(Change.ACCESS)
        user = SqlUserStore(postgresql_engine).get_by_name("alice")
        assert user is not None
        SqlTokenStore(postgresql_engine).add(user.id, "tablet", "a" * 64, AT)
        wait_for(lambda: feed.version(Change.ACCESS) != before, "no notification after return")
    finally:
        feed.close()


def test_close_stops_the_listener(other: Engine) -> None:
    feed = PostgresChangeFeed(other)
    feed.version(Change.INDEX)
    wait_for(feed.following, "the listener never started")
    feed.close()
    assert not feed.following()
    assert not [t for t in threading.enumerate() if t.name == "bagboard-changes"]
    # Closed, versions still move with every change (read each time).
    before = feed.version(Change.ACCESS)
    SqlUserStore(other).add("bob", Role.OWNER)
    assert feed.version(Change.ACCESS) != before


def test_a_listener_that_hears_nothing_gives_its_connection_up(
    other: Engine, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Silence is not trusted: the listener's own probe must come back (a pooler between the
    server and the database can take LISTEN and deliver nothing)."""
    # Whatever level an earlier test left the root logger at, the warning is heard here.
    caplog.set_level(logging.WARNING, logger="bagboard.storage")
    monkeypatch.setattr(postgresql, "_HEARTBEAT_SECONDS", 0.1)
    monkeypatch.setattr(postgresql, "_PROBE_WAIT", 0.3)
    # Once deaf, it listens again only after this pause, and then on the channel its probes
    # now go to (and no change does): no such listener may come back within the test.
    feed = PostgresChangeFeed(other, first_pause=60.0)
    try:
        feed.version(Change.ACCESS)
        wait_for(feed.following, "the listener never started")
        # From now on its probes go where it does not listen: it hears nothing back.
        monkeypatch.setattr(postgresql, "CHANNEL", "bagboard_elsewhere")
        wait_for(lambda: not feed.following(), "a deaf listener was trusted")
        # Told just after it stops trusting silence, from the listener's thread.
        wait_for(lambda: told(caplog, logging.WARNING), "no warning of the lost notifications")
        assert "lost" in told(caplog, logging.WARNING)[0]
        before = feed.version(Change.ACCESS)
        SqlUserStore(other).add("carol", Role.OWNER)
        assert feed.version(Change.ACCESS) != before  # read from the database meanwhile
    finally:
        feed.close()
