"""ASGI entry point: ``bagboard.asgi:create`` builds the app from ``BAGBOARD_*`` variables.

``bagboard serve --workers N`` starts N processes on it; any other ASGI server can use it too
(``uvicorn --factory bagboard.asgi:create``). Scanning and watching belong to the process that
runs ``bagboard serve``, never to these workers.
"""

from __future__ import annotations

import os

from litestar.types import ASGIApp

from bagboard.bootstrap import build
from bagboard.config import load_settings
from bagboard.logs import configure


def create() -> ASGIApp:
    """Also reads ``BAGBOARD_LOG_LEVEL``, ``BAGBOARD_LOG_FORMAT`` and ``BAGBOARD_ACCESS_LOG``
    (any non-empty value turns the access log on), which ``serve`` sets for its workers."""
    configure(
        os.environ.get("BAGBOARD_LOG_LEVEL") or "info",
        os.environ.get("BAGBOARD_LOG_FORMAT") or "text",
    )
    app = build(load_settings())
    app.prepare_storage()
    built: ASGIApp = app.create_app(access_log=bool(os.environ.get("BAGBOARD_ACCESS_LOG")))
    return built
