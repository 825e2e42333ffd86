"""The client's own address behind a trusted reverse proxy (``X-Forwarded-For``).

Behind a proxy every connection comes from the proxy, so password throttling, the first-run
setup link and KOReader's sign-in would all see one address. When the connection comes from a
configured trusted proxy, the client is the right-most address of ``X-Forwarded-For`` that is
not itself a trusted proxy (each proxy appends the address it was reached from; anything to the
left of a trusted hop may have been written by the client). The connection's own address stays
in the scope under ``PEER_KEY``: it decides whether the other ``X-Forwarded-*`` headers are
believed (``opds/base_url.py``). From any other peer the header is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import cast

from litestar.types import ASGIApp, Receive, Scope, Send

__all__ = ["PEER_KEY", "ForwardedFor", "client_behind"]

PEER_KEY = "bagboard.peer"
_HEADER = b"x-forwarded-for"


def client_behind(forwarded_for: Iterable[str], trusted: frozenset[str]) -> str | None:
    """The client named by the ``X-Forwarded-For`` values (in header order), or None when no
    hop outside ``trusted`` is a well-formed IP address."""
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        if hop in trusted:
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return None  # a forged or garbled hop: believe nothing to the left of it
    return None


class ForwardedFor:
    """ASGI middleware: ``scope["client"]`` becomes the client behind a trusted proxy."""

    def __init__(self, app: ASGIApp, trusted: frozenset[str]) -> None:
        self._app = app
        self._trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] in ("http", "websocket") and peer and peer[0] in self._trusted:
            values = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == _HEADER]
            client = client_behind(values, self._trusted) if values else None
            scope = cast("Scope", {**scope, PEER_KEY: peer[0]})
            if client is not None:
                scope["client"] = (client, 0)
        await self._app(scope, receive, send)
