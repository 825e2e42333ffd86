"""``GET /sse/v1/events``: Komga's server-sent events stream, as heartbeats only.

Komelia and KMReader open it after login and retry it every 10 s when it fails. bagboard has
no events to push yet, so the stream carries a comment line (``: ping``) at once, then every
``HEARTBEAT_SECONDS`` (so that proxies do not close it as idle), on the event loop: no
worker thread is held by an open stream. It ends when the client goes away (Litestar
cancels the generator), after ``LIFETIME_SECONDS`` (the client connects again), and as soon
as the server is asked to stop: uvicorn lets open responses finish before it stops, so a
stream that never ended would hold every restart.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import AsyncIterator, Callable
from types import FrameType
from typing import Any

import anyio
from litestar import get
from litestar.di import NamedDependency
from litestar.response import Stream

from bagboard.domain.model import User

__all__ = ["EVENT_HANDLERS", "HEARTBEAT_SECONDS", "LIFETIME_SECONDS", "PING"]

HEARTBEAT_SECONDS = 25.0
LIFETIME_SECONDS = 600.0
PING = b": ping\n\n"
_TICK_SECONDS = 0.5
_STOP = threading.Event()


class _Chained:
    """A stop signal's handler that first tells the open streams to end, then runs the
    handler it replaced (uvicorn's, which starts the graceful shutdown)."""

    def __init__(self, previous: Callable[[int, FrameType | None], Any]) -> None:
        self.previous = previous

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        _STOP.set()
        self.previous(signum, frame)


def _watch_stop_signals() -> None:
    # Handlers can only be set from the main thread, where uvicorn runs its server (one
    # process or each worker); elsewhere (a test client) streams end by lifetime or
    # disconnect. A handler already chained is left alone; a new one means a new server.
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(sig)
        if isinstance(previous, _Chained) or not callable(previous):
            continue
        _STOP.clear()
        signal.signal(sig, _Chained(previous))


async def _heartbeats() -> AsyncIterator[bytes]:
    started = last = time.monotonic()
    yield PING
    while not _STOP.is_set():
        await anyio.sleep(min(_TICK_SECONDS, HEARTBEAT_SECONDS))
        now = time.monotonic()
        if now - last >= HEARTBEAT_SECONDS and not _STOP.is_set():
            last = now
            yield PING
        if now - started >= LIFETIME_SECONDS:
            return


@get("/sse/v1/events")
async def events(current_user: NamedDependency[User]) -> Stream:
    """Heartbeats for a signed-in client (the auth middleware answers 401 to anyone else)."""
    _watch_stop_signals()
    return Stream(
        _heartbeats(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


EVENT_HANDLERS = [events]
