"""Where readers reach the server, for the absolute links every OPDS document carries.

A configured public URL wins (it may carry a path prefix: ``https://host/comics``). Without
one the address is the request's own, and ``X-Forwarded-Proto/Host/Port/Prefix`` are believed
only from the configured trusted proxies: anyone else could point a client's links at a host
of their choosing. Behind a trusted proxy the request's client is the proxy's
client (``forwarded.py``); the proxy's own address, kept in the scope, is what is checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

__all__ = ["BaseUrlPolicy", "Links", "RequestAddress", "escape_component"]


_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# What a query component may hold unescaped (RFC 3986's unreserved characters): a value made
# only of these is used as it is, which spares ``quote`` for ids, sizes and page numbers.
_UNRESERVED = re.compile("[A-Za-z0-9_.~-]*")


def _first(value: str | None) -> str | None:
    """The first of a comma-separated forwarded list (the client-most proxy's view), trimmed."""
    if value is None:
        return None
    head = value.split(",", 1)[0].strip()
    return head or None


def _safe_host(host: str) -> bool:
    # A Host header goes into every link: nothing that could end the authority or the URL.
    return bool(host) and not any(c in host for c in "/\\?#@ \t\r\n\"'<>")


@dataclass(frozen=True, slots=True)
class RequestAddress:
    """What one request says about the address it came to."""

    scheme: str
    host: str  # with the port when not the scheme's default
    root_path: str  # the ASGI root path (a prefix the server was told it lives under)
    client: str | None
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class BaseUrlPolicy:
    public_url: str | None = None
    trusted_proxies: frozenset[str] = frozenset()

    def base(self, request: RequestAddress) -> str:
        """``scheme://host[:port][/prefix]``, never with a trailing slash."""
        if self.public_url:
            return self.public_url
        scheme, host, prefix = request.scheme, request.host, request.root_path
        if request.client is not None and request.client in self.trusted_proxies:
            headers = request.headers
            forwarded_scheme = _first(headers.get("x-forwarded-proto"))
            if forwarded_scheme and forwarded_scheme.lower() in _SCHEMES:
                scheme = forwarded_scheme.lower()
            forwarded_host = _first(headers.get("x-forwarded-host"))
            if forwarded_host and _safe_host(forwarded_host):
                host = forwarded_host
            port = _first(headers.get("x-forwarded-port"))
            if port and port.isdigit():
                name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
                host = name if _DEFAULT_PORTS.get(scheme) == port else f"{name}:{port}"
            forwarded_prefix = _first(headers.get("x-forwarded-prefix"))
            if forwarded_prefix is not None:
                prefix = forwarded_prefix
        if not _safe_host(host):
            host = "localhost"
        prefix = "/" + quote(prefix.strip("/"), safe="/-._~") if prefix.strip("/") else ""
        return f"{scheme}://{host}{prefix}"


@dataclass(frozen=True, slots=True)
class Links:
    """Absolute URLs below one base."""

    base: str

    def to(self, path: str, query: Mapping[str, str | int] | None = None) -> str:
        """``path`` is absolute from the server root (``/opds/v1.2/catalog``), already escaped
        where it holds names; ``query`` values are escaped here (as ``urlencode`` with
        ``quote`` would: everything but the unreserved characters)."""
        if not query:
            return self.base + path
        given = [
            f"{escape_component(key)}={escape_component(value)}"
            for key, value in query.items()
            if value not in ("", None)
        ]
        return f"{self.base}{path}?{'&'.join(given)}" if given else self.base + path


def escape_component(value: str | int) -> str:
    """``value`` percent-escaped for a URL component (or a URN part): as is when every
    character is unreserved, else through a cache of escaped names."""
    text = str(value)
    return text if _UNRESERVED.fullmatch(text) else _quoted(text)


# ``quote`` works byte by byte in Python, and feeds repeat the same few series and publisher
# names in every entry and every request. A name that is not UTF-8 keeps its bytes.
@lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    return quote(text, safe="", errors="surrogateescape")
