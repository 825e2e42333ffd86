"""Round trips to PostgreSQL of a position write, counted in libpq's trace of every message the
connection sends and receives: a round trip is what the client sends before the server's
answer. A position saved over a stored one is two (``BEGIN``, the user's lock and the read of
the row; the update and ``COMMIT``), not five; and the connection goes back to the pool as it
came, after a write refused as stale or stopped by a lock as after one made."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, text

from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore, SqlUserStore, make_engine
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.domain.errors import StorageUnavailable
from bagboard.domain.model import Role
from bagboard.domain.progress import ComicKey, ProgressChange, StaleProgress
from tests.integration.test_sql_index import ROOT, add, comic
from tests.storage_fixtures import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PATH = f"{ROOT}/Marvel/X/x 1.cbz"
_TRACE_FLAGS = psycopg.pq.Trace.SUPPRESS_TIMESTAMPS | psycopg.pq.Trace.REGRESS_MODE


@contextmanager
def round_trips(engine: Engine) -> Iterator[list[list[str]]]:
    """Each round trip of the block's connections to the server, as the messages sent in it
    (``Query``, ``Parse``, ``Bind``, ``Sync``...), from libpq's trace; filled when it ends."""
    trips: list[list[str]] = []
    with tempfile.TemporaryFile("w+") as trace:

        def start(dbapi_connection: Any, *_: object) -> None:
            dbapi_connection.pgconn.trace(trace.fileno())
            dbapi_connection.pgconn.set_trace_flags(_TRACE_FLAGS)

        def stop(dbapi_connection: Any, *_: object) -> None:
            dbapi_connection.pgconn.untrace()

        event.listen(engine, "checkout", start)
        event.listen(engine, "checkin", stop)
        try:
            yield trips
        finally:
            event.remove(engine, "checkout", start)
            event.remove(engine, "checkin", stop)
        trace.seek(0)
        answered = True
        for line in trace:
            direction, _, message, *_ = [*line.split("\t"), "", "", ""]
            if direction == "F":
                if answered:
                    trips.append([])
                trips[-1].append(message.strip())
            answered = direction == "B" or (answered and direction != "F")


def _user_and_comic(engine: Engine) -> tuple[int, ComicKey]:
    user = SqlUserStore(engine).add("alice", Role.READER)
    library_id = SqlLibraryStore(engine).add("Comics", ROOT).id
    index = SqlLibraryIndex(engine)
    add(index, library_id, comic(PATH))
    found = index.comic_at(PATH)
    assert found is not None
    return user.id, ComicKey(PATH, found.id)


def _page(page: int, *, at: int | None = None, forward_only: bool = False) -> ProgressChange:
    return ProgressChange(page_number=page, client_time=at, forward_only=forward_only)


def _driver_state(engine: Engine) -> tuple[bool, str]:
    """Whether the pooled connection is in the driver's autocommit, and the server's
    transaction status, as the next borrower finds them."""
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        return driver.autocommit, driver.info.transaction_status.name


def test_a_position_saved_over_a_stored_one_is_two_round_trips(
    postgresql_engine: Engine,
) -> None:
    user_id, key = _user_and_comic(postgresql_engine)
    store = SqlProgressStore(postgresql_engine)
    store.save(user_id, key, _page(1), NOW)  # the row is new: more statements
    with round_trips(postgresql_engine) as trips:
        saved = store.save(user_id, key, _page(2), NOW + timedelta(seconds=1))
    assert saved.page_number == 2
    assert len(trips) == 2, trips
    opening, closing = trips
    # BEGIN, the lock and the read, each its own statement, then one Sync for the three.
    assert opening.count("Bind") == 3 and opening.count("Sync") == 1, opening
    assert closing.count("Bind") == 2 and closing.count("Sync") == 1, closing
    position = store.position(user_id, key)
    assert position is not None and position.page_number == 2
    assert _driver_state(postgresql_engine) == (False, "IDLE")


def test_a_forward_only_change_behind_the_stored_page_is_two_round_trips_and_no_write(
    postgresql_engine: Engine,
) -> None:
    user_id, key = _user_and_comic(postgresql_engine)
    store = SqlProgressStore(postgresql_engine)
    store.save(user_id, key, _page(5), NOW)
    with round_trips(postgresql_engine) as trips:
        kept = store.save(user_id, key, _page(3, forward_only=True), NOW + timedelta(seconds=1))
    assert kept.page_number == 5
    assert len(trips) == 2, trips  # BEGIN, the lock and the read; then COMMIT alone
    assert trips[1] == ["Query"], trips


def test_a_cleared_position_is_two_round_trips(postgresql_engine: Engine) -> None:
    user_id, key = _user_and_comic(postgresql_engine)
    store = SqlProgressStore(postgresql_engine)
    store.save(user_id, key, _page(5), NOW)
    with round_trips(postgresql_engine) as trips:
        assert store.clear(user_id, key, NOW + timedelta(seconds=1)) is True
    assert len(trips) == 2, trips
    position = store.position(user_id, key)
    assert position is not None and position.cleared


def test_a_write_refused_as_stale_rolls_back_and_hands_the_connection_back_as_it_came(
    postgresql_engine: Engine,
) -> None:
    user_id, key = _user_and_comic(postgresql_engine)
    store = SqlProgressStore(postgresql_engine)
    store.save(user_id, key, _page(5, at=1_772_000_000), NOW)
    with round_trips(postgresql_engine) as trips, pytest.raises(StaleProgress):
        store.save(user_id, key, _page(9, at=1_771_000_000), NOW + timedelta(seconds=1))
    assert trips[-1] == ["Query"], trips  # ROLLBACK
    assert _driver_state(postgresql_engine) == (False, "IDLE")
    position = store.position(user_id, key)
    assert position is not None and position.page_number == 5


def test_a_write_stopped_by_the_users_lock_fails_as_unavailable_and_the_next_goes_through(
    postgresql_engine: Engine,
) -> None:
    user_id, key = _user_and_comic(postgresql_engine)
    engine = make_engine(postgresql_engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:  # the pool's one connection, from now on impatient
            conn.execute(text("SET lock_timeout = '50ms'"))
            conn.commit()
        store = SqlProgressStore(engine)
        store.save(user_id, key, _page(3), NOW)
        with postgresql_engine.connect() as holder:
            holder.execute(text("SELECT id FROM users WHERE id = :id FOR UPDATE"), {"id": user_id})
            with pytest.raises(StorageUnavailable):
                store.save(user_id, key, _page(7), NOW + timedelta(seconds=1))
            holder.rollback()
        assert _driver_state(engine) == (False, "IDLE")
        store.save(user_id, key, _page(9), NOW + timedelta(seconds=2))
        position = store.position(user_id, key)
        assert position is not None and position.page_number == 9
    finally:
        engine.dispose()
