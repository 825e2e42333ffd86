"""What a comic's names on disk say when its ComicInfo does not (contract §4, metadata mode).

A comic without ComicInfo.xml, or with one that leaves fields blank, still belongs to a
series and a publisher: each blank field is filled on its own, and ComicInfo always wins
where it has a value.

- series, number, volume, year, title and count come from the file name
  (``domain.filenames``);
- the series, when the file name has none, comes from the folder holding the comic; a
  volume folder (``v2012``, ``Vol. 3``, ``Volume 3``) gives the volume, and the series is
  then its parent folder;
- the publisher comes from the top folder below the library root when the comic lies at
  least two folders deep (Publisher/Series/issue, Publisher/Imprint/Series/issue);
- otherwise the series is ``Unknown series`` and the publisher ``Unknown publisher``.

Where each filled value came from is kept beside it (``sources``) so a reader can tell a
tagged series from a guessed one.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum
from typing import Any, Final

from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.filenames import parse_file_name
from bagboard.domain.paths import below

__all__ = [
    "FILLED_FIELDS",
    "NO_SOURCES",
    "UNKNOWN_PUBLISHER",
    "UNKNOWN_SERIES",
    "Source",
    "Sources",
    "fill_from_names",
    "fill_info",
    "relative_to_root",
    "tagged_part",
]

UNKNOWN_SERIES: Final = "Unknown series"
UNKNOWN_PUBLISHER: Final = "Unknown publisher"
# The fields names on disk can give, in ComicInfo's order.
FILLED_FIELDS: Final = ("title", "series", "number", "count", "volume", "year", "publisher")
# (field, source) pairs in ``FILLED_FIELDS`` order: hashable, like the records holding them.
Sources = tuple[tuple[str, str], ...]
NO_SOURCES: Sources = ()

_VOLUME_FOLDER = re.compile(r"^(?:v|vol\.?|volume)\s*(\d{1,4})$", re.IGNORECASE)


class Source(StrEnum):
    """Where a value that ComicInfo did not give came from."""

    FILE_NAME = "file name"
    FOLDER = "folder"
    FALLBACK = "fallback"


def relative_to_root(path: str, root: str) -> str:
    """``path`` below ``root`` (``"Publisher/Series/issue.cbz"``); the base name when the
    path is not below the root."""
    relative = below(path, root)
    return posixpath.basename(path) if relative is None else relative


def fill_from_names(
    values: Mapping[str, str], relative_path: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The blank ``FILLED_FIELDS`` of ``values`` filled from ``relative_path`` (the comic's
    path below its library root): the filled values, and each one's ``Source``."""
    blank = [name for name in FILLED_FIELDS if not values.get(name, "").strip()]
    if not blank:
        return {}, {}
    *folders, file_name = relative_path.strip("/").split("/")
    parts = parse_file_name(file_name)
    from_name = {
        "title": parts.title,
        "series": parts.series,
        "number": parts.number,
        "count": parts.count,
        "volume": parts.volume,
        "year": parts.year,
    }
    folder_volume = ""
    if folders:
        volume_folder = _VOLUME_FOLDER.match(folders[-1].strip())
        if volume_folder is not None:
            folder_volume = str(int(volume_folder.group(1)))
            folders = folders[:-1]
    filled: dict[str, str] = {}
    sources: dict[str, str] = {}
    for name in blank:
        value, source = from_name.get(name, ""), Source.FILE_NAME
        if not value and name == "series" and folders:
            value, source = folders[-1].strip(), Source.FOLDER
        elif not value and name == "volume" and folder_volume:
            value, source = folder_volume, Source.FOLDER
        elif name == "publisher" and len(folders) >= 2:
            value, source = folders[0].strip(), Source.FOLDER
        if not value and name == "series":
            value, source = UNKNOWN_SERIES, Source.FALLBACK
        elif not value and name == "publisher":
            value, source = UNKNOWN_PUBLISHER, Source.FALLBACK
        if value:
            filled[name] = value
            sources[name] = source.value
    return filled, sources


def fill_info(info: ComicInfo | None, relative_path: str) -> tuple[ComicInfo, Sources]:
    """``info`` (or an empty ComicInfo) with its blank fields filled from the comic's names."""
    base = info if info is not None else ComicInfo()
    filled, sources = fill_from_names(
        {name: getattr(base, name) for name in FILLED_FIELDS}, relative_path
    )
    changes: dict[str, Any] = filled
    return (replace(base, **changes) if changes else base), tuple(sources.items())


def tagged_part(info: ComicInfo, sources: Sources) -> ComicInfo:
    """What ComicInfo itself said: ``info`` with every filled value blanked again, so a comic
    that moves is filled anew from its new place."""
    if not sources:
        return info
    blanks: dict[str, Any] = {name: "" for name, _ in sources}
    return replace(info, **blanks)
