"""The ``bagboard`` command."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bagboard.bootstrap import Bagboard, build
from bagboard.cli.conformance import add_conformance_command
from bagboard.cli.covers import add_covers_commands, warm_with_bar
from bagboard.config import DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, load_settings
from bagboard.console import ProgressBar, describe_formats, describe_report, parse_duration
from bagboard.domain.errors import DomainError, InvalidInput
from bagboard.domain.images import DEFAULT_COVER_SIZE
from bagboard.domain.model import Role
from bagboard.logs import FORMATS, LEVELS, configure
from bagboard.version import __version__

Handler = Callable[[Bagboard, argparse.Namespace], int]


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _folder(raw: str) -> str:
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise InvalidInput(f"not a folder: {raw}")
    return str(path.resolve())


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


# --- commands -------------------------------------------------------------------------------


def _serve(
    app: Bagboard,
    rescan_interval: str,
    *,
    watch: bool = True,
    access_log: bool = False,
    workers: int = 1,
) -> int:
    import uvicorn  # imported here so the other commands start fast

    interval = parse_duration(rescan_interval)
    if not interval:
        interval = timedelta.max  # 0 turns the periodic rescan off; watching goes on
    if not app.libraries().list(enabled_only=True):
        _err("no library yet: add one with `bagboard library add PATH` or `serve --library PATH`")
    if not app.accounts().list_tokens():
        _err("no API token yet, so /api/v1 answers 503: create one with `bagboard token create`")
    _err(describe_formats(app.formats()))
    settings = app.settings
    _err(f"bagboard {__version__} on http://{settings.host}:{settings.port}/api/v1")

    # The index is scanned and then watched in the background; the API serves what is
    # indexed meanwhile.
    stop = threading.Event()
    monitor = threading.Thread(
        target=app.monitor(interval).run, args=(stop,), name="library-monitor", daemon=True
    )
    if watch:
        monitor.start()
    else:
        _err("not scanning or watching: serving the index as it is")
    try:
        options: dict[str, Any] = {
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
        if workers > 1:
            # Worker processes build their own app from the environment (bagboard.asgi).
            os.environ["BAGBOARD_DATA_DIR"] = str(settings.data_dir)
            os.environ["BAGBOARD_DATABASE_URL"] = settings.database_url
            os.environ["BAGBOARD_PUBLIC_URL"] = settings.public_url or ""
            os.environ["BAGBOARD_TRUSTED_PROXIES"] = ",".join(settings.trusted_proxies)
            os.environ["BAGBOARD_ACCESS_LOG"] = "1" if access_log else ""
            uvicorn.run("bagboard.asgi:create", factory=True, workers=workers, **options)
        else:
            uvicorn.run(app.create_app(access_log=access_log), **options)
    finally:
        stop.set()
        if monitor.is_alive():
            monitor.join(timeout=30)
    return 0


def _logging(args: argparse.Namespace) -> None:
    """Configure logging from the options, else ``BAGBOARD_LOG_*``, and pass the choice on to
    worker processes through those variables."""
    level = args.log_level or os.environ.get("BAGBOARD_LOG_LEVEL") or "info"
    fmt = args.log_format or os.environ.get("BAGBOARD_LOG_FORMAT") or "text"
    configure(level, fmt)
    os.environ["BAGBOARD_LOG_LEVEL"], os.environ["BAGBOARD_LOG_FORMAT"] = level, fmt


def cmd_serve(app: Bagboard, args: argparse.Namespace) -> int:
    _logging(args)
    app.prepare_storage()
    for raw in args.library or []:
        library = app.libraries().ensure(_folder(raw))
        _err(f"library: {library.name} ({library.root})")
    return _serve(
        app,
        args.rescan_interval,
        watch=not args.no_watch,
        access_log=args.access_log,
        workers=args.http_workers or 1,
    )


def cmd_demo(app: Bagboard, args: argparse.Namespace) -> int:
    from bagboard.demo import make_library

    _logging(args)
    app.prepare_storage()
    root = app.settings.data_dir / "demo-library"
    _err(f"writing a demo library of {args.comics} comics to {root} ...")
    summary = make_library(root, args.comics)
    _err(summary.describe())
    library = app.libraries().ensure(str(root.resolve()), "Demo")
    report = app.scanner().scan(library)
    _err(describe_report(library.name, report))
    issued = app.accounts().create_token(token_name="demo")  # noqa: S106 (a label)
    base = f"http://{app.settings.host}:{app.settings.port}"
    _out(f"TOKEN={issued.secret}")
    _out(f'curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/auth/ping')
    return _serve(app, args.rescan_interval)


def _peak_rss_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB.

    Linux's VmHWM belongs to this process image alone; ``ru_maxrss`` would also carry the peak
    of whatever process forked us (a benchmark driver holding a whole library, say).
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with Path("/proc/self/status").open() as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    own = int(line.split()[1]) / 1024
    except OSError:
        pass
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cmd_scan(app: Bagboard, args: argparse.Namespace) -> int:
    app.prepare_storage()
    _err(describe_formats(app.formats()))
    if args.library:
        libraries = [app.libraries().ensure(_folder(raw)) for raw in args.library]
    else:
        libraries = app.libraries().list(enabled_only=True)
    if not libraries:
        raise InvalidInput("no library to scan: add one with `bagboard library add PATH`")
    scanner = app.scanner()
    status = 0
    results = []
    for library in libraries:
        bar = ProgressBar(library.name) if sys.stderr.isatty() else None
        try:
            report = scanner.scan(library, full=args.full, progress=bar)
        except DomainError as exc:
            _err(f"bagboard: error: {library.name}: {exc.message}")
            status = 1
            continue
        finally:
            if bar is not None:
                bar.close()
        _err(describe_report(library.name, report))
        results.append((library, report))
    if args.warm_covers:
        warm_with_bar(app, [library for library, _ in results], DEFAULT_COVER_SIZE)
    app.close()  # ends the worker pool, so its peak memory is counted below
    if args.json:
        own, workers = _peak_rss_mib()
        for library, report in results:
            line = {
                "library": library.root,
                "new": report.new,
                "changed": report.changed,
                "moved": report.moved,
                "removed": report.removed,
                "unreadable": report.unreadable,
                "unchanged": report.unchanged,
                "folders": report.folders,
                "elapsed": report.elapsed,
                "files_per_second": report.files_per_second,
                "peak_rss_mib": round(own, 1),
                "worker_peak_rss_mib": round(workers, 1),
            }
            _out(json.dumps(line))
    return status


def cmd_db_upgrade(app: Bagboard, args: argparse.Namespace) -> int:
    app.prepare_storage()
    _err("database is up to date")
    return 0


def cmd_library_add(app: Bagboard, args: argparse.Namespace) -> int:
    library = app.libraries().add(_folder(args.path), args.name)
    _out(f"added library {library.id}: {library.name} ({library.root})")
    return 0


def cmd_library_list(app: Bagboard, args: argparse.Namespace) -> int:
    libraries = app.libraries().list()
    if not libraries:
        _err("no libraries")
    for lib in libraries:
        state = "enabled" if lib.enabled else "disabled"
        _out(f"{lib.id}\t{state}\t{lib.name}\t{lib.root}")
    return 0


def _set_library_enabled(enabled: bool) -> Handler:
    def run(app: Bagboard, args: argparse.Namespace) -> int:
        root = str(Path(args.path).expanduser().resolve())
        library = app.libraries().set_enabled(root, enabled)
        _out(f"{'enabled' if enabled else 'disabled'} library {library.id}: {library.root}")
        return 0

    return run


def cmd_user_add(app: Bagboard, args: argparse.Namespace) -> int:
    library_ids = None
    if args.library:
        library_ids = [
            app.libraries().get(str(Path(p).expanduser().resolve())).id for p in args.library
        ]
    user = app.accounts().add_user(args.name, Role.parse(args.role), library_ids)
    _out(f"added user {user.id}: {user.name} ({user.role})")
    return 0


def cmd_user_list(app: Bagboard, args: argparse.Namespace) -> int:
    libraries = {lib.id: lib.root for lib in app.libraries().list()}
    for user in app.accounts().list_users():
        if user.library_ids is None:
            scope = "all libraries"
        else:
            scope = ", ".join(libraries.get(i, str(i)) for i in sorted(user.library_ids)) or "none"
        _out(f"{user.id}\t{user.name}\t{user.role}\t{scope}")
    return 0


def cmd_token_create(app: Bagboard, args: argparse.Namespace) -> int:
    issued = app.accounts().create_token(args.user, args.name or "")
    # The secret alone goes to stdout so that TOKEN=$(bagboard token create) works.
    _out(issued.secret)
    _err(f"token {issued.token.id} ({issued.token.name}) created; it is shown only this once")
    return 0


def cmd_token_list(app: Bagboard, args: argparse.Namespace) -> int:
    accounts = app.accounts()
    names = {u.id: u.name for u in accounts.list_users()}
    _out("id\tuser\tname\tcreated\tlast used\trevoked")
    for t in accounts.list_tokens(args.user):
        _out(
            f"{t.id}\t{names.get(t.user_id, t.user_id)}\t{t.name}\t{_when(t.created_at)}"
            f"\t{_when(t.last_used_at)}\t{_when(t.revoked_at)}"
        )
    return 0


def cmd_token_revoke(app: Bagboard, args: argparse.Namespace) -> int:
    token = app.accounts().revoke_token(args.id)
    _out(f"revoked token {token.id} ({token.name})")
    return 0


def cmd_settings_set(app: Bagboard, args: argparse.Namespace) -> int:
    if args.key != "browse-mode":
        raise InvalidInput(f"unknown setting {args.key!r} (known: browse-mode)")
    settings = app.settings_service().set_browse_mode(args.value)
    _out(f"browse-mode = {settings.browse_mode}")
    return 0


def cmd_settings_show(app: Bagboard, args: argparse.Namespace) -> int:
    _out(f"browse-mode = {app.settings_service().current().browse_mode}")
    return 0


# --- parser ---------------------------------------------------------------------------------


def _storage_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("storage")
    group.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder for the database and caches "
        f"(env BAGBOARD_DATA_DIR, default {DEFAULT_DATA_DIR})",
    )
    group.add_argument(
        "--database-url",
        metavar="URL",
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db "
        "(env BAGBOARD_DATABASE_URL, default SQLite in the data folder)",
    )
    logs = common.add_argument_group("logging")
    logs.add_argument(
        "--log-level",
        choices=LEVELS,
        help="least important events logged (env BAGBOARD_LOG_LEVEL, default info)",
    )
    logs.add_argument(
        "--log-format",
        choices=FORMATS,
        help="one line of text or one JSON object per event (env BAGBOARD_LOG_FORMAT, "
        "default text)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _storage_options()
    parser = argparse.ArgumentParser(
        prog="bagboard",
        description="Self-hosted comic library server speaking the /api/v1 reader API.",
    )
    parser.add_argument("--version", action="version", version=f"bagboard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def leaf(
        group: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        handler: Handler,
        text: str,
    ) -> argparse.ArgumentParser:
        sub = group.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    serve = leaf(commands, "serve", cmd_serve, "run the HTTP server")
    serve.add_argument(
        "--library",
        action="append",
        metavar="PATH",
        help="a comic folder to serve (added if new; repeatable)",
    )
    serve.add_argument(
        "--host", help=f"address to listen on (env BAGBOARD_HOST, default {DEFAULT_HOST})"
    )
    serve.add_argument(
        "--port", type=int, help=f"port to listen on (env BAGBOARD_PORT, default {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--rescan-interval",
        default="6h",
        metavar="DURATION",
        help="full rescan every DURATION (e.g. 30m, 6h; 0 = never), besides watching for changes",
    )
    serve.add_argument(
        "--workers",
        type=int,
        metavar="N",
        dest="http_workers",
        help="HTTP worker processes (default 1; more use more CPUs)",
    )
    add_address_options(serve)
    serve.add_argument(
        "--access-log", action="store_true", help="log every request (off by default: it is slow)"
    )
    serve.add_argument(
        "--no-watch",
        action="store_true",
        help="neither scan at start nor watch the folders: serve the index as it is",
    )

    demo = leaf(
        commands,
        "demo",
        cmd_demo,
        "write a small synthetic library into the data folder, index it and serve it",
    )
    demo.add_argument("--comics", type=int, default=200, help="how many comics (default 200)")
    demo.add_argument("--host", help=f"address to listen on (default {DEFAULT_HOST})")
    demo.add_argument("--port", type=int, help=f"port to listen on (default {DEFAULT_PORT})")
    add_address_options(demo)
    demo.add_argument("--rescan-interval", default="6h", metavar="DURATION", help="as for serve")

    scan = leaf(commands, "scan", cmd_scan, "index the libraries now, in the foreground")
    scan.add_argument(
        "--library",
        action="append",
        metavar="PATH",
        help="scan only this folder (added as a library if new; repeatable)",
    )
    scan.add_argument(
        "--full", action="store_true", help="list every folder again, trusting no folder mtime"
    )
    scan.add_argument("--json", action="store_true", help="also print a JSON report per library")
    scan.add_argument(
        "--warm-covers", action="store_true", help="then render the covers of those libraries"
    )
    scan.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes reading archives (default: one per CPU; 0 = none)",
    )

    db = commands.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", metavar="ACTION", required=True
    )
    leaf(db, "upgrade", cmd_db_upgrade, "create the database or apply pending migrations")

    add_covers_commands(commands, leaf)
    add_conformance_command(commands)

    lib = commands.add_parser("library", help="manage library folders").add_subparsers(
        dest="library_command", metavar="ACTION", required=True
    )
    add = leaf(lib, "add", cmd_library_add, "add a comic folder as a library")
    add.add_argument("path", metavar="PATH")
    add.add_argument("--name", help="display name (default: the folder name)")
    leaf(lib, "list", cmd_library_list, "list libraries")
    leaf(
        lib, "disable", _set_library_enabled(False), "hide a library without forgetting it"
    ).add_argument("path", metavar="PATH")
    leaf(lib, "enable", _set_library_enabled(True), "serve a disabled library again").add_argument(
        "path", metavar="PATH"
    )

    user = commands.add_parser("user", help="manage users").add_subparsers(
        dest="user_command", metavar="ACTION", required=True
    )
    uadd = leaf(user, "add", cmd_user_add, "add a user")
    uadd.add_argument("name", metavar="NAME")
    uadd.add_argument(
        "--role", default="reader", choices=["owner", "reader"], help="default: reader"
    )
    uadd.add_argument(
        "--library",
        action="append",
        metavar="PATH",
        help="limit the user to this library (repeatable; default: every library)",
    )
    leaf(user, "list", cmd_user_list, "list users")

    token = commands.add_parser("token", help="manage API tokens").add_subparsers(
        dest="token_command", metavar="ACTION", required=True
    )
    tcreate = leaf(
        token,
        "create",
        cmd_token_create,
        "create a token and print it alone on stdout (shown only once)",
    )
    tcreate.add_argument(
        "--user", help="owner of the token (default: the first owner, created if none)"
    )
    tcreate.add_argument("--name", help="a label, e.g. the device it is for")
    tlist = leaf(token, "list", cmd_token_list, "list tokens (never shows the secrets)")
    tlist.add_argument("--user", help="only this user's tokens")
    leaf(token, "revoke", cmd_token_revoke, "revoke a token by id").add_argument(
        "id", type=int, metavar="ID"
    )

    conf = commands.add_parser("settings", help="server settings").add_subparsers(
        dest="settings_command", metavar="ACTION", required=True
    )
    sset = leaf(conf, "set", cmd_settings_set, "change a setting: browse-mode metadata|filesystem")
    sset.add_argument("key", metavar="KEY", choices=["browse-mode"])
    sset.add_argument("value", metavar="VALUE")
    leaf(conf, "show", cmd_settings_show, "show the settings")
    return parser


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
        help="a reverse proxy whose X-Forwarded-Proto/Host/Port/Prefix headers are believed "
        "(repeatable; env BAGBOARD_TRUSTED_PROXIES, comma-separated)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(
            data_dir=args.data_dir,
            database_url=args.database_url,
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            public_url=getattr(args, "public_url", None),
            trusted_proxies=tuple(getattr(args, "trusted_proxy", None) or ()) or None,
        )
        app = build(settings, workers=getattr(args, "workers", None))
        try:
            handler: Handler = args.handler
            return handler(app, args)
        finally:
            app.close()
    except DomainError as exc:
        _err(f"bagboard: error: {exc.message}")
        return 1
    except KeyboardInterrupt:
        return 130

