"""Comics with ComicInfo series, number, volume and year, and CBL files naming them, for the
reading-list tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz

__all__ = ["cbl", "comic", "write_world"]


def comic(
    root: Path, relative: str, series: str, number: str, volume: str = "", year: str = ""
) -> Path:
    """A one-page CBZ at ``root/relative`` whose ComicInfo states the given fields."""
    fields = {"Series": series, "Number": number}
    if volume:
        fields["Volume"] = volume
    if year:
        fields["Year"] = year
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_cbz(path, {"ComicInfo.xml": comicinfo_xml(fields), "001.jpg": jpeg((9, 9, 9))})


def write_world(base: Path) -> tuple[Path, Path]:
    """Library A (Marvel): Civil War #1 and #2 (2006), two copies of Amazing Spider-Man #532;
    library B (Secret): Secret Wars #1 (1984)."""
    marvel, secret = base / "marvel", base / "secret"
    comic(marvel, "Civil War/Civil War 001.cbz", "Civil War", "1", "2006", "2006")
    comic(marvel, "Civil War/Civil War 002.cbz", "Civil War", "2", "2006", "2006")
    comic(marvel, "Spider-Man 2/ASM 532 (b).cbz", "Amazing Spider-Man", "532", "", "2006")
    comic(marvel, "Spider-Man/ASM 532 (a).cbz", "Amazing Spider-Man", "532", "", "2006")
    comic(secret, "Secret Wars/Secret Wars 001.cbz", "Secret Wars", "1", "", "1984")
    return marvel, secret


def cbl(name: str, books: Sequence[tuple[str, str, str, str]], summary: str = "") -> bytes:
    """A CBL file as the community shares them; each book ``(series, number, volume, year)``,
    blank values left out."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<ReadingList xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
        f"  <Name>{name}</Name>",
    ]
    if summary:
        lines.append(f"  <Summary>{summary}</Summary>")
    lines.append("  <Books>")
    for series, number, volume, year in books:
        attributes = f"Series={quoteattr(series)} Number={quoteattr(number)}"
        if volume:
            attributes += f" Volume={quoteattr(volume)}"
        if year:
            attributes += f" Year={quoteattr(year)}"
        lines.append(f"    <Book {attributes} />")
    lines += ["  </Books>", "  <Matchers />", "</ReadingList>"]
    return "\n".join(lines).encode("utf-8")
