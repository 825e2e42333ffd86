"""``bagboard serve``: the HTTP server, in this process or in several worker processes.

This process prepares the storage and, when it is the scanner of the servers sharing its
database (``services/scanner_election.py``), scans and watches the libraries; with
``--workers N`` (or ``auto``: one per CPU, ``config.parse_workers``) it binds the socket and
starts N processes that serve it. Each worker gets the ``Settings`` object itself (pickled by
``multiprocessing``), and the first-run setup link this process printed (its hash), so
nothing is handed over through the environment.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import os
import socket
import threading
from datetime import timedelta
from typing import Any

from bagboard.cli.banner import banner, setup_notice
from bagboard.cli.common import Commands, Leaf, err, folder
from bagboard.config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_WORKERS,
    MAX_AUTO_WORKERS,
    Settings,
)
from bagboard.console import describe_formats, parse_duration
from bagboard.domain.errors import InvalidInput
from bagboard.library import ComicLibrary
from bagboard.logs import configure
from bagboard.services.web_sessions import SetupLink

__all__ = ["add_address_options", "add_serve_command", "cmd_serve", "listen", "serve"]

# How long a worker may take to answer its supervisor's health check before it is killed and
# started again. uvicorn's 5 seconds count from the process's start, and a new worker answers
# only once Python has started and imported bagboard: on a slow NAS, or a machine busy with a
# scan, that can take longer, and every worker would then be killed and restarted forever.
WORKER_HEALTHCHECK_SECONDS = 60


def serve(
    app: ComicLibrary,
    rescan_interval: str,
    *,
    watch: bool = True,
    workers: int = 1,
    sock: socket.socket | None = None,
    setup_from: str | None = None,
) -> int:
    """Serve ``app`` until interrupted, scanning and watching its libraries meanwhile, on
    ``sock`` if it is bound already (``listen``). While no owner has a password, the banner
    carries a one-time link to set one, for a browser at ``setup_from`` (default: this
    machine)."""
    interval = parse_duration(rescan_interval)
    if not interval:
        interval = timedelta.max  # 0 turns the periodic rescan off; watching goes on
    settings = app.config
    # Bound first: a busy port is one line now, not a traceback after the first scan.
    sock = sock or listen(settings.host, settings.port)
    try:
        if not app.libraries.list(enabled_only=True):
            err(
                "no library yet: add one with `bagboard library add PATH` or `serve --library PATH`"
            )
        if not app.accounts.list_tokens():
            err("no API token yet, so /api/v1 answers 503: create one with `bagboard token create`")
        err(describe_formats(app.formats()))
        for line in [
            *banner(settings, workers=workers),
            *setup_notice(app.web_sessions, settings, setup_from),
        ]:
            err(line)
        return _serve_on(app, sock, interval, watch=watch, workers=workers)
    finally:
        sock.close()


def _serve_on(
    app: ComicLibrary, sock: socket.socket, interval: timedelta, *, watch: bool, workers: int
) -> int:
    # The index is scanned and then watched in the background, by one of the servers sharing
    # the database (this one, or the one named in the log); the API serves what is indexed
    # meanwhile.
    stop = threading.Event()
    election = threading.Thread(
        target=app.scanner_election(interval).run,
        args=(stop,),
        name="scanner-election",
        daemon=True,
    )
    if watch:
        election.start()
    else:
        err("not scanning or watching: serving the index as it is")
    try:
        if workers > 1:
            _run_workers(app.config, workers, sock, app.web_sessions.setup_link())
            return 0
        return 0 if _run_here(app, sock) else 1
    finally:
        stop.set()
        if election.is_alive():
            election.join(timeout=30)


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` as uvicorn would bind it; ``InvalidInput`` in one
    line when the port is taken or the address is not this machine's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InvalidInput(
                f"port {port} on {host} is in use: stop what uses it, or choose another with --port"
            ) from None
        reason = (exc.strerror or str(exc)).lower()
        raise InvalidInput(f"cannot listen on {host} port {port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def _server_options(settings: Settings) -> dict[str, Any]:
    return {
        "host": settings.host,
        "port": settings.port,
        # Logging is configured already (``logs``); uvicorn's goes through it. The access
        # log is bagboard's own (``adapters/http/access_log``): a line per request costs
        # more than a whole cached list response, so it is off unless asked for.
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
    }


def _run_here(app: ComicLibrary, sock: socket.socket) -> bool:
    """Serve from this process until interrupted; False when the app failed to start."""
    import uvicorn  # imported here so the other commands start fast

    asgi = app.create_app(access_log=app.config.access_log)
    server = uvicorn.Server(uvicorn.Config(asgi, **_server_options(app.config)))
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    return bool(server.started)


def _run_workers(
    settings: Settings, workers: int, sock: socket.socket, setup: SetupLink | None = None
) -> None:
    """Serve from ``workers`` processes sharing one listening socket, under uvicorn's
    supervisor (which restarts a worker that dies and stops them all on SIGINT/SIGTERM);
    each accepts the first-run ``setup`` link this process printed."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from bagboard.asgi import worker_app

    # The factory travels to each worker pickled, with the settings bound to it; the workers
    # also watch this process, so that none outlives it when it is killed outright.
    factory = functools.partial(worker_app, settings, os.getpid(), setup)
    config = uvicorn.Config(
        factory,
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        **_server_options(settings),
    )
    Multiprocess(config, sockets=[sock]).run()


def cmd_serve(app: ComicLibrary, args: argparse.Namespace) -> int:
    # Bound before anything else, so that a busy port is the only line said.
    sock = listen(app.config.host, app.config.port)
    app.name_process("bagboard serve")
    try:
        configure(app.config.log_level, app.config.log_format)
        app.prepare_storage()
        app.forget_scan_statuses()
        for raw in args.library or []:
            library = app.libraries.ensure(folder(raw))
            err(f"library: {library.name} ({library.root})")
    except BaseException:
        sock.close()
        raise
    workers = app.config.http_workers
    return serve(
        app,
        args.rescan_interval,
        watch=not args.no_watch,
        workers=workers,
        sock=sock,
        setup_from=args.setup_from,
    )


def add_serve_command(commands: Commands, leaf: Leaf) -> None:
    serve_parser = leaf(commands, "serve", cmd_serve, "run the HTTP server")
    serve_parser.add_argument(
        "--library",
        action="append",
        metavar="PATH",
        help="a comic folder to serve (added if new; repeatable)",
    )
    add_listen_options(serve_parser, env=True)
    serve_parser.add_argument(
        "--rescan-interval",
        default="6h",
        metavar="DURATION",
        help="full rescan every DURATION (e.g. 30m, 6h; 0 = never), besides watching for changes",
    )
    serve_parser.add_argument(
        "--workers",
        metavar="N|auto",
        dest="http_workers",
        help="processes answering requests: N, or auto for one per CPU and per GiB of memory, "
        f"at most {MAX_AUTO_WORKERS} (env BAGBOARD_WORKERS, default {DEFAULT_WORKERS}); more "
        "serve more readers at once on a multi-core machine, each takes about 130 MB",
    )
    add_address_options(serve_parser)
    serve_parser.add_argument(
        "--setup-from",
        metavar="ADDRESS",
        help="while no owner has a password, the IP address of the browser that may use the "
        "one-time setup link (default: this machine)",
    )
    serve_parser.add_argument(
        "--access-log", action="store_true", help="log every request (off by default: it is slow)"
    )
    serve_parser.add_argument(
        "--no-watch",
        action="store_true",
        help="neither scan at start nor watch the folders: serve the index as it is",
    )


def add_listen_options(parser: argparse.ArgumentParser, *, env: bool) -> None:
    """``--host`` and ``--port``; ``env`` names their environment variables in the help."""
    host_env, port_env = ("env BAGBOARD_HOST, ", "env BAGBOARD_PORT, ") if env else ("", "")
    parser.add_argument("--host", help=f"address to listen on ({host_env}default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=int, help=f"port to listen on ({port_env}default {DEFAULT_PORT})"
    )


def add_address_options(parser: argparse.ArgumentParser) -> None:
    """Where readers reach the server: OPDS documents carry absolute links built from it."""
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address readers use, e.g. https://comics.example.org/bagboard (env "
        "BAGBOARD_PUBLIC_URL; default: the address each request came to)",
    )
    parser.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS",
        help="a reverse proxy whose X-Forwarded-For/Proto/Host/Port/Prefix headers are believed "
        "(repeatable; env BAGBOARD_TRUSTED_PROXIES, comma-separated)",
    )
