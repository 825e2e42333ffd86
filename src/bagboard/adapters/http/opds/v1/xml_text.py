"""Atom text: values escaped for XML 1.0 text and attributes, and the two element shapes a
feed writes most."""

from __future__ import annotations

import re

__all__ = ["escape_attribute", "escape_text", "link_element", "text_element"]

# XML 1.0 cannot carry most control characters nor lone surrogates (file names that are not
# UTF-8 come to Python as surrogate escapes): they become U+FFFD rather than a broken document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# One search tells whether a value needs any work at all; most values need none.
_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x1f\ufffe\uffff\ud800-\udfff]')


def escape_text(value: str) -> str:
    """Text content: line breaks and tabs stay as they are."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    value = _NOT_XML.sub("\ufffd", value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
    )


def escape_attribute(value: str) -> str:
    """An attribute value: line breaks and tabs as references, or a parser would make them
    spaces."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    return escape_text(value).replace("\n", "&#10;").replace("\t", "&#9;")


def text_element(out: list[str], tag: str, value: str) -> None:
    out.append(f"<{tag}>{escape_text(value)}</{tag}>")


def link_element(out: list[str], rel: str, href: str, media_type: str, **attributes: str) -> None:
    # ``rel`` and ``type`` are always constants of ``media`` and ``feed``, which need no escape.
    extra = "".join([f' {key}="{escape_attribute(value)}"' for key, value in attributes.items()])
    out.append(f'<link rel="{rel}" href="{escape_attribute(href)}" type="{media_type}"{extra} />')
