"""Writing a scan's results to the index: open what must be opened, one batch at a time."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from bagboard.domain.archive import format_for_name
from bagboard.domain.catalog import (
    ComicDigest,
    ComicEntry,
    ComicMove,
    FolderEntry,
    IndexChanges,
    IndexedComic,
    KnownComic,
)
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.files import ComicFile, parent_folder
from bagboard.domain.names import fill_info, relative_to_root, tagged_part
from bagboard.ports.clock import Clock
from bagboard.ports.library_index import LibraryIndex
from bagboard.services.scan.plan import added_at, is_unchanged
from bagboard.services.scan.results import FileRead, Inspection, inspect_archive

__all__ = [
    "UNLISTED_MTIME",
    "BatchWriter",
    "FileRead",
    "FileWork",
    "Inspection",
    "inspect_archive",
]


@dataclass(frozen=True, slots=True)
class FileWork:
    """A file to write: new (``comic`` None), changed, or moved (``comic`` is what it was).
    ``kosync_md5`` is KOReader's id of the file as read now; None when it was not read, and
    the index keeps the id it holds. A new file not ``digested`` yet gets its fingerprint and
    id from the read that opens its archive."""

    file: ComicFile
    fingerprint: str
    comic: KnownComic | None = None
    moved: bool = False
    kosync_md5: str | None = None
    digested: bool = True

    @property
    def trusts_fingerprint(self) -> bool:
        # A move that kept size and mtime is proven by its fingerprint: nothing to re-read.
        return self.moved and self.comic is not None and is_unchanged(self.comic, self.file)


# A first import rebuilds the facets at least this often, so that the lists by publisher and by
# series fill in while a long one runs rather than only at its end.
FACETS_EVERY = timedelta(seconds=15)

# The modification time a folder is written with before its scan has written all of it: no
# real time, so the next scan lists the folder again rather than trust it.
UNLISTED_MTIME = -1

# Reads one file in this process (a proven move whose comic the index no longer holds).
ReadOne = Callable[[str], FileRead]


class BatchWriter:
    """Turns ``FileWork`` into ``IndexChanges`` and applies them, one batch per call.

    Each batch carries the folders its comics need that are not yet written (parents
    first); the last one carries the remaining folders and every removal.

    A folder written before the last batch may hold comics of later batches, and a parent
    folder subfolders not yet written; it is written with ``UNLISTED_MTIME`` and gets its
    real time with the last batch. A scan cut short (killed, the database gone) thus leaves
    those folders to be listed again by the next scan instead of trusted half-written.

    ``reads`` yields, in order, the read of every file of the scan's batches that is opened
    (all but the proven moves); ``read_one`` reads a proven move the index lost meanwhile.
    A new file that could not even be digested is left out, and out of its folders' counts.

    A first scan defers the index's facet upkeep to its last batch (``IndexChanges``), which
    is written even when it holds nothing else, and to a batch every ``FACETS_EVERY`` on the
    way: a first import cut short left facets behind its comics, and the next scan, a first
    one again, brings them up to date.
    """

    def __init__(
        self,
        index: LibraryIndex,
        library_id: int,
        clock: Clock,
        reads: Iterator[FileRead],
        read_one: ReadOne,
        folders: Iterable[FolderEntry],
        *,
        first_scan: bool,
        root: str,
    ) -> None:
        self._index = index
        self._library_id = library_id
        self._root = root
        self._clock = clock
        self._reads = reads
        self._read_one = read_one
        self._pending = {folder.path: folder for folder in folders}
        self._first_scan = first_scan
        self._facets_at = clock.now()  # when a batch last rebuilt the facets
        self._unlisted: list[FolderEntry] = []
        self._dropped: list[str] = []  # new files that could not be read at all
        self.added = self.unreadable = 0

    def write(
        self,
        batch: Sequence[FileWork],
        *,
        removed_comics: Sequence[int] = (),
        removed_folders: Sequence[str] = (),
        last: bool = False,
    ) -> None:
        entries = self._entries(batch)
        now = self._clock.now()
        # A first import has the index sum its comics up (facets) with its last batch, and
        # now and then on the way.
        rebuild = self._first_scan and (last or now - self._facets_at >= FACETS_EVERY)
        if rebuild:
            self._facets_at = now
        changes = IndexChanges(
            defer_facets=self._first_scan and not rebuild, rebuild_facets=rebuild
        )
        for work in batch:
            entry = entries.get(work.file.path)
            if entry is None:
                continue  # could not be read at all: left out, as if it were not there
            if work.comic is None:
                when = added_at(work.file.mtime_ns, now, first_scan=self._first_scan)
                changes.added.append((entry, when))
                self.added += 1
            elif work.moved:
                changes.moved.append(ComicMove(work.comic.id, entry))
            else:
                changes.changed.append((work.comic.id, entry))
        if last:
            self._uncount_dropped()
        changes.folders = self._take_folders(posixpath.dirname(w.file.path) for w in batch)
        if not last:
            self._unlisted += changes.folders
            changes.folders = [replace(f, mtime_ns=UNLISTED_MTIME) for f in changes.folders]
        else:
            changes.folders += self._take_folders(list(self._pending)) + self._unlisted
            changes.removed_comics = list(removed_comics)
            changes.removed_folders = list(removed_folders)
        if changes:
            self._index.apply(self._library_id, changes, now)

    def write_digests(self, digests: Sequence[ComicDigest]) -> None:
        """KOReader's ids of unchanged comics indexed without them, in a batch of their own."""
        if digests:
            changes = IndexChanges(digests=list(digests))
            self._index.apply(self._library_id, changes, self._clock.now())

    def _entries(self, batch: Sequence[FileWork]) -> dict[str, ComicEntry]:
        entries: dict[str, ComicEntry] = {}
        # Every proven move of the batch read in one round trip: a renamed folder of thousands
        # of comics must not cost a query per comic.
        trusted = [w.comic.id for w in batch if w.comic is not None and w.trusts_fingerprint]
        carried = self._index.comics(trusted) if trusted else {}
        for work in batch:
            path = work.file.path
            if work.comic is not None and work.trusts_fingerprint:
                known = carried.get(work.comic.id)
                if known is not None:
                    entries[path] = _carried(work, known, self._root)
                    continue
                read = self._read_one(path)
            else:
                read = next(self._reads)
            if read.inspection is None:
                self._dropped.append(path)
                continue
            if not work.digested and read.digests is not None:
                digests = read.digests  # FileWork built as ``replace`` would, at a fraction
                work = FileWork(
                    work.file,
                    digests.fingerprint,
                    work.comic,
                    work.moved,
                    digests.kosync_md5,
                    work.digested,
                )
            entries[path] = _read(work, read.inspection, self._root)
            if read.inspection.summary is None:
                self.unreadable += 1
        return entries

    def _uncount_dropped(self) -> None:
        """Take the files left out from the counts of the folders still to be written (every
        folder above a new file is: its count grew)."""
        entries = {f.path: f for f in self._unlisted} | self._pending
        counts: dict[str, int] = {}
        for path in self._dropped:
            folder, parent = parent_folder(path), path
            while folder in entries and folder != parent:
                counts[folder] = counts.get(folder, 0) + 1
                folder, parent = parent_folder(folder), folder
        if counts:
            fixed = {
                p: replace(entries[p], comic_count=entries[p].comic_count - n)
                for p, n in counts.items()
            }
            self._unlisted = [fixed.get(f.path, f) for f in self._unlisted]
            self._pending = {p: fixed.get(p, f) for p, f in self._pending.items()}

    def _take_folders(self, paths: Iterable[str]) -> list[FolderEntry]:
        """The pending folders among ``paths`` and their pending ancestors, parents first."""
        taken: list[FolderEntry] = []
        for path in paths:
            while path in self._pending:
                taken.append(self._pending.pop(path))
                path = posixpath.dirname(path)
        return sorted(taken, key=lambda folder: (folder.depth, folder.path))


def _read(work: FileWork, result: Inspection, root: str) -> ComicEntry:
    file = work.file
    if result.summary is None:
        # Kept in the index so it is not re-read on every scan; retried when it changes.
        return _named(
            ComicEntry(
                file.path,
                file.size,
                file.mtime_ns,
                work.fingerprint,
                format_for_name(file.name),
                error=result.error or "unreadable",
                kosync_md5=work.kosync_md5,
            ),
            None,
            root,
        )
    summary = result.summary
    info = summary.comic_info
    # Built once with its names filled (``_named`` would build it twice): one per new comic.
    filled, sources = fill_info(info, relative_to_root(file.path, root))
    return ComicEntry(
        file.path,
        file.size,
        file.mtime_ns,
        work.fingerprint,
        summary.format,
        summary.page_count,
        filled,
        kosync_md5=work.kosync_md5,
        kosync_pages=summary.kosync_pages,
        tagged=info is not None,
        sources=sources,
    )


def _carried(work: FileWork, known: IndexedComic, root: str) -> ComicEntry:
    """A moved comic's entry at its new place, with what the index already knew of it: what
    its ComicInfo said is kept, what its old place said is filled anew from the new one."""
    file = work.file
    entry = ComicEntry(
        file.path,
        file.size,
        file.mtime_ns,
        work.fingerprint,
        known.format,
        known.page_count,
        error=known.error,
        kosync_md5=work.kosync_md5,
        kosync_pages=known.kosync_pages,
    )
    info = known.comic_info
    tagged = None if info is None or not known.tagged else tagged_part(info, known.sources)
    return _named(entry, tagged, root)


def _named(entry: ComicEntry, info: ComicInfo | None, root: str) -> ComicEntry:
    """``entry`` with ``info`` (what the file's ComicInfo says, if it has one) filled from
    the comic's names below ``root``."""
    filled, sources = fill_info(info, relative_to_root(entry.path, root))
    return replace(entry, comic_info=filled, tagged=info is not None, sources=sources)
