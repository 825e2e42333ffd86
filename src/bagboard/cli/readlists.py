"""``bagboard readlist``: reading lists from CBL files, and back.

Each command acts as one user: ``--user NAME`` (who must exist), else the server's owner.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bagboard.adapters.readlists.cbl import read_cbl, write_cbl
from bagboard.cli.common import Commands, Leaf, out
from bagboard.domain.model import User
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.domain.readlists import ListBook, ReadingList, named
from bagboard.library import ComicLibrary
from bagboard.services.reading_lists import ImportedBook

__all__ = [
    "add_readlist_commands",
    "cmd_readlist_export",
    "cmd_readlist_import",
    "cmd_readlist_list",
    "cmd_readlist_remove",
    "cmd_readlist_show",
]


def _user(app: ComicLibrary, args: argparse.Namespace) -> User:
    name: str | None = getattr(args, "user", None)
    return app.accounts.owner() if name is None else app.accounts.user(name)


def describe_book(book: ListBook) -> str:
    """``Civil War #1 (vol 2006, 2006)``: a book as its list names it."""
    details = [f"vol {book.volume}"] if book.volume else []
    if book.year is not None:
        details.append(str(book.year))
    extra = f" ({', '.join(details)})" if details else ""
    return f"{book.series} #{book.number}{extra}"


def _owner(header: ReadingList) -> str:
    return "shared" if header.owner_id is None else "own"


def _outcome(label: str, books: tuple[ImportedBook, ...]) -> None:
    for book in books:
        out(f"  {label} #{book.position}: {describe_book(book.book)}")


def cmd_readlist_import(app: ComicLibrary, args: argparse.Namespace) -> int:
    with Path(args.file).expanduser().open("rb") as stream:
        parsed = named(read_cbl(stream), args.file)
    report = app.reading_lists.import_list(_user(app, args), parsed, shared=args.shared)
    header = report.reading_list
    out(
        f"imported list {header.id}: {header.name} ({_owner(header)}, {len(report.books)} "
        f"books): {len(report.matched)} matched, {len(report.ambiguous)} ambiguous, "
        f"{len(report.missing)} missing"
    )
    _outcome("ambiguous", report.ambiguous)
    _outcome("missing", report.missing)
    return 0


def cmd_readlist_list(app: ComicLibrary, args: argparse.Namespace) -> int:
    for header in app.reading_lists.lists(_user(app, args)):
        out(
            f"{header.id}\t{header.name}\t{_owner(header)}\t"
            f"{header.resolved}/{header.entries} resolved"
        )
    return 0


def cmd_readlist_show(app: ComicLibrary, args: argparse.Namespace) -> int:
    user = _user(app, args)
    page = PageRequest(1, MAX_PAGE_SIZE)
    view = app.reading_lists.show(user, args.id, page)
    header = view.reading_list
    out(f"{header.id}\t{header.name}\t{_owner(header)}")
    if header.summary:
        out(header.summary)
    while True:
        for entry in view.entries.items:
            comic = None if entry.comic_id is None else view.comics.get(entry.comic_id)
            where = "unresolved" if comic is None else comic.path
            out(f"{entry.position}\t{describe_book(entry.book)}\t{where}")
        if page.page * page.page_size >= view.entries.total or not view.entries.items:
            return 0
        page = PageRequest(page.page + 1, MAX_PAGE_SIZE)
        view = app.reading_lists.show(user, args.id, page)


def cmd_readlist_remove(app: ComicLibrary, args: argparse.Namespace) -> int:
    header = app.reading_lists.remove(_user(app, args), args.id)
    out(f"removed list {header.id}: {header.name}")
    return 0


def cmd_readlist_export(app: ComicLibrary, args: argparse.Namespace) -> int:
    name, summary, books = app.reading_lists.export(_user(app, args), args.id)
    data = write_cbl(name, summary, books)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(args.output).expanduser().write_bytes(data)
        out(f"exported list {args.id}: {name} ({len(books)} books) to {args.output}")
    return 0


def _as_user(command: argparse.ArgumentParser) -> None:
    command.add_argument("--user", metavar="NAME", help="act as this user (default: the owner)")


def add_readlist_commands(commands: Commands, leaf: Leaf) -> None:
    readlist = commands.add_parser(
        "readlist", help="reading lists: import and export CBL files"
    ).add_subparsers(dest="readlist_command", metavar="ACTION", required=True)
    imported = leaf(
        readlist,
        "import",
        cmd_readlist_import,
        "import a CBL reading list (importing a list of the same name again updates it)",
    )
    imported.add_argument("file", metavar="FILE", help="the .cbl file")
    whose = imported.add_mutually_exclusive_group()
    whose.add_argument(
        "--user", metavar="NAME", help="the user whose list it is (default: the owner)"
    )
    whose.add_argument("--shared", action="store_true", help="a list every user sees")
    _as_user(leaf(readlist, "list", cmd_readlist_list, "list a user's and the shared lists"))
    show = leaf(readlist, "show", cmd_readlist_show, "show a list's entries and their comics")
    show.add_argument("id", metavar="ID", type=int)
    _as_user(show)
    remove = leaf(readlist, "remove", cmd_readlist_remove, "delete a list")
    remove.add_argument("id", metavar="ID", type=int)
    _as_user(remove)
    export = leaf(readlist, "export", cmd_readlist_export, "write a list as a CBL file")
    export.add_argument("id", metavar="ID", type=int)
    export.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    _as_user(export)
