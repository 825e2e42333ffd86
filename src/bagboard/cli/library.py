"""``bagboard library``: the comic folders the server indexes."""

from __future__ import annotations

import argparse
from pathlib import Path

from bagboard.cli.common import Commands, Handler, Leaf, err, folder, out
from bagboard.library import ComicLibrary

__all__ = [
    "add_library_commands",
    "cmd_library_add",
    "cmd_library_list",
    "cmd_library_remove",
]


def cmd_library_add(app: ComicLibrary, args: argparse.Namespace) -> int:
    library = app.libraries.add(folder(args.path), args.name)
    out(f"added library {library.id}: {library.name} ({library.root})")
    return 0


def cmd_library_list(app: ComicLibrary, args: argparse.Namespace) -> int:
    libraries = app.libraries.list()
    if not libraries:
        err("no libraries")
    for lib in libraries:
        state = "enabled" if lib.enabled else "disabled"
        out(f"{lib.id}\t{state}\t{lib.name}\t{lib.root}")
    return 0


def cmd_library_remove(app: ComicLibrary, args: argparse.Namespace) -> int:
    removed = app.remove_library(args.path)
    lib = removed.library
    line = (
        f"removed library {lib.id}: {lib.name} ({lib.root}); its index and shelf entries are "
        "gone, reading positions and read marks are kept for when it is added back"
    )
    if removed.lost_access:
        names = [
            f"{user.name} (now sees no library)"
            if user.library_ids == frozenset({lib.id})
            else user.name
            for user in removed.lost_access
        ]
        line += f"; lost access to it: {', '.join(names)}"
    out(line)
    return 0


def _set_library_enabled(enabled: bool) -> Handler:
    def run(app: ComicLibrary, args: argparse.Namespace) -> int:
        root = str(Path(args.path).expanduser().resolve())
        library = app.libraries.set_enabled(root, enabled)
        out(f"{'enabled' if enabled else 'disabled'} library {library.id}: {library.root}")
        return 0

    return run


def add_library_commands(commands: Commands, leaf: Leaf) -> None:
    lib = commands.add_parser("library", help="manage library folders").add_subparsers(
        dest="library_command", metavar="ACTION", required=True
    )
    add = leaf(lib, "add", cmd_library_add, "add a comic folder as a library")
    add.add_argument("path", metavar="PATH")
    add.add_argument("--name", help="display name (default: the folder name)")
    leaf(lib, "list", cmd_library_list, "list libraries")
    leaf(
        lib,
        "remove",
        cmd_library_remove,
        "forget a library and its index (reading positions are kept, by path)",
    ).add_argument("path", metavar="PATH", help="the library's folder, or its name")
    leaf(
        lib, "disable", _set_library_enabled(False), "hide a library without forgetting it"
    ).add_argument("path", metavar="PATH")
    leaf(lib, "enable", _set_library_enabled(True), "serve a disabled library again").add_argument(
        "path", metavar="PATH"
    )
