"""KOReader sync (kosync): how KOReader names a document, numbers its pages and rounds its
percentage, so a position it writes is the one every other protocol reads, and the reverse.

KOReader names a book by ``partial_md5`` of its content (its default, "binary" matching) or
by ``name_md5`` of its file name. It opens CBZ, CBT, CBR and PDF through MuPDF, whose comic
page list differs from ours in two ways: it takes every member with one of its image
extensions (hidden files and ``__MACOSX`` included, WebP and AVIF left out) and sorts the
whole member names with its own natural comparison. ``kosync_page_map`` translates.
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cmp_to_key
from typing import Protocol

from bagboard.domain.naturalsort import remembered_keys
from bagboard.domain.text import is_storable

__all__ = [
    "KOSYNC_FORMATS",
    "MAX_DOCUMENT_LENGTH",
    "MAX_PROGRESS_LENGTH",
    "SAMPLE_OFFSETS",
    "SAMPLE_SIZE",
    "KosyncPosition",
    "PageMap",
    "Seekable",
    "is_valid_document",
    "kosync_page",
    "kosync_page_map",
    "kosync_percentage",
    "last_shown_page",
    "mupdf_page_names",
    "name_md5",
    "our_page",
    "page_from_progress",
    "partial_md5",
]

SAMPLE_SIZE = 1024
# KOReader's ``util.partialMD5``: ``1024 << 2*i`` for i = -1..10 under LuaJIT, which masks
# the shift count to 5 bits, so i = -1 shifts by 30 and the 32-bit result is 0.
SAMPLE_OFFSETS: tuple[int, ...] = (0, *(SAMPLE_SIZE << (2 * i) for i in range(11)))

# Formats KOReader opens through MuPDF, so pages are what it syncs (by ``ArchiveFormat``
# value; "pdf" once PDFs are comics). CB7 opens through another engine, if at all.
KOSYNC_FORMATS = frozenset({"zip", "tar", "rar", "pdf"})

# An MD5 is 32 characters; other kosync clients name documents otherwise, but nothing needs
# more than this, and a stored key must stay small.
MAX_DOCUMENT_LENGTH = 256
# A page number or an XPointer into a reflowable book; kept as sent for unmatched documents.
MAX_PROGRESS_LENGTH = 2048

# MuPDF's comic image extensions (source/cbz/mucbz.c), compared case-insensitively.
_MUPDF_EXTENSIONS = frozenset(
    {
        ".bmp",
        ".gif",
        ".hdp",
        ".j2k",
        ".jp2",
        ".jpeg",
        ".jpg",
        ".jpx",
        ".jxr",
        ".pam",
        ".pbm",
        ".pgm",
        ".png",
        ".pnm",
        ".ppm",
        ".tif",
        ".tiff",
        ".wdp",
    }
)
_DIGITS = re.compile(r"[0-9]+")


class Seekable(Protocol):
    """What ``partial_md5`` reads through: a binary file opened for reading, or anything that
    answers the same two calls (a buffer already read, in front of the file)."""

    def seek(self, offset: int, /) -> int: ...

    def read(self, size: int, /) -> bytes: ...


def partial_md5(file: Seekable) -> str:
    """KOReader's document id of a file's content, read from ``file`` (seekable, binary).

    One MD5 over up to 1024 bytes at each of ``SAMPLE_OFFSETS`` in turn, stopping at the
    first offset where nothing can be read; a short last sample is hashed as read. At most
    12 KiB are read whatever the file's size.
    """
    digest = hashlib.md5(usedforsecurity=False)
    for offset in SAMPLE_OFFSETS:
        file.seek(offset)
        sample = file.read(SAMPLE_SIZE)
        if not sample:
            break
        digest.update(sample)
    return digest.hexdigest()


def name_md5(name: str) -> str:
    """KOReader's document id under "filename" matching: the MD5 of the base name's UTF-8."""
    data = posixpath.basename(name).encode("utf-8", "surrogateescape")
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def is_valid_document(document: object) -> bool:
    """What the reference server accepts as a document id: a non-empty string without ``:``
    (and, here, of bounded length and storable as text)."""
    return (
        isinstance(document, str)
        and 0 < len(document) <= MAX_DOCUMENT_LENGTH
        and ":" not in document
        and is_storable(document)
    )


def kosync_percentage(page: int, pages: int) -> float:
    """KOReader's own rounding of a page position: ``floor(page / pages * 10000) / 10000``,
    so the same page compares equal on both sides (page 1 of 3 is 0.3333, the last 1.0)."""
    if pages <= 0:
        return 0.0
    return math.floor(page / pages * 10000) / 10000


def page_from_progress(progress: object, percentage: float, pages: int) -> int:
    """The 1-based page a kosync write names, in KOReader's page order, within ``1..pages``.

    ``progress`` is the page as a decimal string or number (older clients sent a number);
    anything else (an XPointer) falls back to the percentage: the first page at or past it.
    """
    page: int | None = None
    if isinstance(progress, bool):
        page = None
    elif isinstance(progress, int):
        page = progress
    elif isinstance(progress, float) and progress.is_integer():
        page = int(progress)
    elif isinstance(progress, str) and _DIGITS.fullmatch(progress.strip()) is not None:
        digits = progress.strip().lstrip("0") or "0"
        page = int(digits) if len(digits) <= 10 else pages
    if page is None:
        fraction = percentage if math.isfinite(percentage) else 0.0
        page = math.ceil(fraction * pages - 1e-6)
    return max(1, min(page, pages)) if pages > 0 else 1


def _mupdf_compare(a: str, b: str) -> int:
    # MuPDF's cbz_strnatcmp: ASCII letters compared upper-cased, digit runs by value.
    i = j = 0
    while i < len(a) or j < len(b):
        if i < len(a) and j < len(b) and _is_digit(a[i]) and _is_digit(b[j]):
            run_a = _DIGITS.match(a, i)
            run_b = _DIGITS.match(b, j)
            if run_a is not None and run_b is not None:
                x, y = int(run_a.group()), int(run_b.group())
                i, j = run_a.end(), run_b.end()
                if x != y:
                    return -1 if x < y else 1
                continue
        x = _upper(a[i]) if i < len(a) else 0
        y = _upper(b[j]) if j < len(b) else 0
        i += 1
        j += 1
        if x != y:
            return -1 if x < y else 1
    return 0


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _upper(char: str) -> int:
    code = ord(char)
    return code - 32 if 97 <= code <= 122 else code


def mupdf_page_names(names: Iterable[str]) -> list[str]:
    """The members MuPDF shows as a comic's pages, in its order: every name with one of its
    image extensions (case-insensitively), sorted by its natural comparison, ties (``01``
    and ``1``) by the names themselves so the order is the same on every run."""
    keys = remembered_keys(names, _MUPDF_KEYS, _mupdf_page_key, _MAX_CACHED_NAMES)
    pages = sorted(keys)
    if any("\x00" in name for name in pages):  # NUL compares as the end of a name there
        return sorted(pages, key=cmp_to_key(_mupdf_compare))
    return sorted(pages, key=keys.__getitem__)


# Each member name's ``_mupdf_key``, None when MuPDF shows no page for it: worked out once per
# name in a scan, as most comics of a library name their pages alike. Bounded.
_MUPDF_KEYS: dict[str, str | None] = {}
_MAX_CACHED_NAMES = 4096


def _mupdf_page_key(name: str) -> str | None:
    is_page = posixpath.splitext(name.casefold())[1] in _MUPDF_EXTENSIONS
    return _mupdf_key(name) if is_page and not name.endswith("/") else None


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _mupdf_key(name: str) -> str:
    """A string that orders as ``_mupdf_compare`` does, for a name without NUL: letters
    upper-cased, each digit run a ``0`` (below every letter, above what sorts before digits,
    where the comparison sets its first digit against a character) then its significant
    digits' count and the digits, so two runs compare by value and equal values go on."""
    return _DIGITS.sub(_run_key, name.translate(_ASCII_UPPER))


def _run_key(run: re.Match[str]) -> str:
    digits = run.group().lstrip("0") or "0"
    return "0" + chr(0x100 + len(digits)) + digits


# For each of KOReader's pages (in its order), the 1-based page of ours showing the same
# member, 0 when we do not show it as a page.
PageMap = tuple[int, ...]


def kosync_page_map(names: Iterable[str], pages: Sequence[str]) -> PageMap | None:
    """How KOReader's pages of an archive holding ``names`` map to ours (``pages``, in our
    reading order); None when both lists are the same, which is almost always."""
    theirs = mupdf_page_names(names)
    if theirs == list(pages):
        return None
    ours = {name: number for number, name in enumerate(pages, start=1)}
    return tuple(ours.get(name, 0) for name in theirs)


def our_page(kosync_page: int, page_map: PageMap | None, page_count: int) -> int:
    """Our page for KOReader's 1-based ``kosync_page``: the same member, or when KOReader's
    page is not one of ours (a resource fork, say), the next page of ours after it, else the
    last one before it. Clamped to ``1..page_count``."""
    if page_map is None:
        return max(1, min(kosync_page, page_count))
    if not page_map:
        return 1
    index = max(1, min(kosync_page, len(page_map))) - 1
    after = [page for page in page_map[index:] if page]
    if after:
        return after[0]
    before = [page for page in page_map[:index] if page]
    return before[-1] if before else 1


def last_shown_page(page_map: PageMap) -> int:
    """KOReader's last page that shows a page of ours: reaching it finishes the comic. Past
    the last page when none does, so that none finishes it."""
    shown = [number for number, ours in enumerate(page_map, start=1) if ours]
    return shown[-1] if shown else len(page_map) + 1


def kosync_page(page: int, page_map: PageMap | None, page_count: int) -> tuple[int, int]:
    """KOReader's ``(page, pages)`` for our 1-based ``page``: the position of the same member
    in its order, or when it shows no such page (a WebP page), the last of its pages before
    it; ``pages`` is its page count (ours when the orders agree)."""
    if page_map is None:
        return max(1, min(page, page_count)), page_count
    if not page_map:
        return 1, 0
    best = 0
    for number, ours in enumerate(page_map, start=1):
        if ours and ours <= page and (best == 0 or ours >= page_map[best - 1]):
            best = number
    return max(best, 1), len(page_map)


@dataclass(frozen=True, slots=True)
class KosyncPosition:
    """A position as kosync carries it: ``progress`` (a page number as text for comics),
    ``percentage`` (0..1), the writing device, and the server time of the last change."""

    document: str
    progress: str
    percentage: float
    device: str
    device_id: str
    updated_at: datetime
