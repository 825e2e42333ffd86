"""Engine construction, tuned per database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from bagboard.adapters.storage.db.durability import DURABLE
from bagboard.adapters.storage.db.liveness import watch
from bagboard.adapters.storage.db.loans import LendingPool

__all__ = ["DEFAULT_BUSY_TIMEOUT_MS", "make_engine"]

# Long enough to ride out a concurrent writer (a scan committing a batch), short enough that
# an HTTP request fails with a retryable error rather than hanging.
DEFAULT_BUSY_TIMEOUT_MS = 5000


def make_engine(url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for ``url`` (``sqlite:///...`` or ``postgresql+psycopg://...``).

    ``busy_timeout_ms`` only applies to SQLite: how long a write waits for another writer's lock
    before giving up. The folder holding a SQLite file must already exist.
    """
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    return _postgresql_engine(url)


def _postgresql_engine(url: str) -> Engine:
    # A request's reads share a connection; its writes take one of their own and give the
    # shared one back first (``loans.py``).
    engine = create_engine(url, poolclass=LendingPool)
    # A server restart or an idle-connection reaper leaves dead connections in the pool;
    # checking their sockets on checkout (no round trip, unlike ``pool_pre_ping``) turns that
    # into a transparent reconnect instead of a failed request.
    watch(engine)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # psycopg prepares a statement run five times on a connection; PostgreSQL then plans
        # it again for each execution's values unless a plan for any values looks as cheap.
        # The statements of the requests are indexed lookups and pages whose plan hardly
        # depends on the values, and planning them again cost half of a list page's
        # database time (the reading states of a page of 64 comics: 0.66 ms a run, 0.33 ms
        # with the generic plan).
        dbapi_connection.execute("SET plan_cache_mode = force_generic_plan")
        dbapi_connection.commit()

    return engine


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            # First, so that the pragmas below already wait no longer than asked.
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            # WAL lets readers proceed while a scan writes. Every commit is durable (FULL: the
            # WAL is synced before it returns) unless the index relaxes it (``durability``).
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={DURABLE}")
            # SQLite leaves foreign keys off unless each connection asks for them.
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    return engine
