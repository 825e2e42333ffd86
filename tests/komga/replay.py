"""One app's side of a conversation with `/komga`: every call is recorded, its status asserted
and its JSON body decoded with that app's field rules (``dto_rules.check``)."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from tests.komga.dto_rules import check

__all__ = ["IMAGE_MAGIC", "Replay", "basic", "query"]

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"RIFF")


def basic(user: str, password: str) -> str:
    """An ``Authorization`` value as every client builds it (UTF-8, no trailing newline)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def query(pairs: Iterable[tuple[str, object]], safe: str = ",") -> str:
    """A query string with repeated keys kept and ``safe`` left unescaped (OkHttp leaves ``,``
    alone; Aidoku writes ``%2C`` itself: pass ``safe=""`` for it)."""
    return "&".join(f"{quote(k, safe='')}={quote(str(v), safe=safe)}" for k, v in pairs)


@dataclass
class Replay:
    """Calls made by ``client`` through ``http`` (base URL ``http://host:port/komga``)."""

    http: httpx.Client
    client: str
    headers: dict[str, str] = field(default_factory=dict)
    transcript: list[dict[str, Any]] = field(default_factory=list)

    def call(
        self,
        method: str,
        path: str,
        *,
        dto: str | None = None,
        expect: Iterable[int] = (200,),
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        image: bool = False,
        png: bool = False,
    ) -> httpx.Response:
        """One request; asserts the status is in ``expect`` and, on a 200, that the body decodes
        as ``dto`` for this client or (``image``) is image bytes whatever ``Accept`` said."""
        sent = {**self.headers, **(headers or {})}
        response = self.http.request(method, path, headers=sent, json=body)
        expected = tuple(expect)
        where = f"{self.client} {method} {path}"
        assert response.status_code in expected, (
            f"{where}: {response.status_code}, expected {expected}: {response.text[:300]}"
        )
        problems: list[str] = []
        if response.status_code == 200 and dto is not None:
            problems = check(self.client, dto, response.json())
            assert not problems, f"{where} as {dto}:\n" + "\n".join(problems)
        if response.status_code == 200 and image:
            assert response.headers.get("content-type", "").startswith("image/"), where
            assert response.content.startswith(IMAGE_MAGIC), f"{where}: not image bytes"
            if png:
                assert response.content.startswith(b"\x89PNG"), f"{where}: convert=png ignored"
        self.transcript.append(
            {
                "method": method,
                "path": path,
                "status": response.status_code,
                "dto": dto,
                "sent_headers": sorted(sent),
            }
        )
        return response

    def json(self, method: str, path: str, dto: str, **kwargs: Any) -> Any:
        """``call`` that must answer 200 and returns the decoded body."""
        return self.call(method, path, dto=dto, **kwargs).json()
