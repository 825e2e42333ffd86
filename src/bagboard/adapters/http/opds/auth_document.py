"""The OPDS authentication document, and the 401 every OPDS path answers without a login.

Readers prompt for a user name and password when they get 401 with ``WWW-Authenticate:
Basic`` (Panels, KOReader) or the authentication document (OPDS 2 readers). The password is
an API token; the user name is not checked, since a token already names its user.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec
from litestar import Response

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.media import (
    AUTH_BASIC,
    AUTH_DOCUMENT,
    AUTH_PATH,
    REL_AUTH_DOCUMENT,
)

__all__ = ["REALM", "auth_document", "auth_link_header", "document_response"]


REALM: Final = "bagboard"


def auth_document(links: Links) -> dict[str, Any]:
    here = links.to(AUTH_PATH)
    return {
        "id": here,
        "title": "bagboard",
        "description": "User name: anything. Password: an API token (`bagboard token create`).",
        "links": [
            {"rel": "help", "href": links.to("/api/v1/docs"), "type": "text/html"},
            {
                "rel": "start",
                "href": links.to("/opds/v2.0/catalog"),
                "type": "application/opds+json",
            },
        ],
        "authentication": [
            {"type": AUTH_BASIC, "labels": {"login": "User name", "password": "API token"}}
        ],
    }


def auth_link_header(links: Links) -> str:
    return f'<{links.to(AUTH_PATH)}>; rel="{REL_AUTH_DOCUMENT}"; type="{AUTH_DOCUMENT}"'


def document_response(links: Links, status: int = 200) -> Response[bytes]:
    headers = {"Cache-Control": "no-cache"}
    if status == 401:
        headers["WWW-Authenticate"] = f'Basic realm="{REALM}"'
        headers["Link"] = auth_link_header(links)
    return Response(
        content=msgspec.json.encode(auth_document(links)),
        status_code=status,
        media_type=AUTH_DOCUMENT,
        headers=headers,
    )
