"""``GET /about`` (and ``GET /`` when the web app is not mounted): a small page for whoever
opens the server's address in a browser.

It needs no token and shows nothing private: the name and version, links to the API docs and
the two OPDS catalogues (at the address readers use, as the OPDS feeds build it), and how to
connect a reader app. It is not part of ``/api/v1``, so the OpenAPI document leaves it out.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import MediaType, Request, Response
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler

from bagboard.adapters.http.api.schemas import API_PREFIX
from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.opds.context import links_for
from bagboard.adapters.http.opds.media import V1_PREFIX, V2_PREFIX
from bagboard.adapters.http.routing import get

__all__ = ["about", "home", "render_home"]

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bagboard</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; }}
code {{ background: #f2f2f2; padding: 0 .25rem; }}
</style>
</head>
<body>
<h1>bagboard <small>{version}</small></h1>
<p>A comic library server.{web}</p>
<ul>
<li><a href="{docs}">API documentation</a> (<code>{docs}</code>)</li>
<li><a href="{opds1}">OPDS 1.2 catalogue</a> (<code>{opds1}</code>)</li>
<li><a href="{opds2}">OPDS 2.0 catalogue</a> (<code>{opds2}</code>)</li>
</ul>
<p>To connect a reader app, add <code>{opds1}</code> (or the OPDS 2.0 address) as a catalogue,
with any user name and an API token as the password; apps speaking the <code>/api/v1</code> API
take this server's address and the token. The server's owner creates tokens with
<code>bagboard token create</code>.</p>
</body>
</html>
"""


def render_home(version: str, docs: str, opds1: str, opds2: str, login: str | None = None) -> str:
    """The page, with every value escaped; ``login`` links the web app's sign-in page."""
    web = f' <a href="{escape(login)}">Sign in</a> to read in the browser.' if login else ""
    return _PAGE.format(
        version=escape(version),
        docs=escape(docs),
        opds1=escape(opds1),
        opds2=escape(opds2),
        web=web,
    )


def _page(request: Request[Any, Any, Any], version: str, login: str | None) -> Response[str]:
    links = links_for(request)
    page = render_home(
        version,
        links.to(f"{API_PREFIX}/docs"),
        links.to(f"{V1_PREFIX}/catalog"),
        links.to(f"{V2_PREFIX}/catalog"),
        None if login is None else links.to(login),
    )
    return Response(page, media_type=MediaType.HTML)


def _home(request: Request[Any, Any, Any], version: NamedDependency[str]) -> Response[str]:
    return _page(request, version, None)


def _about(request: Request[Any, Any, Any], version: NamedDependency[str]) -> Response[str]:
    return _page(request, version, "/login")


# Public: no token gate reaches ``/`` (the gate guards ``/api/v1`` and ``/opds`` only), and the
# flag says so to whatever lists the public routes.
home: HTTPRouteHandler = get(
    "/", sync_to_thread=False, include_in_schema=False, opt={PUBLIC_OPT_KEY: True}
)(_home)

about: HTTPRouteHandler = get(
    "/about", sync_to_thread=False, include_in_schema=False, opt={PUBLIC_OPT_KEY: True}
)(_about)
