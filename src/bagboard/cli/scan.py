"""``bagboard scan``: index the libraries in the foreground, with a report per library.

A library another process scans meanwhile (a server, another ``bagboard scan``) is waited
for, as it says, then scanned; with ``--no-wait`` it is skipped and the command exits 1.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from collections.abc import Callable
from pathlib import Path

from bagboard.cli.common import Commands, Leaf, err, folder, out
from bagboard.cli.covers import warm_with_bar
from bagboard.console import ProgressBar, describe_formats, describe_report
from bagboard.domain.errors import DomainError, InvalidInput
from bagboard.domain.images import DEFAULT_COVER_SIZE
from bagboard.domain.model import Library
from bagboard.library import ComicLibrary

__all__ = ["add_scan_command", "cmd_scan"]


def _peak_rss_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB.

    Linux's VmHWM belongs to this process image alone; ``ru_maxrss`` would also carry the peak
    of whatever process forked us (a benchmark driver holding a whole library, say).
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with Path("/proc/self/status").open() as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    own = int(line.split()[1]) / 1024
    except OSError:
        pass
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cmd_scan(app: ComicLibrary, args: argparse.Namespace) -> int:
    app.name_process("bagboard scan")
    app.prepare_storage()
    err(describe_formats(app.formats()))
    if args.library:
        libraries = [app.libraries.ensure(folder(raw)) for raw in args.library]
    else:
        libraries = app.libraries.list(enabled_only=True)
    if not libraries:
        raise InvalidInput("no library to scan: add one with `bagboard library add PATH`")
    scanner = app.scanner()
    status = 0
    results = []
    for library in libraries:
        waiting = _say_waiting(library, wait=not args.no_wait)
        with app.scan_lease(library, wait=not args.no_wait, waiting=waiting) as held:
            if not held:
                status = 1
                continue
            bar = ProgressBar(library.name) if sys.stderr.isatty() else None
            try:
                report = scanner.scan(library, full=args.full, progress=bar)
            except DomainError as exc:
                err(f"bagboard: error: {library.name}: {exc.message}")
                status = 1
                continue
            finally:
                if bar is not None:
                    bar.close()
        # Counted in the index after the scan: files that failed before and did not change
        # are not opened again, so the report alone would not count them.
        unreadable = app.problems.count(library)
        err(describe_report(library.name, report, unreadable))
        results.append((library, report, unreadable))
    app.after_scan(report for _, report, _ in results)
    if args.warm_covers:
        warm_with_bar(app, [library for library, _, _ in results], DEFAULT_COVER_SIZE)
    app.close()  # ends the worker pool, so its peak memory is counted below
    if args.json:
        own, workers = _peak_rss_mib()
        for library, report, unreadable in results:
            line = {
                "library": library.root,
                "new": report.new,
                "changed": report.changed,
                "moved": report.moved,
                "removed": report.removed,
                "unreadable": unreadable,  # in the library now, as the text line says
                "unreadable_opened": report.unreadable,  # of the files this scan opened
                "unchanged": report.unchanged,
                "folders": report.folders,
                "elapsed": report.elapsed,
                "files_per_second": report.files_per_second,
                "peak_rss_mib": round(own, 1),
                "worker_peak_rss_mib": round(workers, 1),
            }
            out(json.dumps(line))
    return status


def _say_waiting(library: Library, *, wait: bool) -> Callable[[str], None]:
    def say(holder: str) -> None:
        then = "waiting…" if wait else "not waiting"
        err(f"bagboard: {library.name} is being scanned by {holder}; {then}")

    return say


def add_scan_command(commands: Commands, leaf: Leaf) -> None:
    scan = leaf(commands, "scan", cmd_scan, "index the libraries now, in the foreground")
    scan.add_argument(
        "--library",
        action="append",
        metavar="PATH",
        help="scan only this folder (added as a library if new; repeatable)",
    )
    scan.add_argument(
        "--full", action="store_true", help="list every folder again, trusting no folder mtime"
    )
    scan.add_argument("--json", action="store_true", help="also print a JSON report per library")
    scan.add_argument(
        "--no-wait",
        action="store_true",
        help="skip a library another process is scanning (and exit 1) instead of waiting",
    )
    scan.add_argument(
        "--warm-covers", action="store_true", help="then render the covers of those libraries"
    )
    scan.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes reading archives (default: one per CPU; 0 = none)",
    )
