"""``bagboard demo``: write a synthetic library into the data folder, index it and serve it."""

from __future__ import annotations

import argparse

from bagboard.cli.common import Commands, Leaf, err, out
from bagboard.cli.serve import add_address_options, add_listen_options, serve
from bagboard.console import describe_report
from bagboard.library import ComicLibrary
from bagboard.logs import configure

__all__ = ["add_demo_command", "cmd_demo"]


def cmd_demo(app: ComicLibrary, args: argparse.Namespace) -> int:
    from bagboard.demo import make_library  # imported here so the other commands start fast

    configure(app.config.log_level, app.config.log_format)
    app.prepare_storage()
    root = app.config.data_dir / "demo-library"
    err(f"writing a demo library of {args.comics} comics to {root} ...")
    summary = make_library(root, args.comics)
    err(summary.describe())
    library = app.libraries.ensure(str(root.resolve()), "Demo")
    report = app.scanner().scan(library)
    err(describe_report(library.name, report))
    issued = app.accounts.create_token(token_name="demo")  # noqa: S106 (a label)
    base = f"http://{app.config.host}:{app.config.port}"
    out(f"TOKEN={issued.secret}")
    out(f'curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/auth/ping')
    return serve(app, args.rescan_interval)


def add_demo_command(commands: Commands, leaf: Leaf) -> None:
    demo = leaf(
        commands,
        "demo",
        cmd_demo,
        "write a small synthetic library into the data folder, index it and serve it",
    )
    demo.add_argument("--comics", type=int, default=200, help="how many comics (default 200)")
    add_listen_options(demo, env=False)
    add_address_options(demo)
    demo.add_argument("--rescan-interval", default="6h", metavar="DURATION", help="as for serve")
