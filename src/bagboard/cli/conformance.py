"""``bagboard conformance``: check a running ``/api/v1`` server, bagboard or another."""

from __future__ import annotations

import argparse
import os
import sys

from bagboard.domain.errors import InvalidInput
from bagboard.library import ComicLibrary

__all__ = ["add_conformance_command", "cmd_conformance"]


def cmd_conformance(app: ComicLibrary, args: argparse.Namespace) -> int:
    # The local installation (``app``) plays no part: the server under test may be anywhere.
    # Imported here: its HTTP client (httpx, with click and rich) is no other command's.
    from bagboard.conformance import run

    def out(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    return run(
        args.base_url,
        _token(args.token),
        allow_writes=args.allow_writes,
        strict=args.strict,
        out=out,
        timeout=args.timeout,
        as_json=args.json,
    )


def _token(given: str | None) -> str:
    """``--token``, else ``BAGBOARD_TOKEN``, else the first line of standard input when it is
    not a terminal (``bagboard token create | bagboard conformance ...``): a token on the
    command line would stay in the shell's history and the process list."""
    token = (given or os.environ.get("BAGBOARD_TOKEN") or "").strip()
    if not token and sys.stdin is not None and not sys.stdin.isatty():
        token = sys.stdin.readline().strip()
    if not token:
        raise InvalidInput(
            "no token: pass --token, set BAGBOARD_TOKEN, or pipe one in on standard input"
        )
    return token


def add_conformance_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    text = "check a running /api/v1 server against the contract (read-only by default)"
    parser = commands.add_parser("conformance", help=text, description=text)
    # No storage options: the local data folder and database play no part in a check.
    parser.set_defaults(handler=cmd_conformance, uses_storage=False)
    parser.add_argument(
        "--base-url",
        required=True,
        metavar="URL",
        help="the server's root, e.g. http://host:8080 (the kit adds /api/v1)",
    )
    parser.add_argument(
        "--token",
        help="an API token of the server under test (default: env BAGBOARD_TOKEN, else the "
        "first line of standard input when it is not a terminal)",
    )
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        help="also write (then remove) a position and a read mark for a throwaway path",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="count failed extensions (bagboard's better behaviours) toward the exit status; "
        "reference deviations never count",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document (core, reference deviations, extensions, verdict) "
        "instead of a line per check",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="per request (default 30)"
    )
