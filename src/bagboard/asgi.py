"""ASGI entry points: the app of an HTTP worker process, and one for other ASGI servers.

``bagboard serve --workers N`` starts N processes on ``worker_app``, handing each the settings
object itself (pickled by ``multiprocessing``), never environment variables. Other ASGI servers
can use ``create`` (``uvicorn --factory bagboard.asgi:create``), which reads the ``BAGBOARD_*``
variables once, as the command does. Scanning and watching belong to the process that runs
``bagboard serve``, never to these workers.
"""

from __future__ import annotations

from litestar.types import ASGIApp

from bagboard.config import Settings, load_settings
from bagboard.library import ComicLibrary
from bagboard.logs import configure
from bagboard.workers import exit_with

__all__ = ["create", "worker_app"]


def worker_app(settings: Settings, parent_pid: int | None = None) -> ASGIApp:
    """The app of one worker process; with ``parent_pid``, the process exits once that
    process is gone (a server killed outright leaves no worker behind)."""
    if parent_pid is not None:
        exit_with(parent_pid)
    configure(settings.log_level, settings.log_format)
    library = ComicLibrary.from_settings(settings)
    library.name_process("bagboard serve worker")
    library.prepare_storage()
    app: ASGIApp = library.create_app(access_log=settings.access_log)
    return app


def create() -> ASGIApp:
    """The app, configured from ``BAGBOARD_*`` variables (``BAGBOARD_LOG_LEVEL``,
    ``BAGBOARD_LOG_FORMAT``, and ``BAGBOARD_ACCESS_LOG``: any non-empty value logs requests)."""
    return worker_app(load_settings())
