"""``MemoryFileTree``: folders, comic files and links held in memory, with explicit mtimes."""

from __future__ import annotations

import io
import posixpath
import threading
from dataclasses import dataclass, field
from enum import Enum

from bagboard.domain.files import (
    ComicFile,
    FileDigests,
    FileStat,
    FolderListing,
    file_digests,
    is_comic_name,
    is_ignored_name,
    is_thumbnail_name,
    library_path,
)
from bagboard.domain.kosync import partial_md5
from bagboard.ports.file_tree import FileTree

__all__ = ["MemoryFileTree"]

# As many hops as Linux follows before it reports a loop.
_MAX_LINK_HOPS = 40
_SECOND_NS = 1_000_000_000


class _Kind(Enum):
    FOLDER = "folder"
    FILE = "file"
    LINK = "link"


@dataclass(slots=True)
class _Node:
    kind: _Kind
    mtime_ns: int
    data: bytes = b""
    target: str = ""
    readable: bool = True
    children: set[str] = field(default_factory=set)


class MemoryFileTree(FileTree):
    """An in-memory file system that behaves like a disk where the scan can tell.

    Creating, removing or renaming an entry sets its folder's mtime to a fresh tick, as a
    real file system does; rewriting a file in place changes only the file. Mtimes default
    to a private clock that advances one second per change, and any can be set explicitly.
    """

    def __init__(self, *, start_ns: int = 1_600_000_000 * _SECOND_NS) -> None:
        self._now_ns = start_ns
        self._nodes: dict[str, _Node] = {"/": _Node(_Kind.FOLDER, start_ns)}
        self._lock = threading.RLock()

    # --- building the tree ---------------------------------------------------------------

    def add_folder(self, path: str, *, mtime_ns: int | None = None) -> None:
        """Create a folder and any missing parents (like ``mkdir -p``)."""
        with self._lock:
            node = self._nodes.get(path)
            if node is None:
                node = self._create(path, _Node(_Kind.FOLDER, self._tick()))
            if mtime_ns is not None:
                node.mtime_ns = mtime_ns

    def add_file(self, path: str, data: bytes = b"", *, mtime_ns: int | None = None) -> None:
        """Create a file, or rewrite an existing one in place (its folder's mtime stays)."""
        with self._lock:
            mtime = self._tick() if mtime_ns is None else mtime_ns
            node = self._nodes.get(path)
            if node is not None and node.kind is _Kind.FILE:
                node.data, node.mtime_ns = data, mtime
            else:
                self._create(path, _Node(_Kind.FILE, mtime, data=data))

    def add_link(self, path: str, target: str) -> None:
        """A symbolic link to an absolute ``target``, which need not exist."""
        with self._lock:
            self._create(path, _Node(_Kind.LINK, self._tick(), target=target))

    def set_mtime(self, path: str, mtime_ns: int) -> None:
        with self._lock:
            self._nodes[path].mtime_ns = mtime_ns

    def set_readable(self, path: str, readable: bool) -> None:
        """An unreadable folder cannot be listed and an unreadable file cannot be read, but
        both can still be stat'ed, as with missing read permission on disk."""
        with self._lock:
            self._nodes[path].readable = readable

    def move(self, source: str, destination: str) -> None:
        """Rename a file, folder or link; what moves keeps its own mtime."""
        with self._lock:
            prefix = source + "/"
            moved = {p: n for p, n in self._nodes.items() if p == source or p.startswith(prefix)}
            for path in moved:
                del self._nodes[path]
            self._unlink_from_parent(source)
            self._create(destination, moved.pop(source))
            for path, node in moved.items():
                self._nodes[destination + path[len(source) :]] = node

    def remove(self, path: str) -> None:
        """Delete an entry and everything below it."""
        with self._lock:
            prefix = path + "/"
            for key in [k for k in self._nodes if k == path or k.startswith(prefix)]:
                del self._nodes[key]
            self._unlink_from_parent(path)

    # --- FileTree ------------------------------------------------------------------------

    def list_folder(self, path: str, root: str) -> FolderListing | None:
        with self._lock:
            real = self._resolve(path)
            node = None if real is None else self._nodes[real]
            if real is None or node is None or node.kind is not _Kind.FOLDER or not node.readable:
                return None
            folders: list[str] = []
            comics: list[ComicFile] = []
            has_thumbnail = False
            for name in node.children:
                if is_ignored_name(name):
                    continue
                found = self._entry(posixpath.join(real, name), posixpath.join(path, name), root)
                if isinstance(found, ComicFile):
                    comics.append(found)
                elif isinstance(found, str):
                    folders.append(found)
                elif found:
                    has_thumbnail = True
            return FolderListing(
                path=path,
                mtime_ns=node.mtime_ns,
                folders=tuple(sorted(folders)),
                comics=tuple(sorted(comics, key=lambda comic: comic.path)),
                has_thumbnail=has_thumbnail,
            )

    def folder_mtime(self, path: str) -> int | None:
        with self._lock:
            node = self._lstat(path)
            return node.mtime_ns if node is not None and node.kind is _Kind.FOLDER else None

    def file_stat(self, path: str) -> FileStat | None:
        with self._lock:
            node = self._lstat(path)
            if node is None or node.kind is not _Kind.FILE:
                return None
            return FileStat(len(node.data), node.mtime_ns)

    def fingerprint(self, path: str) -> str | None:
        digests = self.digests(path)
        return None if digests is None else digests.fingerprint

    def digests(self, path: str) -> FileDigests | None:
        data = self._content(path)
        return None if data is None else file_digests(io.BytesIO(data), len(data))

    def kosync_md5(self, path: str) -> str | None:
        data = self._content(path)
        return None if data is None else partial_md5(io.BytesIO(data))

    # --- internals -----------------------------------------------------------------------

    def _content(self, path: str) -> bytes | None:
        with self._lock:
            node = self._lstat(path)
            if node is None or node.kind is not _Kind.FILE or not node.readable:
                return None
            return node.data

    def _entry(self, real: str, path: str, root: str) -> ComicFile | str | bool:
        """A comic, a subfolder path, True for a folder thumbnail, False for anything else."""
        node = self._nodes[real]
        name = posixpath.basename(path)
        if node.kind is _Kind.LINK:
            target = self._resolve(real)
            real_root = self._resolve(root)
            if target is None or real_root is None:
                return False
            mapped = library_path(target, real_root, root)
            if mapped is None:
                return False
            node, path = self._nodes[target], mapped
        if node.kind is _Kind.FOLDER:
            return path
        if is_comic_name(posixpath.basename(path)):
            return ComicFile(path, len(node.data), node.mtime_ns)
        return is_thumbnail_name(name)

    def _tick(self) -> int:
        self._now_ns += _SECOND_NS
        return self._now_ns

    def _create(self, path: str, node: _Node) -> _Node:
        parent_path = posixpath.dirname(path)
        if parent_path not in self._nodes:
            self.add_folder(parent_path)
        parent = self._nodes[parent_path]
        parent.children.add(posixpath.basename(path))
        parent.mtime_ns = self._tick()
        self._nodes[path] = node
        return node

    def _unlink_from_parent(self, path: str) -> None:
        parent = self._nodes[posixpath.dirname(path)]
        parent.children.discard(posixpath.basename(path))
        parent.mtime_ns = self._tick()

    def _lstat(self, path: str) -> _Node | None:
        # Links in the parent folders are followed, the last component is not (like lstat).
        parent = self._resolve(posixpath.dirname(path))
        if parent is None:
            return None
        return self._nodes.get(posixpath.join(parent, posixpath.basename(path)))

    def _resolve(self, path: str) -> str | None:
        """The real path of an existing entry, every link followed; None if broken or looping."""
        pending = [part for part in reversed(path.split("/")) if part]
        current, hops = "/", 0
        while pending:
            part = pending.pop()
            if part == ".":
                continue
            if part == "..":
                current = posixpath.dirname(current)
                continue
            candidate = posixpath.join(current, part)
            node = self._nodes.get(candidate)
            if node is None:
                return None
            if node.kind is _Kind.LINK:
                hops += 1
                if hops > _MAX_LINK_HOPS:
                    return None
                pending.extend(part for part in reversed(node.target.split("/")) if part)
                if node.target.startswith("/"):
                    current = "/"
                continue
            current = candidate
        return current
