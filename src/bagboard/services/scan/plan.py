"""The pure rules of an incremental scan: what changed, what moved, how folders count, how
new comics are dated. No I/O here; the scanner feeds these with what it found on disk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bagboard.domain.catalog import FolderEntry, KnownComic, KnownFolder
from bagboard.domain.files import ComicFile, parent_folder

__all__ = [
    "Comparison",
    "SeenFolder",
    "added_at",
    "compare",
    "depth_of",
    "folder_entries",
    "folders_to_remove",
    "folders_to_write",
    "is_unchanged",
    "match_moves",
    "recursive_counts",
]

# Above this many candidate pairs for one fingerprint, moves are paired by path order alone.
_MAX_RANKED_PAIRS = 250_000


@dataclass(frozen=True, slots=True)
class SeenFolder:
    """A folder the walk reached: its mtime and whether it holds a folder thumbnail."""

    mtime_ns: int
    has_thumbnail: bool


@dataclass(slots=True)
class Comparison:
    """The files a walk found, sorted against the index snapshot."""

    unchanged: list[ComicFile] = field(default_factory=list)
    # Unchanged, but indexed before blank metadata was filled from names.
    unnamed: list[tuple[KnownComic, ComicFile]] = field(default_factory=list)
    # Unchanged and named, but indexed before KOReader's ids were stored (also in ``unchanged``).
    undigested: list[KnownComic] = field(default_factory=list)
    changed: list[tuple[KnownComic, ComicFile]] = field(default_factory=list)
    new: list[ComicFile] = field(default_factory=list)
    missing: list[KnownComic] = field(default_factory=list)


def is_unchanged(known: KnownComic, file: ComicFile) -> bool:
    """Same size and mtime: the content is taken as unchanged and the file is not opened."""
    return known.size == file.size and known.mtime_ns == file.mtime_ns


def compare(seen: Mapping[str, ComicFile], known: Mapping[str, KnownComic]) -> Comparison:
    result = Comparison()
    for path in sorted(seen):
        file, indexed = seen[path], known.get(path)
        if indexed is None:
            result.new.append(file)
        elif not is_unchanged(indexed, file):
            result.changed.append((indexed, file))
        elif indexed.named:
            result.unchanged.append(file)
            if not indexed.digested:
                result.undigested.append(indexed)
        else:
            result.unnamed.append((indexed, file))
    result.missing = [known[path] for path in sorted(known) if path not in seen]
    return result


def match_moves(
    new: Iterable[tuple[str, str]], missing: Iterable[KnownComic]
) -> dict[str, KnownComic]:
    """Pair new files ``(path, fingerprint)`` with missing comics of the same fingerprint,
    one to one, returning ``{new path: the comic that moved there}``.

    Among identical files the pairs that share the most trailing path parts go first: the
    same name in a folder of the same name (``v1963/asm 001.cbz`` after its series folder
    was renamed), then the same name; the rest pair up in path order (renamed files).
    """
    pools: dict[str, list[KnownComic]] = defaultdict(list)
    for comic in sorted(missing, key=lambda comic: comic.path):
        if comic.fingerprint:
            pools[comic.fingerprint].append(comic)
    arrivals: dict[str, list[str]] = defaultdict(list)
    for path, fingerprint in sorted(new):
        if fingerprint in pools:
            arrivals[fingerprint].append(path)
    moves: dict[str, KnownComic] = {}
    for fingerprint, paths in arrivals.items():
        moves.update(_pair(paths, pools[fingerprint]))
    return moves


def _pair(paths: list[str], pool: list[KnownComic]) -> Iterable[tuple[str, KnownComic]]:
    if len(paths) * len(pool) > _MAX_RANKED_PAIRS:
        # Thousands of identical files (empty ones, say) moving at once: path order will do.
        return zip(paths, pool, strict=False)
    ranked = sorted(
        (
            (-_shared_tail(path, comic.path), path, comic.path, index)
            for path in paths
            for index, comic in enumerate(pool)
        ),
    )
    taken_paths: set[str] = set()
    taken_comics: set[int] = set()
    pairs: list[tuple[str, KnownComic]] = []
    for _, path, _, index in ranked:
        if path not in taken_paths and index not in taken_comics:
            taken_paths.add(path)
            taken_comics.add(index)
            pairs.append((path, pool[index]))
    return pairs


def _shared_tail(a: str, b: str) -> int:
    """How many trailing path parts two paths have in common."""
    shared = 0
    for left, right in zip(reversed(a.split("/")), reversed(b.split("/")), strict=False):
        if left != right:
            break
        shared += 1
    return shared


def added_at(mtime_ns: int, now: datetime, *, first_scan: bool) -> datetime:
    """When a new comic counts as added.

    The first scan of a library dates each comic by its file's mtime (never later than now),
    so a years-old collection does not all look recently added; later scans date a comic
    when it first appears.
    """
    if not first_scan:
        return now
    try:
        modified = datetime.fromtimestamp(mtime_ns / 1_000_000_000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return now  # an mtime no calendar can hold is no date at all
    return min(modified, now)


def depth_of(path: str, root: str) -> int:
    """0 for the root, 1 for a folder directly below it, and so on."""
    if path == root:
        return 0
    relative = path[len(root) :].strip("/")
    return relative.count("/") + 1


def recursive_counts(folders: Iterable[str], comic_paths: Iterable[str]) -> dict[str, int]:
    """For every folder, the number of comics anywhere below it.

    Each comic counts in its own folder and every ancestor among ``folders``; a folder's
    parent is its ``dirname``. Comics outside ``folders`` are not counted anywhere.
    """
    counts = dict.fromkeys(folders, 0)
    for path in comic_paths:
        folder = parent_folder(path)
        if folder in counts:
            counts[folder] += 1
    # Deepest first, so each folder's total is complete before it is added to its parent.
    for folder in sorted(counts, key=lambda path: path.count("/"), reverse=True):
        parent = parent_folder(folder)
        if parent != folder and parent in counts:
            counts[parent] += counts[folder]
    return counts


def folder_entries(
    root: str, seen: Mapping[str, SeenFolder], comic_paths: Iterable[str]
) -> list[FolderEntry]:
    """The final folder tree of a scan, parents before children."""
    counts = recursive_counts(seen, comic_paths)
    entries = [
        FolderEntry(path, depth_of(path, root), folder.mtime_ns, folder.has_thumbnail, counts[path])
        for path, folder in seen.items()
    ]
    return sorted(entries, key=lambda entry: (entry.depth, entry.path))


def folders_to_write(
    entries: Iterable[FolderEntry], known: Mapping[str, KnownFolder]
) -> list[FolderEntry]:
    """The entries that are new or differ from the index in any field."""
    return [entry for entry in entries if not _same_folder(entry, known.get(entry.path))]


def folders_to_remove(
    entries: Iterable[FolderEntry], known: Mapping[str, KnownFolder]
) -> list[str]:
    """Indexed folders the scan no longer found, children before their parents."""
    kept = {entry.path for entry in entries}
    gone = [folder for path, folder in known.items() if path not in kept]
    return [folder.path for folder in sorted(gone, key=lambda f: (-f.depth, f.path))]


def _same_folder(entry: FolderEntry, known: KnownFolder | None) -> bool:
    return known is not None and (
        known.depth,
        known.mtime_ns,
        known.has_thumbnail,
        known.comic_count,
    ) == (entry.depth, entry.mtime_ns, entry.has_thumbnail, entry.comic_count)
