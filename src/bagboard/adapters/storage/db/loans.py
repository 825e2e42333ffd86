"""Pooled driver connections lent to the lean read path (``lean.py``), and shared by a request.

A ``Loan`` is one connection from the engine's pool, set up for reads: on PostgreSQL in
autocommit, so that giving it back costs no ``ROLLBACK`` round trip and each statement sees its
own snapshot, as READ COMMITTED gave them already. A connection the server ended while it sat
in the pool is found on loan (``liveness.py``) and replaced, so a database restarted between
two requests costs none of them. One ended during a request fails that request (503): its
statement is never run again, since it may have been waiting on something still in the way.

``shared_reads()`` lends one connection to every lean read on PostgreSQL made within it (one
HTTP request: the entry layer installs it around each), instead of one loan per store call,
borrowed on first use and given back when the block ends, whatever happens in it. Writes
never use it: they take their own connection and transaction (``engine.begin()``), and the
block's loan, when no read is using it, goes back to the pool first (``LendingPool``): a
request that has read and then writes holds one connection, not two, so requests doing so
at once can never hold the whole pool while each waits for a second. The scope
is a ``ContextVar``, so concurrent requests never share a connection; a worker thread started
with a copy of the request's context (Litestar's ``sync_to_thread``) shares the request's.
Reads after the block ends (a task that outlived its request) borrow their own again.
"""

from __future__ import annotations

from contextvars import ContextVar
from threading import Lock, RLock
from typing import Any

from sqlalchemy import Engine, exc
from sqlalchemy.pool import PoolProxiedConnection, QueuePool

__all__ = ["LendingPool", "Loan", "shared_loan", "shared_reads"]


class Loan:
    """One pooled driver connection, set up for lean reads until ``give_back``. Every read
    takes one, so it stays small (SQLite's reads pay for it too)."""

    __slots__ = ("_engine", "_postgresql", "dead", "raw")

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._postgresql = engine.dialect.name == "postgresql"
        self.raw = self._borrow()
        # Whether ``raw`` was discarded and not replaced: nothing to give back.
        self.dead = False

    def _borrow(self) -> PoolProxiedConnection:
        dialect = self._engine.dialect
        try:
            raw = self._engine.raw_connection()
        except dialect.loaded_dbapi.Error as error:
            # Unlike ``Engine.connect``, the pool hands back the driver's own exception.
            raise exc.DBAPIError.instance(None, None, error, dialect.loaded_dbapi.Error) from error
        if self._postgresql:
            raw.driver_connection.autocommit = True  # type: ignore[union-attr]
        return raw

    def gone(self, error: BaseException) -> bool:
        """Whether ``error`` means the server has closed this connection."""
        if self.dead:
            return True
        if not isinstance(error, self._engine.dialect.loaded_dbapi.Error):
            return False
        return bool(self._engine.dialect.is_disconnect(error, self.raw.dbapi_connection, None))

    def discard(self, error: BaseException) -> None:
        """Drop the connection from the pool: the server has closed it."""
        self.dead = True
        self.raw.invalidate(error)
        self.raw.close()

    def give_back(self) -> None:
        if self.dead:
            return
        raw = self.raw
        if self._postgresql:
            driver: Any = raw.driver_connection
            if driver is not None and not driver.closed:
                # Core connections (writes) expect the pool's connections in transactions.
                driver.autocommit = False
        raw.close()


# Held only to make a block's lock, once, on the block's first borrow.
_MAKING_LOCK = Lock()


class _Shared:
    """The loans of one ``shared_reads`` block, one per engine, borrowed on first use. A loan
    in use when the block ends (a task that outlived its request) goes back when released.
    Its lock is made when first needed: most requests borrow nothing (answered from memory),
    and every one makes a block."""

    __slots__ = ("_ended", "_loans", "_lock", "_users")

    def __init__(self) -> None:
        self._loans: dict[int, Loan] = {}
        self._users: dict[int, int] = {}
        self._lock: RLock | None = None
        self._ended = False

    def _locked(self) -> RLock:
        # Reentrant: borrowing a loan under it goes through ``LendingPool.connect``.
        lock = self._lock
        if lock is None:
            with _MAKING_LOCK:  # a worker thread of the request may borrow at the same time
                lock = self._lock
                if lock is None:
                    lock = self._lock = RLock()
        return lock

    def take(self, engine: Engine) -> Loan | None:
        """The block's loan for ``engine``, borrowed if needed; None once the block ended."""
        key = id(engine.pool)
        with self._locked():
            if self._ended:
                return None
            loan = self._loans.get(key)
            if loan is None:
                loan = self._loans[key] = Loan(engine)
            self._users[key] = self._users.get(key, 0) + 1
            return loan

    def release(self, engine: Engine, loan: Loan, *, gone: bool = False) -> None:
        """Done with ``loan``; ``gone``: its connection was discarded, stop sharing it."""
        key = id(engine.pool)
        with self._locked():
            self._users[key] -= 1
            shared = self._loans.get(key) is loan
            if gone and shared:
                del self._loans[key]
            last = self._ended and self._users[key] == 0 and shared and not gone
        if last:
            loan.give_back()

    def set_aside(self, pool: QueuePool) -> None:
        """Give the loan from ``pool`` back if no read is using it: a write is about to
        borrow another. A later read of the block borrows again."""
        key = id(pool)
        with self._locked():
            loan = None if self._users.get(key) else self._loans.pop(key, None)
        if loan is not None:
            loan.give_back()

    def end(self) -> None:
        if not self._loans:
            # Nothing borrowed (a request answered from memory): nothing to give back, and
            # no lock to take. A ``take`` racing this one still sees the block ended, or
            # borrows a loan whose ``release`` gives it back, since it finds the block ended.
            self._ended = True
            return
        with self._locked():
            self._ended = True
            idle = [loan for key, loan in self._loans.items() if not self._users.get(key)]
        for loan in idle:
            loan.give_back()


_CURRENT: ContextVar[_Shared | None] = ContextVar("bagboard_shared_reads", default=None)


class shared_reads(_Shared):  # noqa: N801 - used as the function it replaces: ``with shared_reads():``
    """Within the block, lean reads on PostgreSQL share one connection (see the module). A
    class rather than a generator, and the block itself rather than an object holding one: it
    is entered around every request."""

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token = _CURRENT.set(self)

    def __exit__(self, *_exc: object) -> None:
        self.end()
        # Left from another context (an HTTP answer sent from a task of its own), the ended
        # block stays behind there and lends nothing (``_Shared.take``). A ``try`` rather than
        # ``contextlib.suppress``: this runs for every request, and that is an object more.
        try:  # noqa: SIM105
            _CURRENT.reset(self._token)
        except ValueError:
            pass


class LendingPool(QueuePool):
    """The pool of a PostgreSQL engine: before lending a connection within a
    ``shared_reads`` block, it takes back the block's idle read loan (see the module)."""

    def connect(self) -> PoolProxiedConnection:
        shared = _CURRENT.get()
        if shared is not None:
            shared.set_aside(self)
        return super().connect()


def shared_loan(engine: Engine) -> tuple[_Shared, Loan] | None:
    """The current ``shared_reads`` block's loan for ``engine`` (PostgreSQL only), taken:
    hand it back with ``_Shared.release``. None outside a block."""
    shared = _CURRENT.get()
    if shared is None or engine.dialect.name != "postgresql":
        return None
    loan = shared.take(engine)
    return None if loan is None else (shared, loan)
