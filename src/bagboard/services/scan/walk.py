"""The walk of an incremental scan: which folders and comic files exist now.

Only folders whose mtime moved are listed again; an unchanged folder's content is taken
from the index snapshot, and its known comics are stat'ed one by one, which catches files
rewritten in place (that does not touch the folder's mtime) and files that vanished.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bagboard.domain.catalog import IndexSnapshot
from bagboard.domain.errors import InvalidPath
from bagboard.domain.files import ComicFile, FolderListing, parent_folder
from bagboard.ports.file_tree import FileTree
from bagboard.services.scan.plan import SeenFolder

__all__ = ["Walk", "WalkProgress", "walk_library"]

# Called with (folders reached, comic files found) as the walk goes.
WalkProgress = Callable[[int, int], None]


@dataclass(slots=True)
class Walk:
    folders: dict[str, SeenFolder] = field(default_factory=dict)
    comics: dict[str, ComicFile] = field(default_factory=dict)
    # How many folders were listed rather than taken from the snapshot.
    listed: int = 0


def walk_library(
    tree: FileTree,
    root: str,
    name: str,
    snapshot: IndexSnapshot,
    *,
    full: bool = False,
    progress: WalkProgress | None = None,
) -> Walk:
    """Every folder and comic file below ``root`` (named ``name`` in errors).

    Raises ``InvalidPath`` when the root is missing or unreadable, and when it is empty while
    the index still holds comics: that is what an unmounted share looks like, and taking it
    at its word would wipe every comic (and the reading progress tied to it).
    """
    root_listing = tree.list_folder(root, root)
    if root_listing is None:
        raise InvalidPath(f"library folder is missing: {name}")
    if not root_listing.folders and not root_listing.comics and snapshot.comics:
        raise InvalidPath(f"library folder is empty, is it mounted? {name}")

    subfolders: dict[str, list[str]] = defaultdict(list)
    for path, folder in snapshot.folders.items():
        if folder.depth > 0:
            subfolders[parent_folder(path)].append(path)
    comics_in: dict[str, list[str]] = defaultdict(list)
    for path in snapshot.comics:
        comics_in[parent_folder(path)].append(path)

    walk = Walk()
    queued = {root}
    pending = deque([root])

    def enqueue(paths: list[str]) -> None:
        for path in sorted(paths):
            if path not in queued:
                queued.add(path)
                pending.append(path)

    while pending:
        path = pending.popleft()
        listing = root_listing if path == root else None
        if listing is None and not full:
            mtime = tree.folder_mtime(path)
            if mtime is None:
                continue  # gone since its parent was read
            known = snapshot.folders.get(path)
            if known is not None and known.mtime_ns == mtime:
                walk.folders[path] = SeenFolder(mtime, known.has_thumbnail)
                for comic_path in comics_in[path]:
                    stat = tree.file_stat(comic_path)
                    if stat is not None:
                        walk.comics[comic_path] = ComicFile(comic_path, stat.size, stat.mtime_ns)
                enqueue(subfolders[path])
                _report(progress, walk)
                continue
        if listing is None:
            listing = tree.list_folder(path, root)
            if listing is None:
                continue  # unreadable or gone: as if it were not there
        _take_listing(walk, listing)
        enqueue([sub for sub in listing.folders if parent_folder(sub) == path])
        _report(progress, walk)
    return walk


def _take_listing(walk: Walk, listing: FolderListing) -> None:
    walk.listed += 1
    walk.folders[listing.path] = SeenFolder(listing.mtime_ns, listing.has_thumbnail)
    for comic in listing.comics:
        # A linked file is reported under its real path and indexed where it really lives,
        # so the folder that holds the link does not count it a second time.
        if parent_folder(comic.path) == listing.path:
            walk.comics[comic.path] = comic


def _report(progress: WalkProgress | None, walk: Walk) -> None:
    if progress is not None:
        progress(len(walk.folders), len(walk.comics))
