"""``bagboard settings``: server-wide settings kept in the database."""

from __future__ import annotations

import argparse

from bagboard.cli.common import Commands, Leaf, out
from bagboard.domain.errors import InvalidInput
from bagboard.library import ComicLibrary

__all__ = ["add_settings_commands", "cmd_settings_set", "cmd_settings_show"]


def cmd_settings_set(app: ComicLibrary, args: argparse.Namespace) -> int:
    if args.key != "browse-mode":
        raise InvalidInput(f"unknown setting {args.key!r} (known: browse-mode)")
    settings = app.settings.set_browse_mode(args.value)
    out(f"browse-mode = {settings.browse_mode}")
    return 0


def cmd_settings_show(app: ComicLibrary, args: argparse.Namespace) -> int:
    out(f"browse-mode = {app.settings.current().browse_mode}")
    return 0


def add_settings_commands(commands: Commands, leaf: Leaf) -> None:
    conf = commands.add_parser("settings", help="server settings").add_subparsers(
        dest="settings_command", metavar="ACTION", required=True
    )
    sset = leaf(conf, "set", cmd_settings_set, "change a setting: browse-mode metadata|filesystem")
    sset.add_argument("key", metavar="KEY", choices=["browse-mode"])
    sset.add_argument("value", metavar="VALUE")
    leaf(conf, "show", cmd_settings_show, "show the settings")
