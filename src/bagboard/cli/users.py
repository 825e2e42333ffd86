"""``bagboard user`` and ``bagboard token``: accounts and their API tokens."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from bagboard.cli.common import Commands, Leaf, err, out, when
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import Role, User
from bagboard.library import ComicLibrary

__all__ = [
    "add_token_commands",
    "add_user_commands",
    "cmd_token_create",
    "cmd_token_list",
    "cmd_token_revoke",
    "cmd_user_add",
    "cmd_user_list",
    "cmd_user_password",
    "cmd_user_remove",
    "cmd_user_update",
]


def cmd_user_add(app: ComicLibrary, args: argparse.Namespace) -> int:
    library_ids = None
    if args.library:
        library_ids = [
            app.libraries.get(str(Path(p).expanduser().resolve())).id for p in args.library
        ]
    user = app.accounts.add_user(args.name, Role.parse(args.role), library_ids)
    out(f"added user {user.id}: {user.name} ({user.role})")
    return 0


def _scope(user: User, roots: dict[int, str]) -> str:
    if user.library_ids is None:
        return "all libraries"
    return ", ".join(roots.get(i, str(i)) for i in sorted(user.library_ids)) or "none"


def cmd_user_list(app: ComicLibrary, args: argparse.Namespace) -> int:
    roots = {lib.id: lib.root for lib in app.libraries.list()}
    for user in app.accounts.list_users():
        out(f"{user.id}\t{user.name}\t{user.role}\t{_scope(user, roots)}")
    return 0


def cmd_user_update(app: ComicLibrary, args: argparse.Namespace) -> int:
    library_ids = None
    if args.library:
        library_ids = [app.find_library(raw).id for raw in args.library]
    user = app.update_user(
        args.name,
        role=None if args.role is None else Role.parse(args.role),
        library_ids=library_ids,
        all_libraries=args.all_libraries,
    )
    roots = {lib.id: lib.root for lib in app.libraries.list()}
    out(f"updated user {user.id}: {user.name} ({user.role}; {_scope(user, roots)})")
    return 0


def cmd_user_remove(app: ComicLibrary, args: argparse.Namespace) -> int:
    live = [t for t in app.accounts.list_tokens(args.name) if t.is_active]
    user = app.remove_user(args.name)
    tokens = "1 token" if len(live) == 1 else f"{len(live)} tokens"
    out(
        f"removed user {user.id}: {user.name} ({user.role}) with {tokens}, its shelves, "
        "reading positions and read marks; a running server refuses its tokens from its "
        "next request"
    )
    return 0


def read_password(name: str) -> str:
    """The new password: typed twice, unechoed, on a terminal; else the first line of
    standard input (``echo "$PW" | bagboard user password NAME``), without its line end."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"new password for {name}: ")
        if getpass.getpass("again: ") != first:
            raise InvalidInput("the two passwords differ; nothing was changed")
        return first
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput("no password on standard input; nothing was changed")
    return line.removesuffix("\n").removesuffix("\r")


def cmd_user_password(app: ComicLibrary, args: argparse.Namespace) -> int:
    sessions = app.web_sessions
    if args.clear:
        had = sessions.clear_password(args.name)
        app.authenticator.forget()
        out(
            f"removed the password of {args.name}; their web sessions are ended"
            if had
            else f"{args.name} has no password; nothing to remove"
        )
        return 0
    sessions.has_password(args.name)  # an unknown user is told before a password is asked
    sessions.set_password(args.name, read_password(args.name))
    app.authenticator.forget()
    out(
        f"set the password of {args.name}; their web sessions are ended, and a running "
        "server refuses the old password from its next request"
    )
    return 0


def cmd_token_create(app: ComicLibrary, args: argparse.Namespace) -> int:
    issued = app.accounts.create_token(args.user, args.name or "")
    # The secret alone goes to stdout so that TOKEN=$(bagboard token create) works.
    out(issued.secret)
    err(f"token {issued.token.id} ({issued.token.name}) created; it is shown only this once")
    return 0


def cmd_token_list(app: ComicLibrary, args: argparse.Namespace) -> int:
    accounts = app.accounts
    names = {u.id: u.name for u in accounts.list_users()}
    out("id\tuser\tname\tcreated\tlast used\trevoked")
    for t in accounts.list_tokens(args.user):
        out(
            f"{t.id}\t{names.get(t.user_id, t.user_id)}\t{t.name}\t{when(t.created_at)}"
            f"\t{when(t.last_used_at)}\t{when(t.revoked_at)}"
        )
    return 0


def cmd_token_revoke(app: ComicLibrary, args: argparse.Namespace) -> int:
    token = app.accounts.revoke_token(args.id)
    out(f"revoked token {token.id} ({token.name})")
    return 0


def add_user_commands(commands: Commands, leaf: Leaf) -> None:
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
    update = leaf(user, "update", cmd_user_update, "change a user's role or libraries")
    update.add_argument("name", metavar="NAME")
    update.add_argument("--role", choices=["owner", "reader"], help="default: unchanged")
    update.add_argument(
        "--library",
        action="append",
        metavar="PATH",
        help="limit the user to this library, replacing the present limit (repeatable; "
        "a folder or a library name)",
    )
    update.add_argument(
        "--all-libraries", action="store_true", help="let the user see every library again"
    )
    upassword = leaf(
        user,
        "password",
        cmd_user_password,
        "set a user's password for the web app and OPDS/Komga apps (asked twice on a "
        "terminal, else read as one line from standard input)",
    )
    upassword.add_argument("name", metavar="NAME")
    upassword.add_argument(
        "--clear", action="store_true", help="remove the password (tokens keep working)"
    )
    leaf(
        user,
        "remove",
        cmd_user_remove,
        "delete a user with its tokens, shelves and reading positions",
    ).add_argument("name", metavar="NAME")


def add_token_commands(commands: Commands, leaf: Leaf) -> None:
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
