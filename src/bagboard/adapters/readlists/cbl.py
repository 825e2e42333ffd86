"""CBL files (ComicBookReadingList XML, as ComicRack wrote them and the community shares them)
to a ``ParsedList`` and back.

A list looks like this (``<Summary>`` is Kavita's addition; ``<Database>`` ids come from lists
generated from ComicVine, ``Name="cv"``)::

    <?xml version="1.0" encoding="utf-8"?>
    <ReadingList xmlns:xsd="http://www.w3.org/2001/XMLSchema"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <Name>Civil War</Name>
      <NumIssues>1</NumIssues>
      <Books>
        <Book Series="Civil War" Number="1" Volume="2006" Year="2006">
          <Database Name="cv" Series="18023" Issue="105996"/>
        </Book>
      </Books>
      <Matchers/>
    </ReadingList>

Reading is as hardened as ComicInfo parsing (``adapters.safe_xml``: size cap, no DTD, no
entities) and also caps the number of books while parsing. Anything unusable raises
``InvalidReadingList`` with a message for the user: unlike a comic's metadata, an imported
list is the whole point of the request. Tolerated: a missing Volume, Year, Name or Summary,
blank or non-numeric years, tags and attributes in any case or with a namespace prefix, and
whatever else the file holds (``<Matchers>``, ``<NumIssues>``, ``<Id>``). A ``<Book>`` naming
no series names nothing and is skipped; a book named twice is kept twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, Any

import xmltodict

from bagboard.adapters.safe_xml import XmlRefused, clean_text, local_name, parse_xml
from bagboard.domain.comicinfo import FIELD_LIMITS, INDEXED_FIELD_LIMIT
from bagboard.domain.readlists import (
    MAX_LIST_BOOKS,
    MAX_LIST_FILE_BYTES,
    InvalidReadingList,
    ListBook,
    ParsedList,
)

__all__ = ["parse_cbl", "read_cbl", "write_cbl"]

_SUMMARY_LIMIT = FIELD_LIMITS["summary"]
_NAMESPACES = {
    "@xmlns:xsd": "http://www.w3.org/2001/XMLSchema",
    "@xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def read_cbl(
    stream: IO[bytes], *, max_bytes: int = MAX_LIST_FILE_BYTES, max_books: int = MAX_LIST_BOOKS
) -> ParsedList:
    """Read a CBL file from ``stream``; more than ``max_bytes`` is refused after reading one
    byte past the cap, never the whole file."""
    return parse_cbl(_read_at_most(stream, max_bytes + 1), max_bytes=max_bytes, max_books=max_books)


def _read_at_most(stream: IO[bytes], size: int) -> bytes:
    # A pipe or socket may hand out less than asked before its end.
    chunks: list[bytes] = []
    while size > 0 and (chunk := stream.read(size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def parse_cbl(
    data: bytes, *, max_bytes: int = MAX_LIST_FILE_BYTES, max_books: int = MAX_LIST_BOOKS
) -> ParsedList:
    """Parse CBL bytes, or raise ``InvalidReadingList`` saying what is wrong with them."""
    try:
        document = parse_xml(data, max_bytes=max_bytes, max_count={"book": max_books})
    except XmlRefused as exc:
        raise InvalidReadingList(f"Not a usable CBL file: {exc}.") from exc
    if document.root != "readinglist":
        raise InvalidReadingList(
            f"Not a CBL reading list: the root element is <{document.root}>, not <ReadingList>."
        )
    name = summary = ""
    books: list[ListBook] = []
    for key, value in _children(document.content):
        if key == "name":
            name = name or _text(value)[:INDEXED_FIELD_LIMIT]
        elif key == "summary":
            summary = summary or _text(value)[:_SUMMARY_LIMIT]
        elif key == "books":
            books.extend(_books(value))
    return ParsedList(name=name, summary=summary, books=tuple(books))


def write_cbl(name: str, summary: str, books: Iterable[ListBook]) -> bytes:
    """A CBL file (UTF-8) holding the list, as ``parse_cbl`` and other CBL readers read it.
    Characters XML cannot hold are left out, so the file always parses."""
    entries = [_book_element(book) for book in books]
    root: dict[str, Any] = {**_NAMESPACES, "Name": clean_text(name)}
    if summary.strip():
        root["Summary"] = clean_text(summary)
    root["NumIssues"] = str(len(entries))
    root["Books"] = {"Book": entries} if entries else None
    root["Matchers"] = None
    text = xmltodict.unparse(
        {"ReadingList": root}, pretty=True, indent="  ", short_empty_elements=True
    )
    return f"{text}\n".encode()


def _book_element(book: ListBook) -> dict[str, Any]:
    element: dict[str, Any] = {
        "@Series": clean_text(book.series),
        "@Number": clean_text(book.number),
    }
    if book.volume is not None:
        element["@Volume"] = clean_text(book.volume)
    if book.year is not None:
        element["@Year"] = str(book.year)
    if book.database_ids:
        element["Database"] = [
            {"@Name": clean_text(db), "@Series": clean_text(series), "@Issue": clean_text(issue)}
            for db, series, issue in book.database_ids
        ]
    return element


def _children(element: object) -> Iterable[tuple[str, object]]:
    """An element's child elements as ``(local name, value)``, each repeat on its own."""
    if not isinstance(element, Mapping):
        return
    for key, value in element.items():
        if key[:1] in "@#":
            continue
        for item in value if isinstance(value, list) else [value]:
            yield local_name(key), item


def _attributes(element: object) -> dict[str, str]:
    if not isinstance(element, Mapping):
        return {}
    return {
        local_name(key[1:]): " ".join(value.split())
        for key, value in element.items()
        if key.startswith("@") and isinstance(value, str)
    }


def _text(value: object) -> str:
    if isinstance(value, Mapping):
        value = value.get("#text")
    return value.strip() if isinstance(value, str) else ""


def _books(container: object) -> Iterable[ListBook]:
    for key, element in _children(container):
        if key == "book" and (book := _book(element)) is not None:
            yield book


def _book(element: object) -> ListBook | None:
    attributes = _attributes(element)
    series = attributes.get("series", "")[:INDEXED_FIELD_LIMIT]
    if not series:
        return None
    volume = attributes.get("volume", "")[:INDEXED_FIELD_LIMIT]
    return ListBook(
        series=series,
        number=attributes.get("number", "")[:INDEXED_FIELD_LIMIT],
        volume=volume or None,
        year=_year(attributes.get("year", "")),
        database_ids=tuple(
            ids
            for key, child in _children(element)
            if key == "database" and (ids := _database_ids(child)) is not None
        ),
    )


def _database_ids(element: object) -> tuple[str, str, str] | None:
    attributes = _attributes(element)
    ids = tuple(
        attributes.get(name, "")[:INDEXED_FIELD_LIMIT] for name in ("name", "series", "issue")
    )
    return (ids[0], ids[1], ids[2]) if any(ids) else None


def _year(text: str) -> int | None:
    # Four digits at most: a year, and int() stays trivially cheap on hostile input.
    if text.isascii() and text.isdigit() and len(text) <= 4 and int(text) > 0:
        return int(text)
    return None
