"""``/docs`` and ``/openapi.json``: the API describes itself, with no token (contract §7)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.docs.openapi import api_document, ok
from bagboard.adapters.http.docs.openapi_example import OPENAPI
from bagboard.adapters.http.docs.page import render
from bagboard.adapters.http.routing import get

__all__ = ["PUBLIC", "DocsController"]

# An empty requirement: these two need no token, and the gate's 401/503 do not apply.
PUBLIC = {"security": [{}], "opt": {PUBLIC_OPT_KEY: True}}


class DocsController(Controller):
    path = "/"
    tags = ["docs"]

    @get(
        "/docs",
        sync_to_thread=False,
        responses=ok(str, description="This page", media_type="text/html"),
        **PUBLIC,
    )
    def docs(self, request: Request[Any, Any, Any]) -> Response[str]:
        """This page: every endpoint, generated from the routes that serve it."""
        base_url = str(request.base_url).rstrip("/")
        page = render(api_document(request.app), base_url)
        return Response(page, media_type=MediaType.HTML)

    @get(
        "/openapi.json",
        sync_to_thread=False,
        responses=ok(dict[str, Any], OPENAPI, description="OpenAPI 3.1"),
        **PUBLIC,
    )
    def openapi(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        """The OpenAPI 3.1 document of this API."""
        body = msgspec.json.encode(api_document(request.app))
        return Response(body, media_type=MediaType.JSON)
