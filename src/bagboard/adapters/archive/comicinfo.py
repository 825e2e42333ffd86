"""ComicInfo.xml to ``ComicInfo``: safe against hostile XML, tolerant of what taggers produce.

Safety: documents with a DTD (``<!DOCTYPE``/``<!ENTITY``) are refused before parsing, and
xmltodict runs with entity declarations disabled, so no entity is ever expanded (billion laughs,
external entities). Anything over the size cap is ignored unread.

Tolerance: a UTF-8 or UTF-16 byte-order mark, UTF-16 without one, a declared legacy encoding,
namespaces and ``xsi`` attributes, tags in any case, repeated tags (the first non-empty wins),
control characters (stripped), a bare ``&`` (escaped, then parsed once more), and elements
that hold child elements instead of text.

A file that still cannot be used yields ``None``: bad metadata must not make the comic
unreadable, since its pages are fine.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

from bagboard.domain.archive import MAX_COMICINFO_BYTES
from bagboard.domain.comicinfo import TEXT_FIELDS, ComicInfo, ComicPageInfo

__all__ = ["parse_comicinfo"]

# Tag (local name, casefolded) -> ComicInfo field, for every text field.
_TEXT_TAGS = {field: field for field in TEXT_FIELDS} | {
    "summary": "summary",
    "manga": "manga",
    "languageiso": "language_iso",
    "tags": "tags",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    # UTF-32 marks start with the UTF-16 ones, so they are tested first.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})""")
# The text is handed to the parser already decoded, so a stale encoding declaration must go.
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DTD = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Characters XML 1.0 forbids; taggers copy them in from scraped summaries.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z_][A-Za-z0-9._-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
# Deeper nesting than this in a text field is noise; the bound also keeps recursion shallow.
_MAX_DEPTH = 8


def parse_comicinfo(data: bytes, *, max_bytes: int = MAX_COMICINFO_BYTES) -> ComicInfo | None:
    """Parse ComicInfo.xml bytes; ``None`` when the file is too large, hostile or unusable."""
    if len(data) > max_bytes:
        return None
    text = _CONTROL.sub("", _DECLARATION.sub("", _decode(data), count=1))
    if _DTD.search(text):
        return None
    root = _parse(text)
    return None if root is None else _comic_info(root)


def _decode(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    if data.startswith(b"<\x00"):
        return data.decode("utf-16-le", errors="replace")
    if data.startswith(b"\x00<"):
        return data.decode("utf-16-be", errors="replace")
    for codec in (_declared_encoding(data), "utf-8"):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    # Windows taggers that declare UTF-8 but write their code page.
    return data.decode("cp1252", errors="replace")


def _declared_encoding(data: bytes) -> str:
    match = _DECLARED_ENCODING.match(data)
    if match is None:
        return "utf-8"
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return "utf-8"
    # Real UTF-16/32 documents were recognised above by their first bytes; a declaration
    # alone would turn an ASCII-compatible file into garbage.
    return "utf-8" if codec.startswith(("utf-16", "utf-32")) else codec


def _parse(text: str) -> Mapping[str, Any] | None:
    repaired = _BARE_AMPERSAND.sub("&amp;", text)
    for attempt in (text, repaired) if repaired != text else (text,):
        try:
            document = xmltodict.parse(attempt, disable_entities=True)
        except (ExpatError, ValueError):
            continue
        if not isinstance(document, Mapping):
            return None
        for key, value in document.items():
            if _local(key) == "comicinfo":
                return value if isinstance(value, Mapping) else {}
        return None
    return None


def _local(key: str) -> str:
    """A tag or attribute name without its namespace prefix, casefolded."""
    return key.rsplit(":", 1)[-1].casefold()


def _text(value: object, depth: int = 0) -> str:
    if depth > _MAX_DEPTH:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return next((text for item in value if (text := _text(item, depth + 1))), "")
    if isinstance(value, Mapping):
        children = [value.get("#text")] + [v for k, v in value.items() if k[:1] not in "@#"]
        return next((text for item in children if (text := _text(item, depth + 1))), "")
    return ""


def _to_int(text: str) -> int | None:
    text = text.strip()
    # Nine digits is plenty for page counts and sizes, and keeps int() trivially cheap.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _comic_info(root: Mapping[str, Any]) -> ComicInfo:
    values: dict[str, Any] = {}
    page_count: int | None = None
    pages: tuple[ComicPageInfo, ...] = ()
    for key, value in root.items():
        if key[:1] in "@#":
            continue
        tag = _local(key)
        if tag == "pages":
            pages = pages or _pages(value)
        elif tag == "pagecount":
            page_count = page_count if page_count is not None else _to_int(_text(value))
        elif (field := _TEXT_TAGS.get(tag)) is not None and not values.get(field):
            values[field] = _text(value)
    return ComicInfo(**values, page_count=page_count, pages=pages)


def _pages(value: object) -> tuple[ComicPageInfo, ...]:
    containers = value if isinstance(value, list) else [value]
    for container in containers:
        if not isinstance(container, Mapping):
            continue
        entries: list[object] = []
        for key, item in container.items():
            if _local(key) == "page":
                # One <Page> parses to a dict, several to a list.
                entries.extend(item if isinstance(item, list) else [item])
        pages = tuple(page for entry in entries if (page := _page(entry)) is not None)
        if pages:
            return pages
    return ()


def _page(entry: object) -> ComicPageInfo | None:
    if not isinstance(entry, Mapping):
        return None
    attributes = {
        _local(key[1:]): value.strip()
        for key, value in entry.items()
        if key.startswith("@") and isinstance(value, str)
    }
    image = _to_int(attributes.get("image", ""))
    if image is None:
        return None
    return ComicPageInfo(
        image=image,
        type=attributes.get("type", ""),
        double_page=attributes.get("doublepage", "").casefold() == "true",
        image_size=_to_int(attributes.get("imagesize", "")),
        image_width=_to_int(attributes.get("imagewidth", "")),
        image_height=_to_int(attributes.get("imageheight", "")),
        bookmark=attributes.get("bookmark", ""),
    )
