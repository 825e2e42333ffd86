"""``bagboard db``: database maintenance."""

from __future__ import annotations

import argparse

from bagboard.cli.common import Commands, Leaf, err
from bagboard.library import ComicLibrary

__all__ = ["add_db_commands", "cmd_db_backup", "cmd_db_upgrade"]


def cmd_db_upgrade(app: ComicLibrary, args: argparse.Namespace) -> int:
    app.prepare_storage()
    err("database is up to date")
    return 0


def cmd_db_backup(app: ComicLibrary, args: argparse.Namespace) -> int:
    size = app.backup(args.file)
    err(f"backed the database up to {args.file} ({size / 1_048_576:.1f} MiB)")
    return 0


def add_db_commands(commands: Commands, leaf: Leaf) -> None:
    db = commands.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", metavar="ACTION", required=True
    )
    leaf(db, "upgrade", cmd_db_upgrade, "create the database or apply pending migrations")
    backup = leaf(
        db,
        "backup",
        cmd_db_backup,
        "copy the SQLite database to a new FILE while the server may keep running",
    )
    backup.add_argument("file", metavar="FILE", help="the copy to write (must not exist)")
