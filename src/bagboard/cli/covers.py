"""``bagboard covers warm`` and ``bagboard scan --warm-covers``: render covers ahead of time
(``services/cover_warming.py`` does the work; this is the command and its progress bar)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from bagboard.domain.errors import InvalidInput
from bagboard.domain.images import DEFAULT_COVER_SIZE, MAX_SIZE, MIN_SIZE
from bagboard.domain.model import Library
from bagboard.library import ComicLibrary
from bagboard.services.cover_warming import WarmReport

__all__ = [
    "CountBar",
    "Handler",
    "Leaf",
    "add_covers_commands",
    "add_size_option",
    "cmd_covers_warm",
    "describe_warm",
    "warm_covers",
    "warm_with_bar",
]

Handler = Callable[[ComicLibrary, argparse.Namespace], int]
Leaf = Callable[..., argparse.ArgumentParser]


class CountBar:
    """``covers: [#####.....] 50% 1,234/2,468``, redrawn at most five times a second."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self._label, self._total = label, total
        self._stream = stream or sys.stderr
        self._last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self._last < 0.2 and done < self._total:
            return
        self._last = now
        fraction = done / self._total if self._total else 1.0
        bar = "#" * int(fraction * self.WIDTH)
        text = f"[{bar:.<{self.WIDTH}}] {fraction:4.0%} {done:,}/{self._total:,}"
        self._stream.write(f"\r{self._label}: {text}\033[K")
        self._stream.flush()

    def close(self) -> None:
        self._stream.write("\n")
        self._stream.flush()


def warm_covers(
    app: ComicLibrary,
    libraries: Sequence[Library],
    *,
    size: int = DEFAULT_COVER_SIZE,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> WarmReport:
    """Render the cover of every indexed comic of ``libraries`` that is not cached yet."""
    return app.cover_warmer().warm(
        libraries, size=size, threads=threads or os.cpu_count() or 1, progress=progress
    )


def describe_warm(report: WarmReport) -> str:
    return (
        f"covers: {report.ready:,} ready, {report.failed:,} without a cover, "
        f"in {report.elapsed:.1f}s ({report.per_second:,.0f} comics/s)"
    )


def warm_with_bar(app: ComicLibrary, libraries: Sequence[Library], size: int) -> WarmReport:
    total = app.cover_warmer().count(libraries)
    bar = CountBar("covers", total) if sys.stderr.isatty() else None
    try:
        report = warm_covers(app, libraries, size=size, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    sys.stderr.write(describe_warm(report) + "\n")
    return report


def _size(raw: str) -> int:
    value = int(raw)
    if not MIN_SIZE <= value <= MAX_SIZE:
        raise argparse.ArgumentTypeError(f"size must be between {MIN_SIZE} and {MAX_SIZE}")
    return value


def cmd_covers_warm(app: ComicLibrary, args: argparse.Namespace) -> int:
    app.prepare_storage()
    libraries = app.libraries.list(enabled_only=True)
    if args.library:
        wanted = {os.path.realpath(raw) for raw in args.library}
        unknown = wanted - {lib.root for lib in libraries}
        if unknown:
            raise InvalidInput(f"not an enabled library: {', '.join(sorted(unknown))}")
        libraries = [lib for lib in libraries if lib.root in wanted]
    warm_with_bar(app, libraries, args.size)
    return 0


def add_covers_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], leaf: Leaf
) -> None:
    covers = commands.add_parser("covers", help="the cover cache").add_subparsers(
        dest="covers_command", metavar="ACTION", required=True
    )
    warm = leaf(
        covers,
        "warm",
        cmd_covers_warm,
        "render the cover of every indexed comic into the cache, with a progress bar",
    )
    warm.add_argument(
        "--library", action="append", metavar="PATH", help="only this library (repeatable)"
    )
    add_size_option(warm)


def add_size_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cover-size",
        dest="size",
        type=_size,
        default=DEFAULT_COVER_SIZE,
        metavar="N",
        help=f"long edge of the covers to render (default {DEFAULT_COVER_SIZE})",
    )
