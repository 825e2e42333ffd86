"""Time reading lists, story arcs and "what to read next" on a scanned library.

    .venv/bin/python bench/reading_orders.py [--comics 10000] [--work DIR] [--database-url URL]
        [--runs 15] [--workers N] [--profile NAME]

Writes (or reuses, under ``--work``) ``--comics`` one-page CBZ files with a ComicInfo.xml
(Series, Number, Year; a quarter of them also StoryArc/StoryArcNumber, a few hundred arcs
across series), 25 issues per series, and scans them through ``bagboard.open_library`` with
``--workers`` reading processes, into SQLite (the default) or the PostgreSQL database of
``--database-url`` (dropped and created again when first built: its name must contain
``bench``). A reader then reads or starts comics in 100 series, and 20 reading lists of 50 to
500 books (runs of issues of the indexed series, ~5% naming no indexed comic) are imported
from CBL bytes: 15 of the reader's own, 5 shared by the owner. Each ``ReadingOrderService``
call and ``ReadingListService.import_list``/``show`` is then timed ``--runs`` times as the
reader (median and p95 in ms). ``--profile NAME`` prints a cProfile of 20 more calls of the
row named NAME. No web layer: what a request's service call costs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from PIL import Image

from bagboard import open_library
from bagboard.adapters.readlists.cbl import parse_cbl, write_cbl
from bagboard.domain.model import Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ProgressChange
from bagboard.domain.readlists import ListBook
from bagboard.library import ComicLibrary
from bagboard.services.reading_orders import ListKind

PER_SERIES = 25
PUBLISHERS = ["Marvel", "DC Comics", "Image", "Dark Horse", "IDW"]
READ_SERIES = 100
LISTS = 20
SHARED_LISTS = 5
READY = "bench-ready"


def _page() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (200, 30, 30)).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def series_name(s: int) -> str:
    return f"Series {s:04d}"


def arc_of(i: int, arcs: int) -> tuple[str, str] | None:
    """Every fourth comic is part of an arc; an arc's parts run across series."""
    if i % 4:
        return None
    return f"Event {(i // 4) % arcs:03d}", str((i // 4) // arcs + 1)


def write_library(root: Path, total: int) -> None:
    page = _page()
    arcs = max(1, min(300, total // 32))
    for i in range(total):
        s, n = divmod(i, PER_SERIES)
        name = series_name(s)
        path = root / PUBLISHERS[s % len(PUBLISHERS)] / name / f"{name} {n + 1:03d}.cbz"
        if path.exists():
            continue
        fields = {"Series": name, "Number": str(n + 1), "Year": str(1980 + s % 40 + n // 12)}
        if (arc := arc_of(i, arcs)) is not None:
            fields["StoryArc"], fields["StoryArcNumber"] = arc
        xml = "<?xml version='1.0' encoding='utf-8'?>\n<ComicInfo>\n"
        xml += "".join(f"  <{k}>{escape(v)}</{k}>\n" for k, v in fields.items())
        xml += "</ComicInfo>\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("ComicInfo.xml", xml)
            archive.writestr("001.jpg", page)
        partial.rename(path)


def list_books(rng: random.Random, series: int, size: int) -> list[ListBook]:
    """Runs of 3 to 12 issues of random series, about 5% of books naming nothing indexed."""
    books: list[ListBook] = []
    while len(books) < size:
        if rng.random() < 0.05:
            books.append(ListBook("Nobody Indexed This", str(rng.randint(1, 99))))
            continue
        s = rng.randrange(series)
        start = rng.randint(1, PER_SERIES)
        for n in range(start, min(PER_SERIES, start + rng.randint(3, 12)) + 1):
            books.append(ListBook(series_name(s), str(n)))
    return books[:size]


def cbl_files(total: int) -> list[tuple[str, bytes]]:
    rng = random.Random(7)
    series = total // PER_SERIES
    sizes = [50] + [rng.randint(50, 500) for _ in range(LISTS - 2)] + [500]
    return [
        (f"List {k:02d}", write_cbl(f"List {k:02d}", "", list_books(rng, series, size)))
        for k, size in enumerate(sizes)
    ]


def read_some(app: ComicLibrary, reader: User, total: int) -> None:
    """Reads in ``READ_SERIES`` series: the first few issues read, a quarter of those series
    with the next issue started; a few series read to the end."""
    rng = random.Random(3)
    index = app.container.library_index()
    library = app.libraries.list()[0]
    for s in rng.sample(range(total // PER_SERIES), READ_SERIES):
        name, publisher = series_name(s), PUBLISHERS[s % len(PUBLISHERS)]
        upto = PER_SERIES if rng.random() < 0.1 else rng.randint(1, 12)
        for n in range(1, upto + 2):
            comic = index.comic_at(f"{library.root}/{publisher}/{name}/{name} {n:03d}.cbz")
            if comic is None:
                continue
            if n <= upto:
                app.progress.set_read_in(reader, comic, True)
            elif rng.random() < 0.25:
                app.progress.save_in(reader, comic, ProgressChange(page_number=1))


def build(app: ComicLibrary, root: Path, total: int) -> None:
    started = time.perf_counter()
    app.add_folder(root, "Comics")
    app.scan()
    print(f"scanned {total:,} comics in {time.perf_counter() - started:.1f} s")
    owner = app.accounts.owner()
    reader = app.accounts.add_user("reader", Role.READER)
    read_some(app, reader, total)
    for k, (_, data) in enumerate(cbl_files(total)):
        shared = k < SHARED_LISTS
        app.reading_lists.import_list(owner if shared else reader, parse_cbl(data), shared=shared)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cases(app: ComicLibrary, total: int) -> dict[str, Callable[[], Any]]:
    reader = app.user("reader")
    orders, lists = app.reading_orders, app.reading_lists
    p20, p50 = PageRequest(1, 20), PageRequest(1, 50)
    mine = [view for view in orders.reading_lists(reader) if not view.shared]
    biggest = max(mine, key=lambda view: view.entries)
    arc = orders.story_arcs(reader, PageRequest(1, 1)).items[0]
    in_both = next(
        comic_id
        for view in mine
        for item in orders.issues(reader, ListKind.READING_LIST, view.id, PageRequest(1, 500)).items
        if orders.containing(reader, comic_id := item.comic.id)[-1].kind is ListKind.STORY_ARC
    )
    _, big_cbl = cbl_files(total)[-1]  # the reader's own
    parsed = parse_cbl(big_cbl)
    return {
        "on_deck (p1 of 20)": lambda: orders.on_deck(reader, p20),
        "continue_reading (p1 of 20)": lambda: orders.continue_reading(reader, p20),
        f"reading_lists ({len(mine) + SHARED_LISTS} lists)": lambda: orders.reading_lists(reader),
        "get (one list)": lambda: orders.get(reader, ListKind.READING_LIST, biggest.id),
        f"issues of a list (p1 of 50, {biggest.entries} books)": lambda: orders.issues(
            reader, ListKind.READING_LIST, biggest.id, p50
        ),
        "issues of a list (p5 of 50)": lambda: orders.issues(
            reader, ListKind.READING_LIST, biggest.id, PageRequest(5, 50)
        ),
        "story_arcs (p1 of 50)": lambda: orders.story_arcs(reader, p50),
        f"issues of an arc (p1 of 50, {arc.comics} comics)": lambda: orders.issues(
            reader, ListKind.STORY_ARC, arc.id, p50
        ),
        "containing (a comic in lists and an arc)": lambda: orders.containing(reader, in_both),
        "ReadingListService.show (p1 of 50)": lambda: lists.show(reader, biggest.id, p50),
        f"parse_cbl ({len(parsed.books)} books)": lambda: parse_cbl(big_cbl),
        f"import_list ({len(parsed.books)} books, again)": lambda: lists.import_list(
            reader, parsed, shared=False
        ),
    }


def measure(calls: dict[str, Callable[[], Any]], runs: int) -> list[tuple[str, float, float]]:
    rows = []
    for name, call in calls.items():
        call()  # warm: the first call fills caches a running server keeps warm
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        rows.append((name, statistics.median(times), percentile(times, 0.95)))
    return rows


def profile(call: Callable[[], Any]) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        call()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--comics", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bagboard-bench-lists"))
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU")
    parser.add_argument("--profile", help="a row's name (or its start) to profile")
    args = parser.parse_args()

    root = args.work / f"library-{args.comics}"
    write_library(root, args.comics)
    engine = "postgresql" if args.database_url else "sqlite"
    data = args.work / f"data-{engine}-{args.comics}"
    fresh = not (data / READY).exists()
    if fresh and args.database_url:
        from http_server import recreate_database  # bench/ is the script's folder

        recreate_database(args.database_url)
    if fresh and data.exists():
        for leftover in sorted(data.rglob("*"), reverse=True):
            leftover.unlink() if leftover.is_file() else leftover.rmdir()
    app = open_library(data, database_url=args.database_url, workers=args.workers)
    try:
        if fresh:
            build(app, root, args.comics)
            (data / READY).touch()
        calls = cases(app, args.comics)
        rows = measure(calls, args.runs)
        print(f"\n{args.comics:,} comics on {engine}, {args.runs} runs per call\n")
        print("| call | median ms | p95 ms |")
        print("|---|---:|---:|")
        for name, median, p95 in rows:
            print(f"| {name} | {median:.1f} | {p95:.1f} |")
        if args.profile:
            chosen = next(name for name in calls if name.startswith(args.profile))
            print(f"\n## {chosen}")
            profile(calls[chosen])
    finally:
        app.close()


if __name__ == "__main__":
    main()
