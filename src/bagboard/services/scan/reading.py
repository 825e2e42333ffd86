"""Reading the files a scan opens: one ordered stream over the whole scan, not a call per batch.

The scanner asks its ``InspectMap`` for every file to open at once and the batch writer takes
results from the stream as it writes, so a pool reads the next batches while the index
writes this one. A pool that fails mid-stream (a worker killed) costs the rest of that batch
read here, in this process; the files after it go to the map again, which starts a new pool.

When a scan can pair no new file with a missing comic (nothing is missing or changed: a
first import, or comics only added), new files need no fingerprint before their archive is
opened, so one read in the pool yields both: ``read_new``. Otherwise fingerprints come first
(``Scanner._plan``) and the stream only opens archives: ``read_known``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator, Sequence
from functools import partial

from bagboard.ports.archive_reader import ArchiveReader
from bagboard.ports.file_tree import FileTree
from bagboard.ports.inspect_map import InspectMap
from bagboard.services.scan.results import FileRead, inspect_archive
from bagboard.services.scan.walk import WalkProgress

__all__ = ["FileRead", "read_known", "read_new", "read_stream", "reader_for", "warm_up"]

log = logging.getLogger(__name__)

# Files found by a first scan's walk before the pool is told: below the pool's own threshold
# (``pools.POOL_THRESHOLD``) it does nothing, so a small library starts no process.
WARM_AFTER = 500


def read_known(reader: ArchiveReader, path: str) -> FileRead:
    """Open the archive of a file whose digests are already known."""
    return FileRead(inspect_archive(reader, path))


def read_new(tree: FileTree, reader: ArchiveReader, path: str) -> FileRead:
    """Digest a new file and open its archive, in one task. A file that cannot be digested
    (gone, unreadable) is not opened: like a fingerprint that fails, it is left out."""
    digests = tree.digests(path)
    if digests is None:
        return FileRead(None)
    return FileRead(inspect_archive(reader, path), digests)


def read_stream(
    read_map: InspectMap, read: Callable[[str], FileRead], paths: Sequence[str], batch: int
) -> Generator[FileRead, None, None]:
    """``read`` of every path, in order, through ``read_map``. Module-level callables only
    (a process pool pickles ``read``): ``partial(read_known, reader)`` and the like."""
    done = 0
    while done < len(paths):
        results: Iterator[FileRead] | None = None
        try:
            # Inside: a pool that cannot even start fails here, and is read around too.
            results = read_map(read, paths[done:])
            for result in results:
                done += 1
                yield result
        except Exception as exc:
            # The pool itself failed (a worker killed by the OOM killer, say): read the rest of
            # the batch here rather than abandon the scan. Per-file errors never get this far.
            log.warning("archive reading pool failed (%s); reading in-process", exc)
            end = min(len(paths), (done // batch + 1) * batch)
            for path in paths[done:end]:
                done += 1
                yield read(path)
        finally:
            # A scan stopped mid-stream (or failed writing) ends the reads queued for it.
            close = getattr(results, "close", None)
            if close is not None:
                close()


def reader_for(tree: FileTree, reader: ArchiveReader, *, digest: bool) -> Callable[[str], FileRead]:
    """The picklable read of one file: with its digests (``read_new``) or without."""
    return partial(read_new, tree, reader) if digest else partial(read_known, reader)


def warm_up(read_map: InspectMap, progress: WalkProgress) -> WalkProgress:
    """``progress`` for the walk of a first scan, which also tells ``read_map`` (if it has a
    ``warm(files)``, as the pool map does) how many files the walk has found so far: a pool
    can then start its workers while the walk goes on, once there are enough to read."""
    warm: Callable[[int], None] | None = getattr(read_map, "warm", None)

    def walked(folders: int, files: int) -> None:
        nonlocal warm
        progress(folders, files)
        if warm is not None and files >= WARM_AFTER:
            try:
                warm(files)
            except Exception as exc:  # the reads will find out again, and read around it
                log.warning("archive reading pool failed to start (%s)", exc)
            warm = None

    return walked
