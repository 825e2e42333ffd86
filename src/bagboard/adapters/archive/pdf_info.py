"""The metadata of a PDF comic: an attached ComicInfo.xml, else the document information.

Some taggers attach ComicInfo.xml to a PDF as an embedded file; it is read like the one inside
a CBZ. Without it, the document information dictionary is what a PDF says about itself, and
its fields map onto ComicInfo's: Title, Author (writer), Subject (summary), Keywords (tags)
and the year of CreationDate. Everything else (series, number) comes from the file name and
folders later, as for any comic.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Mapping

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bagboard.domain.archive import COMICINFO_NAME
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.text import is_storable

__all__ = ["attached_comicinfo", "info_comicinfo"]

# The document information read as title, writer and summary.
_INFO_KEYS = ("Title", "Author", "Subject")
# "D:YYYY..." in the PDF date format, or a bare year as some producers write it.
_YEAR = re.compile(r"^(?:D:)?\s*(\d{4})")
_FIRST_YEAR = 1000


def _clean(value: str) -> str:
    value = value.replace("\x00", "").strip()
    return value if is_storable(value) else ""


def _tags(keywords: str) -> str:
    # Keywords are free text; commas and semicolons are how people separate them.
    parts = (part.strip() for part in re.split(r"[;,]", keywords))
    return ", ".join(part for part in parts if part)


def _year(created: str) -> str:
    match = _YEAR.match(created)
    return match.group(1) if match and int(match.group(1)) >= _FIRST_YEAR else ""


def info_comicinfo(info: Mapping[str, str]) -> ComicInfo | None:
    """ComicInfo from a PDF's document information; None when it says nothing usable."""
    title, writer, summary = (_clean(info.get(key, "")) for key in _INFO_KEYS)
    comic_info = ComicInfo(
        title=title,
        writer=writer,
        summary=summary,
        tags=_tags(_clean(info.get("Keywords", ""))),
        year=_year(_clean(info.get("CreationDate", ""))),
    )
    return None if comic_info.is_empty else comic_info


def attached_comicinfo(
    document: pdfium.PdfDocument, max_bytes: int, parse: Callable[[bytes], ComicInfo | None]
) -> ComicInfo | None:
    """The first attachment named ComicInfo.xml (any case), parsed; None when there is none,
    it is larger than ``max_bytes`` or it cannot be used."""
    for index in range(document.count_attachments()):
        attachment = document.get_attachment(index)
        if attachment.get_name().strip().casefold() != COMICINFO_NAME:
            continue
        data = _attachment_bytes(attachment, max_bytes)
        return None if data is None else parse(data)
    return None


def _attachment_bytes(attachment: pdfium.PdfAttachment, max_bytes: int) -> bytes | None:
    # Asked for its length first, so an oversized file is never copied out.
    length = ctypes.c_ulong()
    if not pdfium_c.FPDFAttachment_GetFile(attachment.raw, None, 0, ctypes.byref(length)):
        return None
    if length.value > max_bytes:
        return None
    buffer = ctypes.create_string_buffer(max(1, length.value))
    if not pdfium_c.FPDFAttachment_GetFile(
        attachment.raw, buffer, length.value, ctypes.byref(length)
    ):
        return None
    return buffer.raw[: length.value]
