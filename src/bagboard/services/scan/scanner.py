"""The incremental library scan: bring the index in step with the files on disk."""

from __future__ import annotations

import posixpath
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial

from bagboard.domain.catalog import ComicDigest
from bagboard.domain.model import Library
from bagboard.ports.archive_reader import ArchiveReader
from bagboard.ports.clock import Clock
from bagboard.ports.file_tree import FileTree
from bagboard.ports.inspect_map import InspectMap
from bagboard.ports.library_index import LibraryIndex
from bagboard.services.scan.batches import BatchWriter, FileWork
from bagboard.services.scan.gc_pause import collector_paused, older_objects_set_aside
from bagboard.services.scan.plan import (
    Comparison,
    compare,
    folder_entries,
    folders_to_remove,
    folders_to_write,
    match_moves,
)
from bagboard.services.scan.progress import (
    ProgressCallback,
    ProgressTracker,
    ScanPhase,
    ScanProgress,
)
from bagboard.services.scan.reading import read_known, read_stream, reader_for, warm_up
from bagboard.services.scan.walk import WalkProgress, walk_library

__all__ = ["ScanPhase", "ScanProgress", "ScanReport", "Scanner"]


@dataclass(frozen=True, slots=True)
class ScanReport:
    """What one scan did. ``unreadable`` counts the files it opened and could not read (they
    are also counted as new or changed); ``folders`` is the size of the folder tree."""

    new: int
    changed: int
    moved: int
    removed: int
    unreadable: int
    unchanged: int
    folders: int
    elapsed: float  # seconds

    @property
    def files(self) -> int:
        """Comic files found on disk."""
        return self.new + self.changed + self.moved + self.unchanged

    @property
    def files_per_second(self) -> float:
        return self.files / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True, slots=True)
class _Plan:
    work: list[FileWork]
    removed: list[int]
    changed: int
    moved: int
    digests: list[ComicDigest]


class Scanner:
    """Scans one library at a time into the ``LibraryIndex``.

    Files whose size and mtime match the index are never opened, and folders whose mtime is
    unchanged are not listed again. New files are fingerprinted first, so a moved or renamed
    comic keeps its id, its ``added_at`` and the reading progress tied to them. The same read
    yields KOReader's id of the file (``FileTree.digests``); a comic indexed before such ids
    were stored gets its id from a read of at most 12 KiB, its archive left closed.

    Archives are opened through ``inspect_map``: the builtin ``map`` (serial) by default, or
    a pool's map, called once with every file the scan opens (``reading.py``) and handed
    module-level functions bound to the reader and tree (so for a process pool they must
    pickle; the file reader and the local tree do). When no new file can be a move (nothing
    is missing or changed: a first import), new files are digested by that same read.
    Fingerprints (two 64 KiB blocks and KOReader's few 1 KiB samples) and the partial MD5s of
    comics still without one go through ``fingerprint_map``: serial by default; a thread
    pool's ``map`` hides the latency of a network share. Per-file problems never raise; the
    index is written in batches of ``batch_size`` comics.
    """

    def __init__(
        self,
        index: LibraryIndex,
        tree: FileTree,
        reader: ArchiveReader,
        clock: Clock,
        *,
        inspect_map: InspectMap | None = None,
        fingerprint_map: InspectMap | None = None,
        batch_size: int = 500,
    ) -> None:
        self._index = index
        self._tree = tree
        self._reader = reader
        self._clock = clock
        self._map: InspectMap = inspect_map or map
        self._fingerprint_map: InspectMap = fingerprint_map or map
        self._batch_size = max(1, batch_size)

    def scan(
        self, library: Library, *, full: bool = False, progress: ProgressCallback | None = None
    ) -> ScanReport:
        """Bring the index of ``library`` in step with its folder; ``full`` lists every folder
        again instead of trusting unchanged folder mtimes.

        Raises ``InvalidPath`` when the library folder is missing, unreadable, or empty while
        comics are indexed (an unmounted share); the index is then left untouched.
        """
        started = self._clock.now()
        root = posixpath.normpath(library.root)
        tracker = ProgressTracker(progress)
        with ExitStack() as set_aside:
            with collector_paused():  # see gc_pause.py: a fifth of a no-change rescan otherwise
                snapshot = self._index.snapshot(library.id)
                walked: WalkProgress = tracker.walked
                if snapshot.last_scan_at is None:  # a first import: reading follows the walk
                    walked = warm_up(self._map, walked)
                walk = walk_library(
                    self._tree, root, library.name, snapshot, full=full, progress=walked
                )
                found = compare(walk.comics, snapshot.comics)
                plan = self._plan(found, tracker)
                kept = [*(file.path for file in found.unchanged), *(w.file.path for w in plan.work)]
                folders = folder_entries(root, walk.folders, kept)
                # The collector leaves the snapshot, the walk and the plan alone from here on,
                # set aside before it resumes: else its first collections traverse them all,
                # and whether one of them is a full one depends on how much else the process
                # holds (see gc_pause.py).
                set_aside.enter_context(older_objects_set_aside())
            to_open = [w.file.path for w in plan.work if not w.trusts_fingerprint]
            digest = any(not w.digested for w in plan.work)
            read = reader_for(self._tree, self._reader, digest=digest)
            reads = read_stream(self._map, read, to_open, self._batch_size)
            writer = BatchWriter(
                self._index,
                library.id,
                self._clock,
                tracker.each(reads),
                partial(read_known, self._reader),
                folders_to_write(folders, snapshot.folders),
                first_scan=snapshot.last_scan_at is None,
                root=root,
            )
            size = self._batch_size
            try:
                for start in range(0, len(plan.digests), size):
                    writer.write_digests(plan.digests[start : start + size])
                tracker.start(ScanPhase.INSPECTING, len(to_open))
                batches = [plan.work[i : i + size] for i in range(0, len(plan.work), size)] or [[]]
                for batch in batches[:-1]:
                    writer.write(batch)
                writer.write(
                    batches[-1],
                    removed_comics=plan.removed,
                    removed_folders=folders_to_remove(folders, snapshot.folders),
                    last=True,
                )
            finally:
                reads.close()  # a scan stopped or failed: the reads queued for it are dropped
        finished = self._clock.now()
        self._index.finish_scan(library.id, finished)
        return ScanReport(
            new=writer.added,
            changed=plan.changed,
            moved=plan.moved,
            removed=len(plan.removed),
            unreadable=writer.unreadable,
            unchanged=len(found.unchanged),
            folders=len(folders),
            elapsed=(finished - started).total_seconds(),
        )

    def _plan(self, found: Comparison, tracker: ProgressTracker) -> _Plan:
        """Fingerprint new and changed files and pair new ones with missing comics; read
        KOReader's id of unchanged comics indexed without one."""
        # Nothing missing or changed: no new file can be a move, so new files are digested
        # by the read that opens them, in the pool, instead of here beforehand.
        deferred = not found.missing and not found.changed
        reading = [] if deferred else [file.path for file in found.new]
        reading += [file.path for _, file in found.changed]
        undigested = [*found.undigested, *(k for k, _ in found.unnamed if not k.digested)]
        tracker.start(ScanPhase.FINGERPRINTING, len(reading) + len(undigested))
        read = tracker.each(self._fingerprint_map(self._tree.digests, reading))
        prints = dict(zip(reading, read, strict=True))
        paths = [known.path for known in undigested]
        ids = tracker.each(self._fingerprint_map(self._tree.kosync_md5, paths))
        kosync = dict(zip(paths, ids, strict=True))

        missing = list(found.missing)
        work: list[FileWork] = []
        for known, file in found.changed:
            digests = prints[file.path]
            if digests is None:
                missing.append(known)  # unreadable now: as good as gone
            else:
                content = digests.kosync_md5
                work.append(FileWork(file, digests.fingerprint, known, kosync_md5=content))
        changed = len(work)
        # Rewritten in place from what the index holds, as a move to the same path would be.
        work += [
            FileWork(f, known.fingerprint, known, moved=True, kosync_md5=kosync.get(known.path))
            for known, f in found.unnamed
        ]

        if deferred:
            work += [FileWork(file, "", digested=False) for file in found.new]
        arrivals = (
            {} if deferred else {f.path: d for f in found.new if (d := prints[f.path]) is not None}
        )
        moves = match_moves(((path, d.fingerprint) for path, d in arrivals.items()), missing)
        for file in found.new:
            if (digests := arrivals.get(file.path)) is not None:
                comic = moves.get(file.path)
                work.append(
                    FileWork(
                        file,
                        digests.fingerprint,
                        comic,
                        moved=comic is not None,
                        kosync_md5=digests.kosync_md5,
                    )
                )
        moved_ids = {comic.id for comic in moves.values()}
        removed = [comic.id for comic in missing if comic.id not in moved_ids]
        digested = [
            ComicDigest(known.id, known.path, md5)
            for known in found.undigested
            if (md5 := kosync[known.path]) is not None
        ]
        return _Plan(work, removed, changed=changed, moved=len(moves), digests=digested)
