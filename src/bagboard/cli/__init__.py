"""The ``bagboard`` command: its parser, and the dispatch to one module per command group."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from bagboard.cli.common import Commands, Handler, err
from bagboard.cli.conformance import add_conformance_command
from bagboard.cli.covers import add_covers_commands
from bagboard.cli.db import add_db_commands
from bagboard.cli.demo import add_demo_command
from bagboard.cli.library import add_library_commands
from bagboard.cli.problems import add_problems_command
from bagboard.cli.scan import add_scan_command
from bagboard.cli.serve import add_serve_command
from bagboard.cli.settings import add_settings_commands
from bagboard.cli.users import add_token_commands, add_user_commands
from bagboard.config import DEFAULT_DATA_DIR, load_settings
from bagboard.domain.errors import DomainError
from bagboard.library import ComicLibrary
from bagboard.logs import FORMATS, LEVELS
from bagboard.version import __version__

__all__ = ["build_parser", "main"]


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
    add_settings_commands(commands, leaf)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        # Read once, here: every process of the command gets these values from this object.
        settings = load_settings(
            data_dir=args.data_dir,
            database_url=args.database_url,
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            public_url=getattr(args, "public_url", None),
            trusted_proxies=tuple(getattr(args, "trusted_proxy", None) or ()) or None,
            log_level=getattr(args, "log_level", None),
            log_format=getattr(args, "log_format", None),
            access_log=getattr(args, "access_log", None) or None,
        )
        app = ComicLibrary.from_settings(settings, workers=getattr(args, "workers", None))
        try:
            handler: Handler = args.handler
            return handler(app, args)
        finally:
            app.close()
    except DomainError as exc:
        err(f"bagboard: error: {exc.message}")
        return 1
    except KeyboardInterrupt:
        return 130
