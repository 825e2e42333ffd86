"""The FileTree contract, run against the disk adapter and the in-memory one.

Each test builds its tree through a ``Disk`` (a real folder under ``tmp_path``, or a
``MemoryFileTree``) and then only asks the port.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.tree import MemoryFileTree
from bagboard.domain.files import ComicFile, FileStat, FolderListing
from bagboard.ports.file_tree import FileTree

MTIME = 1_500_000_000_123_456_789
BIG = 200 * 1024


class Disk(Protocol):
    root: str  # the library root
    outside: str  # a folder next to the root, outside the library
    tree: FileTree

    def folder(self, path: str) -> None: ...
    def file(self, path: str, data: bytes = b"", mtime_ns: int = MTIME) -> None: ...
    def link(self, path: str, target: str) -> None: ...
    def set_mtime(self, path: str, mtime_ns: int) -> None: ...
    def make_unreadable(self, path: str) -> None: ...


class LocalDisk:
    def __init__(self, base: Path) -> None:
        self.root = str(base.resolve() / "library")
        self.outside = str(base.resolve() / "outside")
        self.tree: FileTree = LocalFileTree()
        self.locked: set[str] = set()
        self.folder(self.root)
        self.folder(self.outside)

    def folder(self, path: str) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def file(self, path: str, data: bytes = b"", mtime_ns: int = MTIME) -> None:
        self.folder(os.path.dirname(path))
        Path(path).write_bytes(data)
        os.utime(path, ns=(mtime_ns, mtime_ns))

    def link(self, path: str, target: str) -> None:
        os.symlink(target, path)

    def set_mtime(self, path: str, mtime_ns: int) -> None:
        os.utime(path, ns=(mtime_ns, mtime_ns))

    def make_unreadable(self, path: str) -> None:
        Path(path).chmod(0)
        if os.geteuid() == 0:
            # Permission bits do not stop root (and CI runs as root): refuse the reads the
            # kernel would refuse anyone else, so the adapter's handling is still exercised.
            self.locked.add(path)


class MemoryDisk:
    def __init__(self) -> None:
        self.root, self.outside = "/srv/library", "/srv/outside"
        self.memory = MemoryFileTree()
        self.tree: FileTree = self.memory
        self.folder(self.root)
        self.folder(self.outside)

    def folder(self, path: str) -> None:
        self.memory.add_folder(path)

    def file(self, path: str, data: bytes = b"", mtime_ns: int = MTIME) -> None:
        self.memory.add_file(path, data, mtime_ns=mtime_ns)

    def link(self, path: str, target: str) -> None:
        self.memory.add_link(path, target)

    def set_mtime(self, path: str, mtime_ns: int) -> None:
        self.memory.set_mtime(path, mtime_ns)

    def make_unreadable(self, path: str) -> None:
        self.memory.set_readable(path, False)


def _refuse_locked(disk: LocalDisk, monkeypatch: pytest.MonkeyPatch) -> None:
    scandir, open_file, open_fd = os.scandir, Path.open, os.open

    def guarded_scandir(path: str) -> Any:
        if str(path) in disk.locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    def guarded_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if str(self) in disk.locked:
            raise PermissionError(13, "Permission denied", str(self))
        return open_file(self, *args, **kwargs)

    def guarded_open_fd(path: str, *args: Any, **kwargs: Any) -> int:
        if str(path) in disk.locked:
            raise PermissionError(13, "Permission denied", str(path))
        return open_fd(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", guarded_scandir)
    monkeypatch.setattr(Path, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_open_fd)


@pytest.fixture(params=["local", "memory"])
def disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Disk]:
    made: Disk
    if request.param == "local":
        local = LocalDisk(tmp_path)
        _refuse_locked(local, monkeypatch)
        made = local
    else:
        made = MemoryDisk()
    yield made
    # Give permissions back so tmp_path can be cleaned up.
    for folder, _, _ in os.walk(tmp_path):
        Path(folder).chmod(0o755)


def listing(disk: Disk, path: str | None = None) -> FolderListing:
    found = disk.tree.list_folder(path or disk.root, disk.root)
    assert found is not None
    return found


def test_a_listing_holds_subfolders_comics_and_the_folder_mtime(disk: Disk) -> None:
    root = disk.root
    disk.folder(f"{root}/Marvel")
    disk.folder(f"{root}/DC")
    disk.file(f"{root}/b.cbz", b"12345", mtime_ns=MTIME + 1)
    disk.file(f"{root}/a.CBR", b"123")
    for name in ("x.cb7", "x.cbt", "x.zip", "x.rar", "x.7z", "x.tar"):
        disk.file(f"{root}/{name}", b"1")
    disk.file(f"{root}/notes.txt", b"not a comic")
    disk.file(f"{root}/cover.jpg", b"an image, not a folder thumbnail")
    disk.set_mtime(root, MTIME + 7)

    found = listing(disk)
    assert found.path == root
    assert found.mtime_ns == MTIME + 7 == disk.tree.folder_mtime(root)
    assert found.folders == (f"{root}/DC", f"{root}/Marvel")
    assert found.comics[:2] == (
        ComicFile(f"{root}/a.CBR", 3, MTIME),
        ComicFile(f"{root}/b.cbz", 5, MTIME + 1),
    )
    assert [c.name for c in found.comics[2:]] == sorted(
        ["x.cb7", "x.cbt", "x.zip", "x.rar", "x.7z", "x.tar"]
    )
    assert not found.has_thumbnail


@pytest.mark.parametrize(
    "name", [".hidden", "@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information"]
)
def test_hidden_and_housekeeping_entries_are_skipped(disk: Disk, name: str) -> None:
    disk.folder(f"{disk.root}/{name}")
    disk.file(f"{disk.root}/{name}/x.cbz", b"1")
    disk.file(f"{disk.root}/.{name.lstrip('.')}.cbz", b"1")
    found = listing(disk)
    assert (found.folders, found.comics) == ((), ())


@pytest.mark.parametrize(
    "name", ["folder.jpg", "Folder.JPG", "folder.jpeg", "folder.png", "FOLDER.gif", "folder.webp"]
)
def test_a_folder_image_is_its_thumbnail(disk: Disk, name: str) -> None:
    disk.file(f"{disk.root}/Marvel/{name}", b"image")
    assert listing(disk, f"{disk.root}/Marvel").has_thumbnail
    assert not listing(disk).has_thumbnail


def test_missing_things_are_none(disk: Disk) -> None:
    disk.file(f"{disk.root}/a.cbz", b"1")
    gone = f"{disk.root}/gone"
    assert disk.tree.list_folder(gone, disk.root) is None
    assert disk.tree.list_folder(f"{disk.root}/a.cbz", disk.root) is None
    assert disk.tree.folder_mtime(gone) is None
    assert disk.tree.folder_mtime(f"{disk.root}/a.cbz") is None
    assert disk.tree.file_stat(f"{disk.root}/gone.cbz") is None
    assert disk.tree.file_stat(disk.root) is None
    assert disk.tree.fingerprint(f"{disk.root}/gone.cbz") is None
    assert disk.tree.fingerprint(disk.root) is None


def test_file_stat_gives_size_and_mtime(disk: Disk) -> None:
    disk.file(f"{disk.root}/a.cbz", b"abcdef", mtime_ns=MTIME + 42)
    assert disk.tree.file_stat(f"{disk.root}/a.cbz") == FileStat(6, MTIME + 42)


def test_fingerprints_follow_content_not_names(disk: Disk) -> None:
    root = disk.root
    disk.file(f"{root}/a.cbz", b"same bytes", mtime_ns=MTIME)
    disk.file(f"{root}/sub/b.cbz", b"same bytes", mtime_ns=MTIME + 5)
    disk.file(f"{root}/c.cbz", b"other bytes")
    a = disk.tree.fingerprint(f"{root}/a.cbz")
    assert a is not None
    assert re.fullmatch(r"10:[0-9a-f]{32}", a)
    assert disk.tree.fingerprint(f"{root}/sub/b.cbz") == a
    assert disk.tree.fingerprint(f"{root}/c.cbz") != a


def test_a_fingerprint_reads_the_first_and_last_64_kib(disk: Disk) -> None:
    base = bytes(range(256)) * (BIG // 256)
    middle = base[:100_000] + b"X" + base[100_001:]
    end = base[:-1] + b"X"
    disk.file(f"{disk.root}/base.cbz", base)
    disk.file(f"{disk.root}/middle.cbz", middle)
    disk.file(f"{disk.root}/end.cbz", end)
    prints = [disk.tree.fingerprint(f"{disk.root}/{n}.cbz") for n in ("base", "middle", "end")]
    assert prints[0] == prints[1] != prints[2]
    assert prints[0] is not None
    assert prints[0].startswith(f"{BIG}:")


def test_a_link_out_of_the_library_is_never_followed(disk: Disk) -> None:
    disk.file(f"{disk.outside}/secret.cbz", b"1")
    disk.link(f"{disk.root}/escape", disk.outside)
    disk.link(f"{disk.root}/escape.cbz", f"{disk.outside}/secret.cbz")
    disk.link(f"{disk.root}/folder.jpg", f"{disk.outside}/secret.cbz")
    found = listing(disk)
    assert (found.folders, found.comics, found.has_thumbnail) == ((), (), False)


def test_a_link_inside_the_library_reports_its_target(disk: Disk) -> None:
    root = disk.root
    disk.file(f"{root}/Marvel/X/x 1.cbz", b"123", mtime_ns=MTIME)
    disk.folder(f"{root}/Reading")
    disk.link(f"{root}/Reading/X", f"{root}/Marvel/X")
    disk.link(f"{root}/Reading/alias.cbz", f"{root}/Marvel/X/x 1.cbz")
    disk.link(f"{root}/Reading/up", root)
    found = listing(disk, f"{root}/Reading")
    assert set(found.folders) == {f"{root}/Marvel/X", root}
    assert found.comics == (ComicFile(f"{root}/Marvel/X/x 1.cbz", 3, MTIME),)


def test_broken_and_looping_links_are_left_out(disk: Disk) -> None:
    root = disk.root
    disk.link(f"{root}/broken.cbz", f"{root}/nowhere.cbz")
    disk.link(f"{root}/a", f"{root}/b")
    disk.link(f"{root}/b", f"{root}/a")
    disk.link(f"{root}/hidden", f"{root}/.stash")
    disk.folder(f"{root}/.stash")
    found = listing(disk)
    assert (found.folders, found.comics) == ((), ())


def test_a_linked_root_is_listed_under_its_own_path(disk: Disk) -> None:
    disk.file(f"{disk.outside}/Marvel/x.cbz", b"1")
    alias = f"{disk.root}-alias"
    disk.link(alias, disk.outside)
    found = disk.tree.list_folder(alias, alias)
    assert found is not None
    assert found.folders == (f"{alias}/Marvel",)
    # Stat'ing walks into a linked root too, only the last component is not followed.
    assert disk.tree.folder_mtime(f"{alias}/Marvel") is not None
    assert disk.tree.folder_mtime(alias) is None


def test_an_unreadable_folder_is_not_listed(disk: Disk) -> None:
    disk.file(f"{disk.root}/Locked/x.cbz", b"1")
    disk.make_unreadable(f"{disk.root}/Locked")
    assert disk.tree.list_folder(f"{disk.root}/Locked", disk.root) is None
    assert listing(disk).folders == (f"{disk.root}/Locked",)


def test_an_unreadable_file_has_no_fingerprint(disk: Disk) -> None:
    disk.file(f"{disk.root}/x.cbz", b"1")
    disk.make_unreadable(f"{disk.root}/x.cbz")
    assert disk.tree.fingerprint(f"{disk.root}/x.cbz") is None
    assert disk.tree.file_stat(f"{disk.root}/x.cbz") == FileStat(1, MTIME)
