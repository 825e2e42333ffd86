"""The storage's floor for bench/clu.py's sequential writes: what one client gets writing one
durable commit after another with nothing else in the way.

    python bench/sync_floor.py [--folder DIR] [--database-url URL] [--duration 5]

Each answered ``PUT /api/v1/progress`` waits for a durable commit (``durability.py``): on
SQLite an ``fdatasync`` of the WAL, on PostgreSQL the flush of its WAL. However lean the
server, one client writing one position after another cannot go faster than one commit
after another on the same disk, which these loops measure in the bench's own process, on
the same machine, in the same pass as the PUT row:

- SQLite: a single-row ``UPDATE`` and ``COMMIT`` on a WAL database opened as bagboard opens
  its own (``synchronous=FULL``), in a file beside the bench database;
- ``write + fdatasync``: 4 KiB written over the same place of a file in that folder, then
  ``os.fdatasync``, the sync alone (a WAL frame is a 4 KiB page and a header);
- PostgreSQL: a single-row ``UPDATE`` in autocommit through psycopg, on a table made for it
  in the bench database (a logged table: an unlogged or temporary one flushes nothing) and
  dropped afterwards.

Each loop runs for ``duration`` seconds and at least ``minimum`` commits (the PUT row's
500), and reports like a wrk row: commits/s and the latency percentiles of one commit.
``interleaved`` runs the floors and the writes by turns, in slices of a run, so that a disk
other work keeps busy for a while weighs on both alike: on a shared machine the time of one
sync moved twofold between two rows measured seconds apart.
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from http_wrk import Result

SYNC_FLOOR = "floor: durable commits, one client"
FDATASYNC_FLOOR = "floor: write + fdatasync"
SQLITE_FILE = "sync-floor.sqlite"
POSTGRESQL_TABLE = "bench_sync_floor"
MINIMUM = 500
_PAGE = 4096


# One step of a loop, given its number: a commit, a sync or a write; False counts as failed.
Step = Callable[[int], object]
SLICES = 5


class Timed:
    """The latency of each step of one loop over one or more runs, and the time they took."""

    def __init__(self) -> None:
        self.took: list[float] = []
        self.elapsed = 0.0
        self.failed = 0

    def run(self, step: Step, *, duration: float, minimum: int) -> None:
        """``step`` for ``duration`` seconds and at least ``minimum`` times."""
        started = time.perf_counter()
        end = started + duration
        count = 0
        while True:
            before = time.perf_counter()
            if before >= end and count >= minimum:
                break
            failed = step(len(self.took)) is False
            self.took.append(time.perf_counter() - before)
            self.failed += failed
            count += 1
        self.elapsed += time.perf_counter() - started

    def result(self) -> Result:
        took = self.took
        cuts = statistics.quantiles(took, n=100, method="inclusive") if len(took) > 1 else took * 99
        return Result(
            requests=len(took),
            rps=len(took) / self.elapsed,
            p50=cuts[49] * 1000,
            p95=cuts[94] * 1000,
            p99=cuts[98] * 1000,
            non2xx=self.failed,
            socket_errors=0,
        )


def timed(step: Step, *, duration: float, minimum: int = MINIMUM) -> Result:
    """``step(n)`` for n = 0, 1, ... for ``duration`` seconds and at least ``minimum`` times:
    the rate and the percentiles of one step."""
    found = Timed()
    found.run(step, duration=duration, minimum=minimum)
    return found.result()


def interleaved(
    steps: dict[str, Step], *, duration: float, minimum: int = MINIMUM, slices: int = SLICES
) -> dict[str, Result]:
    """Each loop of ``steps`` for ``duration`` seconds and ``minimum`` steps in all, by turns
    in ``slices`` slices, so that each sees the disk as the others do."""
    found = {label: Timed() for label in steps}
    for _ in range(slices):
        for label, step in steps.items():
            found[label].run(step, duration=duration / slices, minimum=math.ceil(minimum / slices))
    return {label: timed_steps.result() for label, timed_steps in found.items()}


@contextmanager
def sqlite_commit(folder: Path, name: str = SQLITE_FILE) -> Iterator[Step]:
    """Single-row updates, each its own transaction, on a fresh WAL database ``name`` in
    ``folder`` with the pragmas bagboard's connections get (``engine.py``)."""
    path = folder / name
    _remove_sqlite(path)
    # Transactions as written below; the write floor's app calls it from its event loop.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE floor (id INTEGER PRIMARY KEY, page INTEGER, at TEXT)")
        conn.execute("INSERT INTO floor VALUES (1, 0, '')")

        def commit(n: int) -> None:
            conn.execute("BEGIN")
            conn.execute("UPDATE floor SET page = ?, at = ? WHERE id = 1", (n, str(n)))
            conn.execute("COMMIT")

        yield commit
    finally:
        conn.close()
        _remove_sqlite(path)


def _remove_sqlite(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        name.unlink(missing_ok=True)


@contextmanager
def fdatasync(folder: Path) -> Iterator[Step]:
    """4 KiB written over the start of a file in ``folder``, then ``fdatasync``: the disk's
    sync alone, without SQLite."""
    path = folder / "sync-floor.probe"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, b"\0" * _PAGE)
        os.fdatasync(fd)  # the file's size is settled: what follows overwrites, as a WAL does

        def sync(n: int) -> None:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, n.to_bytes(4, "big") * (_PAGE // 4))
            os.fdatasync(fd)

        yield sync
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)


@contextmanager
def postgresql_commit(url: str, table: str = POSTGRESQL_TABLE) -> Iterator[Step]:
    """Single-row updates in autocommit on a table ``table`` made in the database of ``url``
    (a SQLAlchemy URL), each a commit that waits for the WAL's flush (``synchronous_commit``
    as the server has it)."""
    import psycopg
    from sqlalchemy import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, page integer)")
        try:
            conn.execute(f"INSERT INTO {table} VALUES (1, 0)")
            update = f"UPDATE {table} SET page = %s WHERE id = 1"

            def commit(n: int) -> None:
                conn.execute(update, (n,))

            yield commit
        finally:
            conn.execute(f"DROP TABLE {table}")


@contextmanager
def durable_commit(folder: Path, url: str | None, name: str) -> Iterator[Step]:
    """One client's durable commits on the bench's database, on a SQLite file ``name`` in
    ``folder`` or a PostgreSQL table ``name`` at ``url``."""
    if url:
        with postgresql_commit(url, name.replace("-", "_")) as commit:
            yield commit
    else:
        with sqlite_commit(folder, name + ".sqlite") as commit:
            yield commit


@contextmanager
def floor_steps(folder: Path, url: str | None) -> Iterator[dict[str, Step]]:
    """The sync floors' loops: durable commits of the bench's database (SQLite in ``folder``,
    or PostgreSQL at ``url``) and, on SQLite, the bare sync of ``folder``."""
    if url:
        with postgresql_commit(url) as commit:
            yield {SYNC_FLOOR: commit}
        return
    with sqlite_commit(folder) as commit, fdatasync(folder) as sync:
        yield {SYNC_FLOOR: commit, FDATASYNC_FLOOR: sync}


def floors(
    folder: Path, url: str | None, *, duration: float, minimum: int = MINIMUM
) -> dict[str, Result]:
    """The sync floors (``floor_steps``), one after the other."""
    with floor_steps(folder, url) as steps:
        return {
            label: timed(step, duration=duration, minimum=minimum) for label, step in steps.items()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("/var/tmp"))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--duration", type=float, default=5)
    args = parser.parse_args()
    found = floors(args.folder, args.database_url, duration=args.duration)
    for label, r in found.items():
        print(f"{label}: {r.rps:,.0f}/s, p50 {r.p50:.2f} ms, p99 {r.p99:.2f} ms")


if __name__ == "__main__":
    main()
