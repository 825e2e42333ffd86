from __future__ import annotations

from typing import Protocol

from bagboard.domain.archive import ArchiveSummary

__all__ = ["ArchiveReader"]


class ArchiveReader(Protocol):
    """Read-only access to comic archives (CBZ, CBR, CB7, CBT) and PDFs by file path.

    Nothing is ever extracted to disk: members are read into memory, each one capped in size.
    Every failure, whatever its cause (missing file, corrupt or truncated data, a password,
    an unsupported format, a missing external tool, a member that is absent or too large),
    raises ``ArchiveUnreadable``; no library exception escapes.
    """

    def inspect(self, path: str) -> ArchiveSummary:
        """Open the archive once: its real format, its pages in reading order, its ComicInfo.

        An archive without images is not an error (its page tuple is empty). A ComicInfo.xml
        that is malformed, hostile or too large is ignored (``comic_info`` is ``None``) rather
        than failing the whole comic.
        """
        ...

    def read_member(self, path: str, name: str, *, long_edge: int | None = None) -> bytes:
        """The bytes of one member, usually a page name taken from ``inspect``.

        ``long_edge`` says how large the page will be shown (a cover, a resized or streamed
        page): a container whose pages are rendered (PDF) renders about that size instead of
        its full one (the result may still be larger: callers resize it as they would any page).
        Image archives ignore it and return the stored bytes.
        """
        ...

    def read_member_ready(self, path: str, name: str) -> bytes | None:
        """``read_member``'s bytes (without ``long_edge``) when they can be had without waiting
        for the disk: the archive is open already and the member's bytes are in memory. None
        otherwise, whatever the reason (not open, not cached, a format or a member it does not
        read this way, an error): then ask ``read_member``, in a worker thread. Never raises;
        by default always None."""
        return None

    def page_sizes(self, path: str) -> tuple[tuple[int, int], ...] | None:
        """Each page's size in pixels as ``read_member`` serves it (without ``long_edge``), in
        ``inspect``'s page order, when the container knows it without decoding any image (a
        PDF's pages are rendered, so their sizes come from the page boxes); None when the
        pages must be probed (image archives)."""
        ...

    def formats(self) -> dict[str, bool]:
        """Which formats this reader can decode right now, keyed by ``FORMAT_KEYS``.

        ``rar`` covers stored (uncompressed) RAR members; ``rar_compressed`` is true only when
        a working unrar tool was found.
        """
        ...
