"""Time every browse query against a large synthetic index.

    .venv/bin/python bench/browse_queries.py [--comics 100000] [--work DIR] [--database-url URL]
        [--runs 40] [--threads 8] [--plans]

Builds (or reuses) an index of ``--comics`` comics written through ``SqlLibraryIndex.apply`` as
a scan would: 10 publishers, 20 comics per series (a fifth split into two volume folders), a
few publisher spellings in another case, years 1960-2024, ~5% of comics added in the last 30
days; and two smaller libraries sharing some of its series. Then times each
``SqlFolderBrowser``/``SqlMetadataBrowser`` call alone (median, p95) and under ``--threads``
concurrent callers (p95 per call), and with ``--plans`` prints the plan of every statement
(SQLite's ``EXPLAIN QUERY PLAN``, PostgreSQL's ``EXPLAIN``). PostgreSQL is vacuumed and
analyzed first, as autovacuum would after a scan. No web layer: this is the storage's share of
a request. A build also reports the throughput of ``SqlLibraryIndex.apply`` (main library).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, inspect, select, text

from bagboard.adapters.storage import (
    SqlFolderBrowser,
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlMetadataBrowser,
    make_engine,
    upgrade,
)
from bagboard.adapters.storage.db.tables import comics
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import Sort
from bagboard.domain.catalog import ComicEntry, FolderEntry, IndexChanges
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.pagination import PageRequest

NOW = datetime(2026, 3, 1, tzinfo=UTC)
ROOT = "/srv/comics"
PUBLISHERS = [
    "DC Comics", "Marvel", "Image", "Dark Horse", "IDW", "Boom! Studios", "Dynamite",
    "Oni Press", "Fantagraphics", "Dargaud",
]  # fmt: skip
WORDS = [
    "Amazing", "Batman", "Saga", "Spider", "Man", "Tales", "Strange", "Night", "Star", "Wars",
    "Dark", "Knight", "Astérix", "Hellboy", "Walking", "Dead", "Secret", "Wars", "Legion",
    "Doom", "Patrol", "Swamp", "Thing", "Lucifer", "Invincible", "Paper", "Girls", "Monstress",
]  # fmt: skip
PER_SERIES = 20


# Two smaller libraries beside the main one, so that lists over several libraries are timed
# too; the same seed gives them the main library's first series, as a second shelf of them.
EXTRA_LIBRARIES = {"Manga": "/srv/manga", "BD": "/srv/bd"}
EXTRA_COMICS = 2000


def build(engine: Engine, total: int) -> float:
    """Index ``total`` comics in "Comics", then ``EXTRA_COMICS`` in each extra library;
    returns the seconds the main library spent in ``apply``."""
    applying = _fill(engine, "Comics", ROOT, total)
    for name, root in EXTRA_LIBRARIES.items():
        _fill(engine, name, root, EXTRA_COMICS)
    return applying


def _fill(engine: Engine, name: str, root_path: str, total: int) -> float:
    library = SqlLibraryStore(engine).add(name, root_path)
    index = SqlLibraryIndex(engine)
    applying = 0.0
    rng = random.Random(1)
    series_count = total // PER_SERIES
    per_publisher = series_count // len(PUBLISHERS)
    root = [FolderEntry(root_path, 0, 1, comic_count=total)]
    root += [
        FolderEntry(f"{root_path}/{p}", 1, 1, comic_count=per_publisher * PER_SERIES)
        for p in PUBLISHERS
    ]
    index.apply(library.id, IndexChanges(folders=root), NOW)
    batch = IndexChanges()
    for s in range(series_count):
        publisher = PUBLISHERS[s % len(PUBLISHERS)]
        name = f"{' '.join(rng.sample(WORDS, 2))} {s}"
        series_path = f"{root_path}/{publisher}/{name}"
        volumes = ["v1990", "v2005"] if s % 5 == 0 else [""]
        folders, added = batch.folders, batch.added
        folders.append(FolderEntry(series_path, 2, 1, comic_count=PER_SERIES))
        year0 = rng.randint(1960, 2020)
        for v, volume in enumerate(volumes):
            holder = f"{series_path}/{volume}" if volume else series_path
            n = PER_SERIES // len(volumes)
            if volume:
                folders.append(FolderEntry(holder, 3, 1, comic_count=n))
            for i in range(1, n + 1):
                spelled = publisher.upper() if rng.random() < 0.03 else publisher
                year = year0 + v * 15 + i // 12
                info = ComicInfo(
                    series=name,
                    number=str(i),
                    year=str(year) if rng.random() > 0.02 else "",
                    publisher=spelled,
                    title=f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                    summary="A synthetic issue. " * 20,
                )
                path = f"{holder}/{name} {i:03d} ({year}).cbz"
                entry = ComicEntry(path, 100_000, 1, f"fp{s}:{v}:{i}", ArchiveFormat.ZIP, 24, info)
                recent = rng.random() < 0.05
                days = rng.uniform(0, 29) if recent else rng.uniform(31, 900)
                added.append((entry, NOW - timedelta(days=days)))
        if len(added) >= 1000 or s == series_count - 1:
            started = time.perf_counter()
            index.apply(library.id, batch, NOW)
            applying += time.perf_counter() - started
            batch = IndexChanges()
    return applying


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cases(engine: Engine) -> dict[str, Callable[[], Any]]:
    fb, mb = SqlFolderBrowser(engine), SqlMetadataBrowser(engine)
    lib, every, some = [1], [1, 2, 3], [1, 2]
    marvel = fb.at(lib, f"{ROOT}/Marvel")
    assert marvel is not None
    first_series = fb.children([marvel.id], PageRequest(1, 50)).items
    paths = [row.path for row in first_series]
    big = first_series[0]
    with engine.connect() as conn:
        series_key = conn.execute(select(func.min(comics.c.series_key))).scalar_one()
    p1, deep = PageRequest(1, 50), PageRequest(100, 50)
    since = NOW - timedelta(days=30)
    return {
        "fs publishers": lambda: fb.publishers(lib, p1),
        "fs named publisher": lambda: fb.named(lib, None, "Marvel"),
        "fs named series": lambda: fb.named(lib, [marvel.id], big.name),
        "fs at": lambda: fb.at(lib, big.path),
        "fs series p1 (children)": lambda: fb.children([marvel.id], p1),
        "fs series p10 (children)": lambda: fb.children([marvel.id], PageRequest(10, 50)),
        "fs shapes (50 paths)": lambda: fb.shapes(paths),
        "fs issues p1": lambda: fb.comics([big.id], p1),
        "md publishers alpha": lambda: mb.publishers(lib, Sort.ALPHA, p1),
        "md publishers count": lambda: mb.publishers(lib, Sort.COUNT, p1),
        "md series alpha p1": lambda: mb.series(lib, None, None, Sort.ALPHA, p1),
        "md series alpha p100": lambda: mb.series(lib, None, None, Sort.ALPHA, deep),
        "md series count p1": lambda: mb.series(lib, None, None, Sort.COUNT, p1),
        "md series year p1": lambda: mb.series(lib, None, None, Sort.YEAR, p1),
        "md series recent p1": lambda: mb.series(lib, None, None, Sort.RECENT, p1),
        "md series of publisher": lambda: mb.series(lib, "marvel", None, Sort.ALPHA, p1),
        "md series search 'knight'": lambda: mb.series(lib, None, "knight", Sort.ALPHA, p1),
        "md series search 'zzz'": lambda: mb.series(lib, None, "zzz", Sort.ALPHA, p1),
        "md series search of publisher": lambda: mb.series(lib, "marvel", "knight", Sort.ALPHA, p1),
        # Every library: from the rows kept over all of them.
        "md publishers count, all libraries": lambda: mb.publishers(every, Sort.COUNT, p1),
        "md series alpha p1, all libraries": lambda: mb.series(every, None, None, Sort.ALPHA, p1),
        "md series count p1, all libraries": lambda: mb.series(every, None, None, Sort.COUNT, p1),
        "md series of publisher, all libraries": lambda: mb.series(
            every, "marvel", None, Sort.COUNT, p1
        ),
        # Some libraries but not all: their rows summed per request.
        "md series alpha p1, some libraries": lambda: mb.series(some, None, None, Sort.ALPHA, p1),
        "md series count p1, some libraries": lambda: mb.series(some, None, None, Sort.COUNT, p1),
        "md series recent p1, some libraries": lambda: mb.series(some, None, None, Sort.RECENT, p1),
        "md series of publisher, some libraries": lambda: mb.series(
            some, "marvel", None, Sort.COUNT, p1
        ),
        "md issues alpha": lambda: mb.issues(lib, series_key, None, Sort.ALPHA, p1),
        "md issues year": lambda: mb.issues(lib, series_key, None, Sort.YEAR, p1),
        "md recent p1": lambda: mb.recent(lib, since, p1),
        "md recent p50": lambda: mb.recent(lib, since, PageRequest(50, 50)),
    }


def show_plans(engine: Engine, calls: dict[str, Callable[[], Any]]) -> None:
    seen: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def grab(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if not statement.startswith("EXPLAIN"):
            seen.append((statement, params))

    for name, call in calls.items():
        seen.clear()
        call()
        print(f"\n## {name}")
        for statement, params in list(seen):
            print("  " + " ".join(statement.split())[:160])
            with engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None
                if engine.dialect.name == "sqlite":
                    for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params):
                        print(f"    {row[3]}")
                else:
                    cursor = raw.cursor()
                    cursor.execute("EXPLAIN " + statement, params)
                    for row in cursor:
                        print(f"    {row[0]}")
    event.remove(engine, "before_cursor_execute", grab)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comics", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bb-browse")
    parser.add_argument("--database-url", help="default: a SQLite file under --work")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{args.work / f'browse-{args.comics}.db'}"
    engine = make_engine(url)
    upgrade(engine)  # also brings a database built by an older version up to date
    with engine.connect() as conn:
        built = inspect(conn).has_table("comics")
        filled = built and conn.execute(select(func.count()).select_from(comics)).scalar_one()
    if filled != args.comics + EXTRA_COMICS * len(EXTRA_LIBRARIES):
        started = time.perf_counter()
        applying = build(engine, args.comics)
        print(
            f"built {args.comics} comics in {time.perf_counter() - started:.1f} s, "
            f"{applying:.1f} s of it in apply ({args.comics / applying:,.0f} comics/s)"
        )
    if engine.dialect.name == "postgresql":
        # What autovacuum does soon after a scan; without statistics PostgreSQL plans every
        # table as if it were nearly empty (the test server runs with autovacuum off).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    calls = cases(engine)
    if args.plans:
        show_plans(engine, calls)
    print(f"\n| query | median ms | p95 ms | p95 ms, {args.threads} threads |\n|---|---|---|---|")
    for name, call in calls.items():
        alone = []
        for _ in range(args.runs):
            started = time.perf_counter()
            call()
            alone.append((time.perf_counter() - started) * 1000)
        shared: list[float] = []

        def worker(call: Callable[[], Any] = call, out: list[float] = shared) -> None:
            for _ in range(max(args.runs // 4, 5)):
                started = time.perf_counter()
                call()
                out.append((time.perf_counter() - started) * 1000)

        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(
            f"| {name} | {statistics.median(alone):.2f} | {percentile(alone, 0.95):.2f} "
            f"| {percentile(shared, 0.95):.2f} |"
        )


if __name__ == "__main__":
    main()
