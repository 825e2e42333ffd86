"""PostgreSQL connections lent to reads: checked on loan without a round trip, replaced when
the server has ended them, and shared by the reads of one request (``db/loans.py``)."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Iterator

import anyio.to_thread
import pytest
from litestar import get
from litestar.response import Stream
from litestar.testing import TestClient
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.pool import NullPool, QueuePool

from bagboard.adapters.http.request_scope import ScopedApp, with_request_scope
from bagboard.adapters.storage import make_engine, shared_reads
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.liveness import hung_up
from bagboard.adapters.storage.db.loans import LendingPool, Loan, _Shared
from bagboard.domain.errors import StorageUnavailable
from tests.storage_fixtures import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")

BACKEND_PID = Prepared(select(func.pg_backend_pid()))


@pytest.fixture
def engine(postgresql_engine: Engine) -> Iterator[Engine]:
    """An engine of the test's own, so that its pool holds only the test's connections."""
    own = make_engine(postgresql_engine.url.render_as_string(hide_password=False))
    yield own
    own.dispose()


def _lent(engine: Engine) -> int:
    """How many of the engine's pooled connections are lent out."""
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedout()


def _pid(engine: Engine) -> int:
    with lean(engine) as conn:
        pid: int = conn.scalar(BACKEND_PID)
    return pid


def _terminate(engine: Engine, pid: int) -> None:
    """End a backend as a server restart would, and wait until it has exited."""
    outside = create_engine(engine.url, poolclass=NullPool)
    try:
        with outside.connect() as conn:
            ended = conn.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid})
            assert ended.scalar() is True
    finally:
        outside.dispose()


def test_a_connection_ended_in_the_pool_is_replaced_before_use(engine: Engine) -> None:
    pid = _pid(engine)
    _terminate(engine, pid)
    with engine.connect() as conn:  # Core too: no failed statement, no ping
        assert hung_up(conn.connection.driver_connection) is False
        assert conn.execute(select(func.pg_backend_pid())).scalar() != pid
    assert _pid(engine) != pid


def test_a_live_idle_connection_is_not_taken_for_gone(engine: Engine) -> None:
    pid = _pid(engine)
    raw = engine.raw_connection()
    try:
        assert hung_up(raw.driver_connection) is False
    finally:
        raw.close()
    assert _pid(engine) == pid


def test_the_reads_of_a_request_share_one_connection(engine: Engine) -> None:
    with shared_reads():
        first = _pid(engine)
        assert _lent(engine) == 1
        assert _pid(engine) == first
    assert _lent(engine) == 0


def test_the_connection_goes_back_in_a_state_fit_for_writes_when_the_request_fails(
    engine: Engine,
) -> None:
    with pytest.raises(RuntimeError), shared_reads():
        _pid(engine)
        raise RuntimeError("the handler failed")
    assert _lent(engine) == 0
    with engine.begin() as conn:  # in a transaction again, not in the reads' autocommit
        assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]


def test_a_request_that_read_gives_its_connection_back_before_it_writes(engine: Engine) -> None:
    assert isinstance(engine.pool, LendingPool)
    # One connection in all: a write borrowing a second one while the reads keep theirs would
    # wait for the pool until it timed out, as requests reading then writing at once did.
    one = create_engine(
        engine.url, poolclass=LendingPool, pool_size=1, max_overflow=0, pool_timeout=1
    )
    try:
        with shared_reads():
            read = _pid(one)
            with one.begin() as conn:
                wrote = conn.execute(select(func.pg_backend_pid())).scalar()
            assert _pid(one) == read == wrote  # the same one, lent again to the reads
            assert _lent(one) == 1
        assert _lent(one) == 0
    finally:
        one.dispose()


def test_a_connection_a_read_is_using_stays_lent_to_it(engine: Engine) -> None:
    with shared_reads(), lean(engine) as reading:
        pid = reading.scalar(BACKEND_PID)
        with engine.begin() as conn:  # the read is not over: the write takes another
            assert conn.execute(select(func.pg_backend_pid())).scalar() != pid
        assert reading.scalar(BACKEND_PID) == pid
        assert _lent(engine) == 1
    assert _lent(engine) == 0


def test_concurrent_requests_never_share_a_connection(engine: Engine) -> None:
    async def request(both: asyncio.Barrier) -> tuple[int, int]:
        with shared_reads():
            before = _pid(engine)
            await both.wait()  # both requests hold their connection here
            return before, _pid(engine)

    async def main() -> list[tuple[int, int]]:
        both = asyncio.Barrier(2)
        return list(await asyncio.gather(request(both), request(both)))

    (a, a_again), (b, b_again) = asyncio.run(main())
    assert a == a_again and b == b_again
    assert a != b
    assert _lent(engine) == 0


def test_a_worker_thread_of_the_request_shares_its_connection(engine: Engine) -> None:
    async def request() -> tuple[int, int]:
        with shared_reads():
            mine = _pid(engine)
            theirs = await anyio.to_thread.run_sync(_pid, engine)  # as sync_to_thread runs
            return mine, theirs

    mine, theirs = asyncio.run(request())
    assert mine == theirs
    assert _lent(engine) == 0


def test_a_read_after_the_request_ended_borrows_its_own(engine: Engine) -> None:
    with shared_reads():
        _pid(engine)
        later = contextvars.copy_context()  # what a task outliving the request would keep
    later.run(_pid, engine)
    assert _lent(engine) == 0


def test_a_connection_ended_mid_request_fails_that_read_and_is_not_shared_again(
    engine: Engine,
) -> None:
    with shared_reads():
        pid = _pid(engine)
        _terminate(engine, pid)
        with pytest.raises(StorageUnavailable):
            _pid(engine)  # a read may have been cut in two: an error, not a retry
        assert _pid(engine) != pid
    assert _lent(engine) == 0


def test_an_http_request_holds_one_connection_and_gives_it_back_when_it_fails(
    engine: Engine,
) -> None:
    @get("/twice", sync_to_thread=False)
    def twice() -> list[int]:
        return [_pid(engine), _pid(engine), _lent(engine)]

    @get("/threaded", sync_to_thread=True)
    def threaded() -> list[int]:
        return [_pid(engine), _pid(engine), _lent(engine)]

    @get("/boom", sync_to_thread=False)
    def boom() -> None:
        _pid(engine)
        raise RuntimeError("the handler failed")

    @get("/stream", sync_to_thread=False)
    def stream() -> Stream:
        _pid(engine)

        def body() -> Iterator[bytes]:
            # The answer has started: the request's connection is back in the pool, and a
            # read made while the body is sent borrows one of its own.
            yield f"{_lent(engine)} {_pid(engine) > 0}".encode()

        return Stream(body())

    app = ScopedApp(route_handlers=[twice, threaded, boom, stream], logging_config=None)
    with_request_scope(app, shared_reads)
    with TestClient(app) as client:
        for path in ("/twice", "/threaded"):
            first, second, lent = client.get(path).json()
            assert first == second and lent == 1, path
            assert _lent(engine) == 0
        assert client.get("/boom").status_code == 500
        assert _lent(engine) == 0
        assert client.get("/stream").text == "0 True"
        assert _lent(engine) == 0


def test_prepared_statements_keep_one_generic_plan(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_generic_plan"


def test_a_loan_borrowed_while_its_request_ends_goes_back_when_released(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A request that borrowed nothing ends without taking its block's lock: a worker thread
    # of it borrowing at that moment still gives its connection back.
    block = _Shared()
    borrow = Loan.__init__

    def borrowed_as_the_request_ends(loan: Loan, engine: Engine) -> None:
        borrow(loan, engine)
        ending = threading.Thread(target=block.end)
        ending.start()
        ending.join(0.5)

    monkeypatch.setattr(Loan, "__init__", borrowed_as_the_request_ends)
    loan = block.take(engine)
    monkeypatch.undo()
    assert loan is not None
    assert _lent(engine) == 1
    block.release(engine, loan)
    assert _lent(engine) == 0
    assert block.take(engine) is None
