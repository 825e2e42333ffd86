"""ASGI entry point: ``bagboard.asgi:create`` builds the app from ``BAGBOARD_*`` variables.

``bagboard serve --workers N`` starts N processes on it; any other ASGI server can use it too
(``uvicorn --factory bagboard.asgi:create``). Scanning and watching belong to the process that
runs ``bagboard serve``, never to these workers.
"""

from __future__ import annotations

from litestar import Litestar

from bagboard.bootstrap import build
from bagboard.config import load_settings


def create() -> Litestar:
    app = build(load_settings())
    app.prepare_storage()
    built: Litestar = app.create_app()
    return built
