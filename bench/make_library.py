"""Write a synthetic comic library for benchmarks.

    .venv/bin/python bench/make_library.py /tmp/library --comics 20000 [--seed 1] [--pages 4]
        [--page-size 800x1200] [--quality 80] [--plain]

Same seed and arguments, same bytes; re-running after an interruption finishes the library.
The generator itself is ``bagboard.demo_library`` (also behind ``bagboard demo``).
``--plain`` (``make_plain_library``) writes only well-formed CBZ files, each with a ComicInfo.xml.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

from bagboard import demo_library
from bagboard.demo_library import LibrarySummary, make_library

# The generator's shares of everything but a plain CBZ with its ComicInfo.xml, pages at the
# archive's root and one spelling per publisher. The shape (publishers, series lengths, a fifth
# of the series in two volume folders) stays that of the full library; the names may differ.
_PLAIN = {
    "CBR_SHARE": 0.0,
    "CB7_SHARE": 0.0,
    "CORRUPT_SHARE": 0.0,
    "NO_COMIC_INFO_SHARE": 0.0,
    "OTHER_CASE_PUBLISHER_SHARE": 0.0,
    "PAGES_IN_FOLDER_SHARE": 0.0,
    "PUBLISHER_FOLDER_JPG_SHARE": 0.0,
    "SERIES_FOLDER_JPG_SHARE": 0.0,
}


def make_plain_library(root: Path, comics: int, **options: Any) -> LibrarySummary:
    """``make_library`` writing plain CBZ comics only: no CBR, CB7, corrupt files or folder.jpg,
    every comic with its ComicInfo.xml. Same options as ``make_library``."""

    def no_odd_kinds(rng: object, total: int) -> dict[int, str]:
        # The generator keeps one corrupt file per 100 comics whatever its share says.
        return {}

    with mock.patch.multiple(demo_library, **_PLAIN, _assign_kinds=no_odd_kinds):
        return make_library(root, comics, **options)


def _page_size(raw: str) -> tuple[int, int]:
    width, _, height = raw.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {raw!r}") from None


def _progress_line() -> Callable[[int, int], None]:
    last = 0.0

    def show(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        # At most a few updates a second: printing per comic would slow a 100,000-comic run.
        if done == total or now - last >= 0.25:
            last = now
            sys.stderr.write(f"\r{done}/{total} comics")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return show


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic comic library.")
    parser.add_argument("root", type=Path, metavar="DIR", help="folder to fill (created if needed)")
    parser.add_argument("--comics", type=int, required=True, metavar="N", help="how many comics")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same library (default 1)")
    parser.add_argument("--pages", type=int, default=4, help="pages per comic (default 4)")
    parser.add_argument(
        "--page-size", type=_page_size, default=(800, 1200), metavar="WxH", help="default 800x1200"
    )
    parser.add_argument("--quality", type=int, default=80, help="JPEG quality (default 80)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.add_argument(
        "--plain", action="store_true", help="well-formed CBZ with ComicInfo.xml only"
    )
    args = parser.parse_args(argv)
    write = make_plain_library if args.plain else make_library
    try:
        summary = write(
            args.root,
            args.comics,
            seed=args.seed,
            pages=args.pages,
            page_size=args.page_size,
            quality=args.quality,
            progress=None if args.quiet or not sys.stderr.isatty() else _progress_line(),
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(summary.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
