"""Rules for the inside of a comic archive: which members are pages, their order, the metadata file.

These rules are shared by every ``ArchiveReader`` so the same archive yields the same pages
whichever adapter reads it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.kosync import KOSYNC_FORMATS, PageMap, kosync_page_map
from bagboard.domain.naturalsort import NaturalPathKey, natural_path_key, remembered_keys

__all__ = [
    "COMICINFO_NAME",
    "COMIC_EXTENSIONS",
    "FORMAT_KEYS",
    "MAX_COMICINFO_BYTES",
    "MAX_PAGE_BYTES",
    "PAGE_EXTENSIONS",
    "RAR_COMPRESSED",
    "ArchiveFormat",
    "ArchiveSummary",
    "find_comicinfo",
    "format_for_name",
    "is_junk_member",
    "is_page_image",
    "is_safe_member_name",
    "kosync_pages",
    "page_order",
]

# A page is decoded whole into memory to be served or thumbnailed; no real scan comes near
# this, while a zip bomb goes far past it.
MAX_PAGE_BYTES = 256 * 1024 * 1024
# ComicInfo.xml is a few kilobytes; anything bigger is a mistake or an attack.
MAX_COMICINFO_BYTES = 1024 * 1024

# AVIF is included because Pillow (used for covers) decodes it; JPEG XL is not, as Pillow cannot.
PAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".avif"})

COMICINFO_NAME = "comicinfo.xml"

# Folders that archivers and operating systems add and that never hold pages.
_JUNK_SEGMENTS = frozenset({"__macosx"})
_SEPARATORS = re.compile(r"[/\\]")


class ArchiveFormat(StrEnum):
    ZIP = "zip"
    RAR = "rar"
    SEVEN_ZIP = "7z"
    TAR = "tar"
    PDF = "pdf"


# Keys of ``ArchiveReader.formats()``: one per container, plus compressed RAR, which needs an
# external tool that may be missing (stored RAR members are readable without it).
RAR_COMPRESSED = "rar_compressed"
FORMAT_KEYS = (
    ArchiveFormat.ZIP.value,
    ArchiveFormat.RAR.value,
    RAR_COMPRESSED,
    ArchiveFormat.SEVEN_ZIP.value,
    ArchiveFormat.TAR.value,
    ArchiveFormat.PDF.value,
)

_EXTENSION_FORMATS = {
    ".cbz": ArchiveFormat.ZIP,
    ".zip": ArchiveFormat.ZIP,
    ".cbr": ArchiveFormat.RAR,
    ".rar": ArchiveFormat.RAR,
    ".cb7": ArchiveFormat.SEVEN_ZIP,
    ".7z": ArchiveFormat.SEVEN_ZIP,
    ".cbt": ArchiveFormat.TAR,
    ".tar": ArchiveFormat.TAR,
    ".pdf": ArchiveFormat.PDF,
}
COMIC_EXTENSIONS = frozenset(_EXTENSION_FORMATS)


@dataclass(frozen=True, slots=True)
class ArchiveSummary:
    """What one opening of an archive tells: its real format, its pages and its metadata."""

    format: ArchiveFormat
    # Member names in reading order; page ``i`` of the comic is ``pages[i]``.
    pages: tuple[str, ...]
    comic_info: ComicInfo | None = None
    # How KOReader's page order maps to ``pages`` (``kosync_pages``); None when they agree.
    kosync_pages: PageMap | None = None

    @property
    def page_count(self) -> int:
        return len(self.pages)


def format_for_name(name: str) -> ArchiveFormat | None:
    """The format a file name claims by its extension (the content may disagree)."""
    return _EXTENSION_FORMATS.get(posixpath.splitext(name.casefold())[1])


def _segments(name: str) -> list[str]:
    # Windows-made zips sometimes use backslashes; "." segments come from `tar -cf x.cbt .`.
    if "/" not in name and "\\" not in name:  # most members: no folder, no pattern to run
        return [name] if name not in ("", ".") else []
    return [part for part in _SEPARATORS.split(name) if part not in ("", ".")]


def _safe_start(name: str) -> bool:
    """No empty name, no NUL, no absolute path or drive letter (``^[A-Za-z]:``)."""
    if not name or "\x00" in name or name.startswith(("/", "\\")):
        return False
    return not (name[1:2] == ":" and name[0].isascii() and name[0].isalpha())


def _junk(segments: list[str]) -> bool:
    return not segments or any(
        segment.startswith(".") or segment.casefold() in _JUNK_SEGMENTS for segment in segments
    )


def is_safe_member_name(name: str) -> bool:
    """False for names that would climb out of a folder if anyone ever used them as a path.

    Members are only ever read into memory, but such names are refused outright so no
    consumer of a page name can be tricked later.
    """
    return _safe_start(name) and ".." not in _segments(name)


def is_junk_member(name: str) -> bool:
    """Hidden files and folders, macOS resource forks (``._x``, ``__MACOSX/``) at any depth."""
    return _junk(_segments(name))


def is_page_image(name: str) -> bool:
    """True for a member that is a page: a safe, visible image file (``Thumbs.db`` and the like
    fall out because they are not images)."""
    if name.endswith(("/", "\\")) or not _safe_start(name):
        return False
    segments = _segments(name)
    if ".." in segments or _junk(segments):
        return False
    return posixpath.splitext(name.casefold())[1] in PAGE_EXTENSIONS


# Each member name's sort key as a page, None when it is no page: the comics of a library
# mostly name their pages alike (``page001.jpg``...), so a scan works each name out once.
# Bounded, since nothing makes names repeat; keys are unique per name, so the order is the same.
_PAGE_KEYS: dict[str, NaturalPathKey | None] = {}
_MAX_CACHED_NAMES = 4096


def _page_key(name: str) -> NaturalPathKey | None:
    return natural_path_key(name) if is_page_image(name) else None


def page_order(names: Iterable[str]) -> tuple[str, ...]:
    """The page members of an archive in reading order: natural sort of the full member path."""
    keys = remembered_keys(names, _PAGE_KEYS, _page_key, _MAX_CACHED_NAMES)
    return tuple(sorted(keys, key=keys.__getitem__))


def kosync_pages(
    archive_format: ArchiveFormat, names: Iterable[str], pages: tuple[str, ...]
) -> PageMap | None:
    """How KOReader numbers the pages of an archive holding ``names`` whose pages are
    ``pages`` (``domain.kosync.kosync_page_map``). None for the formats KOReader does not
    page through MuPDF (7z), whose progress it never sends as page numbers, and for PDFs,
    whose pages both count in the document's own order."""
    if archive_format is ArchiveFormat.PDF or archive_format.value not in KOSYNC_FORMATS:
        return None
    return kosync_page_map(names, pages)


def find_comicinfo(names: Iterable[str]) -> str | None:
    """The ComicInfo.xml member, matched case-insensitively by base name.

    The one at the archive root wins; otherwise the shallowest, ties broken in natural order.
    """
    candidates = [
        name
        for name in names
        # Casefolding goes character by character: a name without it anywhere is not one.
        if COMICINFO_NAME in name.casefold()
        and is_safe_member_name(name)
        and not is_junk_member(name)
        and _segments(name)[-1].casefold() == COMICINFO_NAME
    ]
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    return min(candidates, key=lambda name: (len(_segments(name)), natural_path_key(name)))
