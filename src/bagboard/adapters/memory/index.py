"""``MemoryLibraryIndex``: the library index held in dictionaries."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType

from bagboard.adapters.memory.index_state import (
    DocumentIds,
    IndexContents,
    IndexState,
    RemovedComic,
    document_ids,
)
from bagboard.domain.catalog import (
    ComicEntry,
    ComicPlace,
    FolderEntry,
    IndexChanges,
    IndexedComic,
    IndexSnapshot,
    IndexSummary,
    KnownComic,
    KnownFolder,
)
from bagboard.domain.errors import InvalidInput
from bagboard.domain.kosync import name_md5
from bagboard.ports.library_index import LibraryIndex

__all__ = ["DocumentIds", "IndexContents", "MemoryLibraryIndex", "RemovedComic"]


class MemoryLibraryIndex(LibraryIndex):
    """Keeps the same rules as the SQL index, so a scanner bug fails here too: a folder's
    parent and a comic's folder must be indexed first, paths are unique, and a folder that
    still holds anything cannot be removed. A batch that breaks a rule raises
    ``InvalidInput`` and leaves the index as it was. Like the SQL index, a change or move of
    an id the library does not hold, or the removal of one, does nothing."""

    def __init__(self) -> None:
        self._state = IndexState()
        self._lock = threading.Lock()

    @property
    def removed(self) -> list[RemovedComic]:
        """Every removal so far, oldest first."""
        with self._lock:
            return list(self._state.removed)

    def contents(self) -> IndexContents:
        """Every folder and comic, consistent with one another.

        ``apply`` builds a new state and swaps it in whole, so the mappings of a state already
        published never change: read-only proxies of them are a consistent view without a copy.
        """
        with self._lock:
            state = self._state
            return IndexContents(
                MappingProxyType(state.folders),
                MappingProxyType(state.folder_library),
                MappingProxyType(state.comics),
            )

    def snapshot(self, library_id: int) -> IndexSnapshot:
        with self._lock:
            state = self._state
            folders = {
                path: folder
                for path, folder in state.folders.items()
                if state.folder_library[path] == library_id
            }
            comics = {
                comic.path: KnownComic(
                    id=comic.id,
                    path=comic.path,
                    size=comic.size,
                    mtime_ns=comic.mtime_ns,
                    fingerprint=state.fingerprints[comic.id],
                    error=comic.error,
                    digested=state.documents[comic.id].content is not None,
                )
                for comic in state.comics.values()
                if comic.library_id == library_id
            }
            return IndexSnapshot(folders, comics, state.last_scan.get(library_id))

    def summary(self, library_id: int) -> IndexSummary:
        with self._lock:
            state = self._state
            errors = [c.error for c in state.comics.values() if c.library_id == library_id]
            unreadable = sum(error is not None for error in errors)
            return IndexSummary(
                len(errors) - unreadable, unreadable, state.last_scan.get(library_id)
            )

    def apply(self, library_id: int, changes: IndexChanges, at: datetime) -> None:
        with self._lock:
            # Work on a copy and swap it in at the end: all of the batch or none of it.
            state = self._state.copy()
            for folder in sorted(changes.folders, key=lambda folder: folder.depth):
                _upsert_folder(state, library_id, folder)
            # Removed comics first, so an added or moved comic may take a freed path.
            for comic_id in changes.removed_comics:
                _remove_comic(state, library_id, comic_id, at)
            for move in changes.moved:
                _replace_comic(state, library_id, move.comic_id, move.entry)
            for comic_id, entry in changes.changed:
                _replace_comic(state, library_id, comic_id, entry)
            for entry, added_at in changes.added:
                comic_id = state.next_comic_id
                state.next_comic_id += 1
                _store_comic(state, _indexed(comic_id, library_id, entry, added_at), entry)
            # Children first: a child's path is longer than its parent's.
            for path in sorted(set(changes.removed_folders), key=len, reverse=True):
                _remove_folder(state, library_id, path)
            for digest in changes.digests:
                comic = state.comics.get(digest.comic_id)
                if comic is not None and comic.library_id == library_id:
                    ids = state.documents[comic.id]
                    state.documents[comic.id] = ids._replace(
                        content=digest.kosync_md5, name=name_md5(digest.path)
                    )
            _note_writes(state, library_id, changes, at)
            self._state = state

    def written_at(self, comic_id: int) -> datetime | None:
        """When the comic was last written (added, changed or moved), as ``comics.updated_at``
        records it; None for a comic not indexed."""
        with self._lock:
            return self._state.written.get(comic_id)

    def documents(self) -> Mapping[int, DocumentIds]:
        """KOReader's ids of every comic, by comic id (a read-only view, as ``contents``)."""
        with self._lock:
            return MappingProxyType(self._state.documents)

    def forget_documents(self, library_id: int) -> None:
        """Drop KOReader's ids of the library's comics, as an index written before they were
        stored holds them (the SQL columns NULL, no aliases)."""
        with self._lock:
            state = self._state.copy()
            for comic in state.comics.values():
                if comic.library_id == library_id:
                    state.documents[comic.id] = DocumentIds(None, None)
                    state.comics[comic.id] = replace(comic, kosync_pages=None)
            self._state = state

    def forget_library(self, library_id: int) -> None:
        """Drop every folder and comic of the library (the SQL rows cascade with it)."""
        with self._lock:
            state = self._state.copy()
            for path in [p for p, lib in state.folder_library.items() if lib == library_id]:
                del state.folders[path], state.folder_library[path]
            for comic in [c for c in state.comics.values() if c.library_id == library_id]:
                del state.comics[comic.id], state.fingerprints[comic.id]
                del state.documents[comic.id]
                state.written.pop(comic.id, None)
                if state.comic_paths.get(comic.path) == comic.id:
                    del state.comic_paths[comic.path]
            state.last_scan.pop(library_id, None)
            self._state = state

    def finish_scan(self, library_id: int, at: datetime) -> None:
        with self._lock:
            self._state.last_scan[library_id] = at

    def comic(self, comic_id: int) -> IndexedComic | None:
        with self._lock:
            return self._state.comics.get(comic_id)

    def comics(self, ids: Sequence[int]) -> dict[int, IndexedComic]:
        with self._lock:
            held = self._state.comics
            return {comic_id: held[comic_id] for comic_id in ids if comic_id in held}

    def comic_at(self, path: str) -> IndexedComic | None:
        with self._lock:
            comic_id = self._state.comic_paths.get(path)
            return None if comic_id is None else self._state.comics[comic_id]

    def place_at(self, path: str) -> ComicPlace | None:
        comic = self.comic_at(path)
        return None if comic is None else ComicPlace(comic.id, comic.library_id, comic.path)


def _indexed(comic_id: int, library_id: int, entry: ComicEntry, added_at: datetime) -> IndexedComic:
    return IndexedComic(
        id=comic_id,
        library_id=library_id,
        path=entry.path,
        size=entry.size,
        mtime_ns=entry.mtime_ns,
        format=entry.format,
        added_at=added_at,
        page_count=entry.page_count,
        comic_info=entry.comic_info,
        error=entry.error,
        tagged=entry.tagged,
        sources=entry.sources,
        kosync_pages=entry.kosync_pages,
    )


def _note_writes(state: IndexState, library_id: int, changes: IndexChanges, at: datetime) -> None:
    ids = [move.comic_id for move in changes.moved] + [cid for cid, _ in changes.changed]
    ids += [state.comic_paths[entry.path] for entry, _ in changes.added]
    for comic_id in ids:
        comic = state.comics.get(comic_id)
        if comic is not None and comic.library_id == library_id:
            state.written[comic_id] = at


def _upsert_folder(state: IndexState, library_id: int, folder: FolderEntry) -> None:
    parent = folder.parent_path
    if parent is not None and state.folder_library.get(parent) != library_id:
        raise InvalidInput(f"folder {folder.path!r} comes before its parent")
    known = state.folders.get(folder.path)
    if known is not None and state.folder_library[folder.path] != library_id:
        raise InvalidInput(f"folder {folder.path!r} belongs to another library")
    if known is None:
        folder_id = state.next_folder_id
        state.next_folder_id += 1
    else:
        folder_id = known.id
    state.folders[folder.path] = KnownFolder(
        id=folder_id,
        path=folder.path,
        depth=folder.depth,
        mtime_ns=folder.mtime_ns,
        has_thumbnail=folder.has_thumbnail,
        comic_count=folder.comic_count,
    )
    state.folder_library[folder.path] = library_id


def _store_comic(state: IndexState, comic: IndexedComic, entry: ComicEntry) -> None:
    if state.folder_library.get(entry.folder_path) != comic.library_id:
        raise InvalidInput(f"comic {entry.path!r} comes before its folder")
    holder = state.comic_paths.get(entry.path)
    if holder is not None and holder != comic.id:
        raise InvalidInput(f"another comic is indexed at {entry.path!r}")
    state.comics[comic.id] = comic
    state.fingerprints[comic.id] = entry.fingerprint
    state.documents[comic.id] = document_ids(state.documents.get(comic.id), entry)
    state.comic_paths[entry.path] = comic.id


def _replace_comic(state: IndexState, library_id: int, comic_id: int, entry: ComicEntry) -> None:
    """A changed or moved comic: new content or place, same id and ``added_at``."""
    old = state.comics.get(comic_id)
    if old is None or old.library_id != library_id:
        return
    if state.comic_paths.get(old.path) == comic_id:
        del state.comic_paths[old.path]
    _store_comic(state, _indexed(comic_id, library_id, entry, old.added_at), entry)


def _remove_comic(state: IndexState, library_id: int, comic_id: int, at: datetime) -> None:
    comic = state.comics.get(comic_id)
    if comic is None or comic.library_id != library_id:
        return  # already gone: removal is idempotent
    del state.comics[comic_id]
    del state.fingerprints[comic_id]
    del state.documents[comic_id]
    state.written.pop(comic_id, None)
    if state.comic_paths.get(comic.path) == comic_id:
        del state.comic_paths[comic.path]
    state.removed.append(RemovedComic(comic_id, library_id, comic.path, at))


def _remove_folder(state: IndexState, library_id: int, path: str) -> None:
    if state.folder_library.get(path) != library_id:
        return
    prefix = path.rstrip("/") + "/"
    if any(p.startswith(prefix) for p in state.folders) or any(
        p.startswith(prefix) for p in state.comic_paths
    ):
        raise InvalidInput(f"folder {path!r} still holds folders or comics")
    del state.folders[path]
    del state.folder_library[path]
