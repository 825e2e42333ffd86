"""Writing a synthetic library: the plan's files under a root, and a summary of the run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bagboard.demo.archives import comic_bytes
from bagboard.demo.images import image_pool
from bagboard.demo.mix import VARIED, Mix
from bagboard.demo.model import CORRUPT_KINDS, DAY, Issue
from bagboard.demo.plan import plan_library

__all__ = ["LibrarySummary", "make_library"]

WRITER_THREADS = 4
# How far back the file times of ``make_library(recent=...)`` go: well inside the thirty days a
# server lists as recently added.
RECENT_SPAN = 14 * DAY


@dataclass(frozen=True, slots=True)
class LibrarySummary:
    """What ``make_library`` planned and wrote.

    ``comics`` counts every planned file: ``cbz``, ``cbr`` and ``cb7`` are the readable ones and
    ``corrupt`` the broken ones (all named ``.cbz``, listed in ``corrupt_paths``). ``bytes`` is the
    size of all comic files, including those ``skipped`` because a previous run wrote them.
    """

    root: Path
    comics: int
    cbz: int
    cbr: int
    cb7: int
    corrupt: int
    without_comic_info: int
    publishers: int
    series: int
    volume_folders: int
    folder_images: int
    written: int
    skipped: int
    bytes: int
    elapsed: float
    corrupt_paths: tuple[Path, ...]

    @property
    def comics_per_second(self) -> float:
        return self.comics / self.elapsed if self.elapsed > 0 else 0.0

    def describe(self) -> str:
        return (
            f"{self.comics} comics ({self.cbz} cbz, {self.cbr} cbr, {self.cb7} cb7, "
            f"{self.corrupt} corrupt; {self.written} written, {self.skipped} already there) "
            f"in {self.publishers} publishers / {self.series} series, "
            f"{self.bytes / 1e6:.1f} MB, {self.elapsed:.1f} s, "
            f"{self.comics_per_second:.0f} comics/s"
        )


def make_library(
    root: Path,
    comics: int,
    *,
    seed: int = 1,
    pages: int = 4,
    page_size: tuple[int, int] = (800, 1200),
    quality: int = 80,
    progress: Callable[[int, int], None] | None = None,
    mix: Mix = VARIED,
    recent: int = 0,
    now: float | None = None,
) -> LibrarySummary:
    """Write ``comics`` comics under ``root`` and return what was written.

    Files already present are kept (a re-run with the same arguments completes a partial run);
    new files are written under a temporary name and renamed, so none is ever half-written.

    ``recent`` comics (those the plan dates last) get file times in the fortnight before
    ``now`` (default: the clock) instead of the plan's, so that the first scan of a new demo
    has something recently added to show; the others keep the plan's reproducible times.
    """
    if comics < 0 or pages < 1 or min(page_size) < 8 or not 1 <= quality <= 100:
        raise ValueError("need comics >= 0, pages >= 1, page sides >= 8 px and quality 1-100")
    started = time.perf_counter()
    plan = plan_library(comics, seed, pages, mix)
    wanted = [issue.path for issue in plan.issues] + [image.path for image in plan.folder_images]
    # A finished library needs no page images: skip the second or so that rendering them takes.
    done_already = all((root / path).exists() for path in wanted)
    covers, interiors, folder_jpgs = (
        ((), (), ()) if done_already else image_pool(seed, page_size, quality)
    )
    template = resources.files("bagboard").joinpath("demo/data/template-stored.cbr").read_bytes()
    made: set[Path] = set()
    times = _recent_times(plan.issues, recent, time.time() if now is None else now)

    def write(issue: Issue) -> tuple[bool, int]:
        path = root / issue.path
        if path.exists():
            return False, path.stat().st_size
        tag = f"bagboard-demo seed={seed} {issue.path}".encode()
        data = comic_bytes(issue, tag, covers, interiors, page_size, template)
        _write_atomically(path, data, times.get(issue.path, issue.mtime), made)
        return True, len(data)

    for image in plan.folder_images:
        if not (root / image.path).exists():
            _write_atomically(root / image.path, folder_jpgs[image.image], image.mtime, made)
    written = total_bytes = 0
    # Threads overlap file-system latency (creating a file costs more than building its bytes);
    # every file's bytes depend on the plan alone, so the order of completion does not matter.
    with ThreadPoolExecutor(max_workers=WRITER_THREADS) as pool:
        for done, (new, size) in enumerate(pool.map(write, plan.issues), start=1):
            written += new
            total_bytes += size
            if progress is not None:
                progress(done, comics)
    kinds = [issue.kind for issue in plan.issues]
    return LibrarySummary(
        root=root,
        comics=comics,
        cbz=kinds.count("cbz"),
        cbr=kinds.count("cbr"),
        cb7=kinds.count("cb7"),
        corrupt=sum(kind in CORRUPT_KINDS for kind in kinds),
        without_comic_info=sum(not issue.comic_info for issue in plan.issues),
        publishers=plan.publishers,
        series=plan.series,
        volume_folders=plan.volume_folders,
        folder_images=len(plan.folder_images),
        written=written,
        skipped=comics - written,
        bytes=total_bytes,
        elapsed=time.perf_counter() - started,
        corrupt_paths=tuple(root / i.path for i in plan.issues if i.kind in CORRUPT_KINDS),
    )


def _recent_times(issues: list[Issue], count: int, now: float) -> dict[str, int]:
    """File times for the ``count`` issues dated last, newest first, spread over two weeks
    and never ahead of ``now``."""
    latest = sorted(issues, key=lambda issue: (issue.mtime, issue.path), reverse=True)[:count]
    step = RECENT_SPAN // max(count, 1)
    return {issue.path: int(now) - 60 - n * step for n, issue in enumerate(latest)}


def _write_atomically(path: Path, data: bytes, mtime: int, made: set[Path]) -> None:
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(data)
    os.utime(partial, (mtime, mtime))
    partial.replace(path)
