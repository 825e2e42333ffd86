"""A pooled PostgreSQL connection checked on loan without a round trip to the server.

A server restart, ``pg_terminate_backend`` or an idle-session reaper ends a backend: it sends a
last error message and closes its socket. An idle connection is never sent anything else
unasked, so a socket with something to read (or hung up) on checkout belongs to a connection
that is gone, or about to be: ``hung_up`` tells, with one ``poll`` of the socket and no query.
``watch`` makes the pool replace such a connection before anyone uses it, which is what
``pool_pre_ping`` did with a ``SELECT 1`` round trip on every loan.

A backend ended in the instant between this check and the first statement is not seen here;
``lean`` covers reads for that case (see ``FIRST_STATEMENT_RETRIED`` there).
"""

from __future__ import annotations

import select
from typing import Any

from sqlalchemy import Engine, event, exc

__all__ = ["hung_up", "watch"]

_READABLE = (
    getattr(select, "POLLIN", 0) | getattr(select, "POLLERR", 0) | getattr(select, "POLLHUP", 0)
)


def hung_up(driver_connection: Any) -> bool:
    """Whether an idle psycopg connection has been closed, or spoken to, by the server."""
    if driver_connection.closed or driver_connection.broken:
        return True
    try:
        fd = driver_connection.pgconn.socket
    except Exception:  # psycopg raises when there is no socket left
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, _READABLE)
        return bool(poller.poll(0))
    readable, _, broken = select.select([fd], [], [fd], 0)
    return bool(readable or broken)


def watch(engine: Engine) -> None:
    """Replace, on checkout, each pooled connection the server has ended (``hung_up``)."""

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if hung_up(dbapi_connection):
            # The pool discards this connection and hands out a new one.
            raise exc.DisconnectionError("the database server ended this connection")
