"""Parsing XML that came from somewhere else (ComicInfo.xml in an archive, an uploaded CBL list)
without trusting it.

Safety: input over the caller's size cap is refused before it is decoded; documents with a
DTD (``<!DOCTYPE``/``<!ENTITY``) are refused before parsing, and xmltodict runs with entity
declarations disabled as well, so no entity is ever expanded (billion laughs, external
entities); callers may cap how many elements of a name a document holds, which stops the
parse as soon as one too many closes rather than after the whole tree is built.

Tolerance: a UTF-8, UTF-16 or UTF-32 byte-order mark, UTF-16 without one, a declared legacy
encoding, control characters (stripped), a bare ``&`` (escaped, then parsed once more).
Line numbers in error messages are those of the original file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

__all__ = ["XmlDocument", "XmlRefused", "clean_text", "local_name", "parse_xml", "prepare_xml"]

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


class XmlRefused(ValueError):
    """The document was not parsed: too large, declaring a DTD or entities, holding too many
    elements of a capped name, or not well-formed XML. The message says which, in words a
    user can act on (with the line and column expat reported, when it did)."""


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """A parsed document: its root element's local name (casefolded) and what xmltodict made
    of the root's attributes (``@name``) and children (``{}`` for an empty root)."""

    root: str
    content: Mapping[str, Any]


def parse_xml(
    data: bytes, *, max_bytes: int, max_count: Mapping[str, int] | None = None
) -> XmlDocument:
    """Parse untrusted XML bytes, or raise ``XmlRefused``.

    ``max_count`` caps, by casefolded local name, how many elements of that name the
    document may hold anywhere.
    """
    text = prepare_xml(data, max_bytes=max_bytes)
    repaired = _BARE_AMPERSAND.sub("&amp;", text)
    first_error: Exception | None = None
    for attempt in (text, repaired) if repaired != text else (text,):
        # Only when asked: the hook costs a call per element and attribute, and scans parse
        # a ComicInfo.xml per comic.
        options = {"postprocessor": _Counter(max_count)} if max_count else {}
        try:
            document = xmltodict.parse(attempt, disable_entities=True, **options)
        except XmlRefused:
            raise
        except (ExpatError, ValueError) as exc:
            first_error = first_error or exc
            continue
        return _document(document)
    raise XmlRefused(f"the file is not well-formed XML ({first_error})")


def prepare_xml(data: bytes, *, max_bytes: int) -> str:
    """The text ``parse_xml`` first hands its parser: decoded, without its declaration and
    control characters; ``XmlRefused`` when it is too large or declares a DTD or entities.
    A parser of its own may take it from here, falling back to ``parse_xml`` on any error."""
    if len(data) > max_bytes:
        raise XmlRefused(f"the file is larger than {max_bytes:,} bytes")
    text = _CONTROL.sub("", _DECLARATION.sub(_keep_lines, _decode(data), count=1))
    if _DTD.search(text):
        raise XmlRefused("the file declares a DTD or entities (<!DOCTYPE>, <!ENTITY>), refused")
    return text


def local_name(key: str) -> str:
    """A tag or attribute name without its namespace prefix, casefolded."""
    return key.rsplit(":", 1)[-1].casefold()


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold, so a file written with it parses."""
    return _CONTROL.sub("", text)


def _document(document: object) -> XmlDocument:
    if isinstance(document, Mapping):
        for key, value in document.items():
            return XmlDocument(local_name(key), value if isinstance(value, Mapping) else {})
    raise XmlRefused("the file holds no XML element")


class _Counter:
    """An xmltodict postprocessor that counts elements by name and stops the parse at one
    too many. It sees every attribute and text node too; those keys start with ``@``/``#``."""

    def __init__(self, limits: Mapping[str, int]) -> None:
        self._limits = limits
        self._counts: dict[str, int] = {}

    def __call__(self, _path: object, key: str, value: object) -> tuple[str, object]:
        if key[:1] not in "@#":
            name = local_name(key)
            limit = self._limits.get(name)
            if limit is not None:
                count = self._counts[name] = self._counts.get(name, 0) + 1
                if count > limit:
                    raise XmlRefused(f"the file holds more than {limit:,} <{key}> elements")
        return key, value


def _keep_lines(match: re.Match[str]) -> str:
    """The declaration's replacement: its line breaks, so expat's line numbers stay right."""
    return "\n" * match.group().count("\n")


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
