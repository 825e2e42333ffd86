"""``bagboard demo``: write a synthetic library into the data folder, index it and serve it.

The demo keeps a data folder of its own (``<user data folder>/demo``) unless ``--data-dir``
names one, so its made-up comics never join the real library's database.
"""

from __future__ import annotations

import argparse

from bagboard.cli.banner import server_urls
from bagboard.cli.common import Commands, Leaf, err, out
from bagboard.cli.serve import add_address_options, add_listen_options, listen, serve
from bagboard.console import describe_report
from bagboard.library import ComicLibrary
from bagboard.logs import configure

__all__ = ["RECENT_COMICS", "add_demo_command", "cmd_demo"]

RECENT_COMICS = 30


def cmd_demo(app: ComicLibrary, args: argparse.Namespace) -> int:
    sock = listen(app.config.host, app.config.port)  # a busy port stops the demo before it writes
    app.name_process("bagboard demo")
    try:
        _prepare(app, args.comics)
    except BaseException:
        sock.close()
        raise
    return serve(app, args.rescan_interval, sock=sock)


def _prepare(app: ComicLibrary, comics: int) -> None:
    """Write and index the demo library, make a token and say how to use it."""
    from bagboard.demo import make_library  # imported here so the other commands start fast

    configure(app.config.log_level, app.config.log_format)
    app.prepare_storage()
    root = app.config.data_dir / "demo-library"
    err(f"writing a demo library of {comics} comics to {root} ...")
    # The newest comics get today's file times, so the first scan lists them as recently added.
    summary = make_library(root, comics, recent=min(comics, RECENT_COMICS))
    err(summary.describe())
    library = app.libraries.ensure(str(root.resolve()), "Demo")
    with app.scan_lease(library):
        report = app.scanner().scan(library)
    err(describe_report(library.name, report))
    issued = app.accounts.create_token(token_name="demo")  # noqa: S106 (a label)
    base = server_urls(app.config, lan=[])[0]
    out(f"TOKEN={issued.secret}")
    out(f'curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/auth/ping')


def add_demo_command(commands: Commands, leaf: Leaf) -> None:
    demo = leaf(
        commands,
        "demo",
        cmd_demo,
        "write a small synthetic library into a data folder of its own, index it and serve it",
    )
    # Its own data folder unless --data-dir names one (cli/__init__.py reads this).
    demo.set_defaults(own_data_dir=True)
    demo.add_argument("--comics", type=int, default=200, help="how many comics (default 200)")
    add_listen_options(demo, env=False)
    add_address_options(demo)
    demo.add_argument("--rescan-interval", default="6h", metavar="DURATION", help="as for serve")
