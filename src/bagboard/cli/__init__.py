"""The ``bagboard`` command: its parser, and the dispatch to one module per command group."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence

from bagboard.cli.checks import check_storage
from bagboard.cli.common import Commands, Handler, err
from bagboard.cli.conformance import add_conformance_command
from bagboard.cli.covers import add_covers_commands
from bagboard.cli.db import add_db_commands
from bagboard.cli.demo import add_demo_command
from bagboard.cli.library import add_library_commands, cmd_library_add
from bagboard.cli.problems import add_problems_command
from bagboard.cli.readlists import add_readlist_commands
from bagboard.cli.scan import add_scan_command, cmd_scan
from bagboard.cli.serve import add_serve_command
from bagboard.cli.settings import add_settings_commands
from bagboard.cli.users import add_token_commands, add_user_commands
from bagboard.config import Settings, demo_data_dir, load_settings
from bagboard.console import describe_storage, legacy_notice
from bagboard.domain.errors import DomainError
from bagboard.library import ComicLibrary
from bagboard.logs import FORMATS, LEVELS
from bagboard.version import __version__

__all__ = ["build_parser", "main"]

# Commands that say which data folder and database they changed, once done (serve and demo
# say it in their banner); the others keep their output to what they were asked, and an
# error is one line whatever the command.
_ANNOUNCE_STORAGE: tuple[Handler, ...] = (cmd_scan, cmd_library_add)
_STORAGE_VARIABLES = ("BAGBOARD_DATA_DIR", "BAGBOARD_DATABASE_URL", "BAGBOARD_CACHE_DIR")


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """The options every command takes, before or after its name: the main parser holds them
    with ``None`` defaults, and each command a copy with ``SUPPRESS`` defaults, so a value given
    after the command replaces one given before it, and an absent one leaves it alone."""
    group = parser.add_argument_group("storage")
    group.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="folder for the database and caches (env BAGBOARD_DATA_DIR, default: this "
        "user's data folder, e.g. ~/.local/share/bagboard)",
    )
    group.add_argument(
        "--database-url",
        metavar="URL",
        default=default,
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db "
        "(env BAGBOARD_DATABASE_URL, default SQLite in the data folder)",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        default=default,
        help="folder for rendered covers and pages, which servers of one database may share "
        "(env BAGBOARD_CACHE_DIR, default: renditions in the data folder)",
    )
    logs = parser.add_argument_group("logging")
    logs.add_argument(
        "--log-level",
        choices=LEVELS,
        default=default,
        help="least important events logged (env BAGBOARD_LOG_LEVEL, default info)",
    )
    logs.add_argument(
        "--log-format",
        choices=FORMATS,
        default=default,
        help="one line of text or one JSON object per event (env BAGBOARD_LOG_FORMAT, "
        "default text)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="bagboard",
        description="Self-hosted comic library server speaking the /api/v1 reader API.",
    )
    parser.add_argument("--version", action="version", version=f"bagboard {__version__}")
    _global_options(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def leaf(group: Commands, name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        sub = group.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    # In the order ``bagboard --help`` lists them.
    add_serve_command(commands, leaf)
    add_demo_command(commands, leaf)
    add_scan_command(commands, leaf)
    add_problems_command(commands, leaf)
    add_db_commands(commands, leaf)
    add_covers_commands(commands, leaf)
    add_conformance_command(commands)
    add_library_commands(commands, leaf)
    add_user_commands(commands, leaf)
    add_token_commands(commands, leaf)
    add_readlist_commands(commands, leaf)
    add_settings_commands(commands, leaf)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """Read once, here: every process of the command gets these values from this object."""
    environ: Mapping[str, str] = os.environ
    data_dir = args.data_dir
    if getattr(args, "own_data_dir", False):
        # ``bagboard demo`` keeps its comics out of the real library: only an explicit
        # option points it elsewhere, never the environment a real server is set up with.
        environ = {k: v for k, v in os.environ.items() if k not in _STORAGE_VARIABLES}
        data_dir = data_dir or str(demo_data_dir())
    return load_settings(
        data_dir=data_dir,
        database_url=args.database_url,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        public_url=getattr(args, "public_url", None),
        trusted_proxies=tuple(getattr(args, "trusted_proxy", None) or ()) or None,
        log_level=args.log_level,
        log_format=args.log_format,
        access_log=getattr(args, "access_log", None) or None,
        cache_dir=args.cache_dir,
        http_workers=getattr(args, "http_workers", None),
        environ=environ,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        settings = _settings(args)
        if getattr(args, "uses_storage", True):
            check_storage(settings)
            if settings.legacy_data_dir:
                err(legacy_notice(settings))
        app = ComicLibrary.from_settings(settings, workers=getattr(args, "workers", None))
        try:
            status = handler(app, args)
        finally:
            app.close()
        if handler in _ANNOUNCE_STORAGE:
            err(describe_storage(settings))
        return status
    except DomainError as exc:
        err(f"bagboard: error: {exc.message}")
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        err(f"bagboard: error: {(exc.strerror or str(exc)).lower()}{where}")
    except Exception as exc:
        if (args.log_level or os.environ.get("BAGBOARD_LOG_LEVEL")) == "debug":
            raise
        err(f"bagboard: error: {type(exc).__name__}: {exc} (--log-level debug shows where)")
    return 1
