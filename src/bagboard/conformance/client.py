"""The kit's HTTP client: requests to ``/api/v1`` of the server under test, read-only by default.

Every answer comes back as a ``Reply`` whatever its status (a 401 or a 416 is what a check
wants to see); a server that cannot be reached raises ``Unreachable``, an answer cut short or
timed out ``BadReply``. A request
that could change something (anything but GET and HEAD) is refused unless writes were
allowed, so a run without ``--allow-writes`` cannot modify the server even by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
import msgspec

from bagboard.adapters.http.api.schemas import API_PREFIX

__all__ = [
    "SAFE_METHODS",
    "ApiClient",
    "BadReply",
    "Params",
    "Reply",
    "Unreachable",
    "WriteRefused",
]

SAFE_METHODS: Final = frozenset({"GET", "HEAD"})

Params = Mapping[str, str | int]


class Unreachable(Exception):
    """The server did not answer at all (refused, reset, timed out)."""


class WriteRefused(Exception):
    """A check tried to send a modifying request while writes were not allowed: a kit bug."""


class BadReply(Exception):
    """An answer too malformed for the checks to go on (not JSON, not an object, ...)."""

    def __init__(self, observed: object, expected: object) -> None:
        super().__init__(f"observed {observed!r}, expected {expected!r}")
        self.observed = observed
        self.expected = expected


@dataclass(frozen=True, slots=True)
class Reply:
    method: str
    url: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def media_type(self) -> str:
        value: str = self.headers.get("content-type", "")
        return value.split(";")[0].strip().lower()

    def json(self) -> Any:
        """The decoded JSON body; ``BadReply`` when it is not JSON."""
        try:
            return msgspec.json.decode(self.body)
        except msgspec.DecodeError:
            raise BadReply(
                f"{self.status} {self.media_type or 'no content type'} "
                f"{self.body[:80]!r} from {self.method} {self.url}",
                "a JSON body",
            ) from None

    def object(self) -> dict[str, Any]:
        """The decoded JSON body, which must be an object."""
        data = self.json()
        if not isinstance(data, dict):
            raise BadReply(f"{data!r:.80} from {self.method} {self.url}", "a JSON object")
        return data

    def expect_status(self, *statuses: int) -> Reply:
        if self.status not in statuses:
            wanted = " or ".join(str(s) for s in statuses)
            raise BadReply(
                f"{self.status} {self.body[:120]!r} from {self.method} {self.url}",
                f"status {wanted}",
            )
        return self


@dataclass
class ApiClient:
    """``base_url`` is the server's root (``http://host:port``); paths are under ``/api/v1``."""

    base_url: str
    token: str
    allow_writes: bool = False
    timeout: float = 30.0
    # Another way to reach the server (tests hand in an ``httpx.MockTransport``).
    transport: httpx.BaseTransport | None = None
    sent: list[tuple[str, str]] = field(default_factory=list)
    _http: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        root = self.base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=root + API_PREFIX, timeout=self.timeout, transport=self.transport
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(
        self,
        path: str,
        params: Params | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> Reply:
        return self.request("GET", path, params=params, headers=headers, auth=auth)

    def head(self, path: str, params: Params | None = None) -> Reply:
        return self.request("HEAD", path, params=params)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        json: object = None,
        auth: bool = True,
    ) -> Reply:
        """Send one request. ``auth`` adds the bearer token unless ``headers`` carry their own
        ``Authorization``; ``auth=False`` sends no credentials at all."""
        method = method.upper()
        if method not in SAFE_METHODS and not self.allow_writes:
            raise WriteRefused(f"{method} {path} without --allow-writes")
        sent_headers = dict(self.bearer) if auth else {}
        sent_headers.update(headers or {})
        content = None if json is None else msgspec.json.encode(json)
        if content is not None:
            sent_headers["Content-Type"] = "application/json"
        self.sent.append((method, path))
        try:
            answer = self._http.request(
                method, path, params=dict(params or {}), headers=sent_headers, content=content
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise Unreachable(f"{method} {exc.request.url}: {exc}") from exc
        except httpx.TransportError as exc:  # an answer cut short, too slow, or malformed
            raise BadReply(f"{type(exc).__name__}: {exc}", f"an answer to {method} {path}") from exc
        return Reply(method, str(answer.url), answer.status_code, answer.headers, answer.content)
