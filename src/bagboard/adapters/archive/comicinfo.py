"""ComicInfo.xml to ``ComicInfo``: safe against hostile XML, tolerant of what taggers produce.

Safety and the tolerance of encodings, control characters and bare ``&`` are those of
``adapters.safe_xml`` (shared with reading-list files): anything over the size cap is ignored
unread, and documents with a DTD are refused, so no entity is ever expanded.

Tolerance here: namespaces and ``xsi`` attributes, tags in any case, repeated tags (the first
non-empty wins), and elements that hold child elements instead of text.

A file that still cannot be used yields ``None``: bad metadata must not make the comic
unreadable, since its pages are fine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bagboard.adapters.safe_xml import XmlRefused, local_name, parse_xml
from bagboard.domain.archive import MAX_COMICINFO_BYTES
from bagboard.domain.comicinfo import TEXT_FIELDS, ComicInfo, ComicPageInfo

__all__ = ["parse_comicinfo"]

# Tag (local name, casefolded) -> ComicInfo field, for every text field.
_TEXT_TAGS = {field: field for field in TEXT_FIELDS} | {
    "summary": "summary",
    "manga": "manga",
    "languageiso": "language_iso",
    "tags": "tags",
    "storyarc": "story_arc",
    "storyarcnumber": "story_arc_number",
}

# Deeper nesting than this in a text field is noise; the bound also keeps recursion shallow.
_MAX_DEPTH = 8


def parse_comicinfo(data: bytes, *, max_bytes: int = MAX_COMICINFO_BYTES) -> ComicInfo | None:
    """Parse ComicInfo.xml bytes; ``None`` when the file is too large, hostile or unusable."""
    try:
        document = parse_xml(data, max_bytes=max_bytes)
    except XmlRefused:
        return None
    return _comic_info(document.content) if document.root == "comicinfo" else None


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
        tag = local_name(key)
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
            if local_name(key) == "page":
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
        local_name(key[1:]): value.strip()
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
