from __future__ import annotations

from typing import Protocol

from bagboard.domain.files import FileDigests, FileStat, FolderListing

__all__ = ["FileTree"]


class FileTree(Protocol):
    """The folders and comic files below a library root, as a scan reads them.

    Paths are absolute POSIX paths. Nothing here ever raises for a file or folder that is
    missing, unreadable or vanishes mid-read: it is reported as gone (``None``) or left out.

    Listings skip hidden entries and NAS/OS housekeeping folders (``is_ignored_name``) and
    keep only files with a comic extension. A symbolic link is resolved: when its target
    lies inside ``root`` the entry is reported under the target's own path below ``root``
    (never under the link's name, so nothing is seen twice and no link can loop); when it
    points outside the root, is broken or loops, the entry is left out.
    """

    def list_folder(self, path: str, root: str) -> FolderListing | None:
        """The folder's direct subfolders and comic files, its mtime and whether it holds a
        ``folder.{jpg,jpeg,png,gif,webp}`` (any case); None when it is gone or unreadable.

        ``root`` is the library root the scan walks, which bounds where links may lead. The
        folder's mtime is taken before its entries, so a change during the listing shows as
        a newer mtime next time.
        """
        ...

    def folder_mtime(self, path: str) -> int | None:
        """The folder's ``st_mtime_ns``; None when it is gone, not a folder, or a link."""
        ...

    def file_stat(self, path: str) -> FileStat | None:
        """Size and ``st_mtime_ns`` of a regular file; None when it is gone or not one."""
        ...

    def fingerprint(self, path: str) -> str | None:
        """The file's content fingerprint (``domain.files.fingerprint``), as ``digests`` has
        it; None when it cannot be read."""
        ...

    def digests(self, path: str) -> FileDigests | None:
        """The file's fingerprint and KOReader's partial MD5 (``domain.files.file_digests``),
        from one opening of the file; None when it cannot be read."""
        ...

    def kosync_md5(self, path: str) -> str | None:
        """KOReader's partial MD5 of the file alone (``domain.kosync.partial_md5``, at most
        12 KiB read); None when it cannot be read."""
        ...
