"""The web app's stylesheet and scripts: package data, served under a path that names their
content, so a browser may keep them for a year and still gets new ones after an upgrade."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Final

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY

__all__ = ["STATIC_DIR", "STATIC_ROOT", "asset_version", "static_prefix", "static_router"]

STATIC_DIR: Final = Path(__file__).with_name("static")
STATIC_ROOT: Final = "/static"
_YEAR: Final = 365 * 24 * 3600


@cache
def asset_version() -> str:
    """A short digest of every static file: it changes whenever one of them does."""
    digest = hashlib.blake2s(digest_size=6)
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(STATIC_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def static_prefix() -> str:
    return f"{STATIC_ROOT}/{asset_version()}"


def static_router() -> Router:
    return create_static_files_router(
        path=static_prefix(),
        directories=[STATIC_DIR],
        name="web-static",
        cache_control=CacheControlHeader(max_age=_YEAR, public=True, immutable=True),
        opt={PUBLIC_OPT_KEY: True},
    )
