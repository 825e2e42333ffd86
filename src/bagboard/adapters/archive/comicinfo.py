"""ComicInfo.xml to ``ComicInfo``: safe against hostile XML, tolerant of what taggers produce.

Safety and the tolerance of encodings, control characters and bare ``&`` are those of
``adapters.safe_xml`` (shared with reading-list files): anything over the size cap is ignored
unread, and documents with a DTD are refused, so no entity is ever expanded.

Tolerance here: namespaces and ``xsi`` attributes, tags in any case, repeated tags (the first
non-empty wins), and elements that hold child elements instead of text.

A file that still cannot be used yields ``None``: bad metadata must not make the comic
unreadable, since its pages are fine.

Speed: a scan parses one ComicInfo.xml per comic, and xmltodict builds its dicts in Python.
The common document (each tag once, text fields holding text, one ``<Pages>`` of ``<Page>``
elements) is read with ElementTree's C parser instead, from the same prepared text; anything
else (a parse error, a repeated tag, nested elements in a text field...) goes the general
way, so both give the same ``ComicInfo`` for every document the quick way accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, ParseError, XMLParser

from bagboard.adapters.safe_xml import XmlRefused, local_name, parse_xml, prepare_xml
from bagboard.domain.archive import MAX_COMICINFO_BYTES
from bagboard.domain.comicinfo import (
    STRING_LIMITS,
    TEXT_FIELDS,
    ComicInfo,
    ComicPageInfo,
    DeferredPages,
    pages_of_values,
)

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

# Local names of the tags and attributes seen so far, by their name as ElementTree gives it:
# every document of a library spells them alike. Bounded, since a hostile one need not.
_LOCAL_NAMES: dict[str, str] = {}
_MAX_LOCAL_NAMES = 512


def parse_comicinfo(data: bytes, *, max_bytes: int = MAX_COMICINFO_BYTES) -> ComicInfo | None:
    """Parse ComicInfo.xml bytes; ``None`` when the file is too large, hostile or unusable."""
    try:
        quick = _quick(prepare_xml(data, max_bytes=max_bytes))
        if quick is not None:
            return quick
        document = parse_xml(data, max_bytes=max_bytes)
    except XmlRefused:
        return None
    return _comic_info(document.content) if document.root == "comicinfo" else None


class _Unusual(Exception):
    """The document is not of the common shape: the general parse decides."""


def _quick(text: str) -> ComicInfo | None:
    """The common document's ``ComicInfo``, or None to leave it to the general parse. The
    text has no DTD (``prepare_xml`` refused it), so expat expands no entity here either."""
    parser = XMLParser()  # noqa: S314 - no DTD gets here, so no entity can be declared
    try:
        parser.feed(text)
        root = parser.close()
        if _local(root.tag) != "comicinfo":
            raise _Unusual
        return _quick_info(root)
    except (ParseError, _Unusual):
        return None


def _local(name: str) -> str:
    found = _LOCAL_NAMES.get(name)
    if found is None:
        # ElementTree writes a namespaced name as {uri}local, xmltodict as prefix:local.
        found = local_name(name.rpartition("}")[2])
        if len(_LOCAL_NAMES) < _MAX_LOCAL_NAMES:
            _LOCAL_NAMES[name] = found
    return found


def _quick_info(root: Element) -> ComicInfo:
    values: dict[str, Any] = {}
    page_count: int | None = None
    pages: Sequence[ComicPageInfo] = ()
    seen: set[str] = set()
    for child in root:
        tag = _local(child.tag)
        if tag in seen:
            raise _Unusual  # xmltodict groups repeats by spelling: its order is not ours
        seen.add(tag)
        if tag == "pages":
            pages = _quick_pages(child)
            continue
        if len(child):
            raise _Unusual  # elements inside a text field
        text = (child.text or "").strip()
        if tag == "pagecount":
            page_count = _to_int(text)
        elif (field := _TEXT_TAGS.get(tag)) is not None and not values.get(field):
            values[field] = text
    return _clean_info(values, page_count, pages)


def _clean_info(
    values: dict[str, str], page_count: int | None, pages: Sequence[ComicPageInfo]
) -> ComicInfo:
    """``ComicInfo(**values, page_count=page_count, pages=pages)`` of stripped ``values``: as
    the constructor would leave them when each is within its field's limit, stored as they
    are (cleaning them again was a tenth of a comic's parse), else through the constructor."""
    texts = []
    for name, limit in STRING_LIMITS:
        text = values.get(name, "")
        if len(text) > limit:
            return ComicInfo(**values, page_count=page_count, pages=pages)
        texts.append(text)
    return ComicInfo.stored(
        texts, page_count, pages if isinstance(pages, DeferredPages) else tuple(pages)
    )


def _quick_pages(container: Element) -> Sequence[ComicPageInfo]:
    entries = [item for item in container if _local(item.tag) == "page"]
    if len({item.tag for item in entries}) > 1:
        raise _Unusual  # <Page> and <page> mixed: xmltodict groups them by spelling
    found = (_page_values(item.attrib) for item in entries if item.attrib)
    return pages_of_values(tuple(values for values in found if values is not None))


# A <Page>'s attributes as taggers spell them: a page naming no others (the usual one) is read
# by these names, without working out each one's local name.
_PAGE_ATTRIBUTES = frozenset(
    ("Image", "Type", "DoublePage", "ImageSize", "ImageWidth", "ImageHeight", "Bookmark")
)


def _page_values(attrib: Mapping[str, str]) -> tuple[Any, ...] | None:
    """``_page`` of one element's attributes, as the page's field values in order."""
    if attrib.keys() <= _PAGE_ATTRIBUTES:
        get = attrib.get  # each name once, and its local name is itself casefolded
        image = _to_int(get("Image", ""))
        if image is None:
            return None
        return (
            image,
            get("Type", "").strip(),
            get("DoublePage", "").strip().casefold() == "true",
            _to_int(get("ImageSize", "")),
            _to_int(get("ImageWidth", "")),
            _to_int(get("ImageHeight", "")),
            get("Bookmark", "").strip(),
        )
    attributes = {_local(name): value.strip() for name, value in attrib.items()}
    image = _to_int(attributes.get("image", ""))
    if image is None:
        return None
    get = attributes.get
    return (
        image,
        get("type", ""),
        get("doublepage", "").casefold() == "true",
        _to_int(get("imagesize", "")),
        _to_int(get("imagewidth", "")),
        _to_int(get("imageheight", "")),
        get("bookmark", ""),
    )


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
