"""Write a synthetic comic library for benchmarks.

    .venv/bin/python bench/make_library.py /tmp/library --comics 20000 [--seed 1] [--pages 4]
        [--page-size 800x1200] [--quality 80] [--plain]

Same seed and arguments, same bytes; re-running after an interruption finishes the library.
The generator itself is ``bagboard.demo`` (also behind ``bagboard demo``).
``--plain`` (``make_plain_library``) writes only well-formed CBZ files, each with a ComicInfo.xml.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bagboard.demo import PLAIN, LibrarySummary, make_library


def make_plain_library(root: Path, comics: int, **options: Any) -> LibrarySummary:
    """``make_library`` writing plain CBZ comics only (``demo_library.PLAIN``): no CBR, CB7,
    corrupt files or folder.jpg, every comic with its ComicInfo.xml, pages at the archive's
    root, one spelling per publisher; the folders keep the full library's shape."""
    return make_library(root, comics, mix=PLAIN, **options)


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
