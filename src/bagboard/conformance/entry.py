"""What must hold before a run is worth starting: a base URL that is the server's root, and a
token the server accepts. Either mistake would otherwise cost a page of failures that all say
the same thing; here it is one ``InvalidInput`` line, before (or at) the first request."""

from __future__ import annotations

from typing import Final

from bagboard.adapters.http.api.schemas import API_PREFIX
from bagboard.conformance.client import ApiClient
from bagboard.domain.errors import InvalidInput

__all__ = ["check_base_url", "check_token"]

PING: Final = "/auth/ping"


def check_base_url(base_url: str) -> None:
    """The kit adds ``/api/v1`` itself: a base URL that already ends with it is refused."""
    trimmed = base_url.strip().rstrip("/")
    if trimmed.lower().endswith(API_PREFIX):
        root = trimmed[: -len(API_PREFIX)] or "http://host:port"
        raise InvalidInput(
            f"the base URL is the server's root, without {API_PREFIX}: use --base-url {root}"
        )


def check_token(client: ApiClient) -> None:
    """One ping with the token; a 401 ends the run here, since every check would fail."""
    reply = client.get(PING)
    if reply.status == 401:
        raise InvalidInput(
            f"the server refused the token (401 from GET {reply.url}): check --token, "
            "BAGBOARD_TOKEN or what was piped in"
        )
