"""ASGI entry points: the app of an HTTP worker process, and one for other ASGI servers.

``bagboard serve --workers N`` starts N processes on ``worker_app``, handing each the settings
object itself (pickled by ``multiprocessing``), never environment variables. Other ASGI servers
can use ``create`` (``uvicorn --factory bagboard.asgi:create``), which reads the ``BAGBOARD_*``
variables once, as the command does. Watching and the periodic scans belong to the process
that runs ``bagboard serve``, never to these workers; an owner's "scan now" runs in the worker
it reached, and every process reports any of them alike (``services/scan_jobs.py``).
"""

from __future__ import annotations

from litestar.types import ASGIApp

from bagboard.config import Settings, load_settings
from bagboard.library import ComicLibrary
from bagboard.logs import configure
from bagboard.services.web_sessions import SetupLink
from bagboard.workers import exit_with

__all__ = ["create", "worker_app"]


def worker_app(
    settings: Settings, parent_pid: int | None = None, setup: SetupLink | None = None
) -> ASGIApp:
    """The app of one worker process; with ``parent_pid``, the process exits once that
    process is gone (a server killed outright leaves no worker behind). ``setup`` is the
    first-run link the server printed, which any worker may be asked to redeem."""
    if parent_pid is not None:
        exit_with(parent_pid)
    configure(settings.log_level, settings.log_format)
    library = ComicLibrary.from_settings(settings)
    library.name_process("bagboard serve worker")
    library.prepare_storage()
    if setup is not None:
        library.web_sessions.adopt_setup_link(setup)
    app: ASGIApp = library.create_app(access_log=settings.access_log)
    return app


def create() -> ASGIApp:
    """The app, configured from ``BAGBOARD_*`` variables (``BAGBOARD_LOG_LEVEL``,
    ``BAGBOARD_LOG_FORMAT``, and ``BAGBOARD_ACCESS_LOG``: any non-empty value logs requests)."""
    return worker_app(load_settings())
