"""``Touches``: a token's last use noted by the request and written by a thread of its
own; what is left is written on ``stop``; a failed write is logged by its class only."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.domain.errors import StorageUnavailable
from bagboard.services.touches import Touches

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


class SlowStore(MemoryTokenStore):
    """Counts its touches; raises ``failures`` first."""

    def __init__(self) -> None:
        super().__init__()
        self.touches: list[tuple[int, datetime]] = []
        self.failures: list[Exception] = []

    def touch(self, token_id: int, at: datetime) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.touches.append((token_id, at))
        super().touch(token_id, at)


def last_used(store: MemoryTokenStore) -> list[datetime | None]:
    return [token.last_used_at for token in store.list()]


def test_a_use_noted_is_written_by_the_thread() -> None:
    store = SlowStore()
    token = store.add(1, "phone", "hash", T0)
    touches = Touches(store.touch, "token")
    touches(token.id, T0 + timedelta(minutes=1))
    deadline = time.monotonic() + 10
    while not store.touches:
        assert time.monotonic() < deadline, "never written"
        time.sleep(0.005)
    assert last_used(store) == [T0 + timedelta(minutes=1)]
    touches.stop()


def test_the_latest_use_of_each_token_is_written_once_and_the_rest_on_stop() -> None:
    store = SlowStore()
    a, b = store.add(1, "a", "ha", T0), store.add(1, "b", "hb", T0)
    touches = Touches(store.touch, "token")
    with touches._changed:  # the thread cannot take them while noted
        for minutes in (1, 2, 3):
            touches(a.id, T0 + timedelta(minutes=minutes))
        touches(b.id, T0)
    touches.stop()
    assert sorted(store.touches) == [(a.id, T0 + timedelta(minutes=3)), (b.id, T0)]
    assert touches.flush() == 0


def test_a_failed_write_is_logged_without_its_message_and_the_next_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = SlowStore()
    token = store.add(1, "phone", "hash", T0)
    store.failures.append(StorageUnavailable("database is locked at /srv/secret/bagboard.db"))
    touches = Touches(store.touch, "token")
    with caplog.at_level(logging.WARNING):
        touches._noted[token.id] = T0
        assert touches.flush() == 1
    assert "StorageUnavailable" in caplog.text and "/srv/secret" not in caplog.text
    assert last_used(store) == [None]
    touches(token.id, T0)
    touches.stop()
    assert last_used(store) == [T0]
