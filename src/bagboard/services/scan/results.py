"""What reading one file yields a scan, and its compact form between processes.

A pool worker sends every result back pickled. Frozen dataclasses with slots pickle through
``dataclasses.fields`` on both sides, once per object: for a comic with its ComicInfo and
page entries that is most of the cost of sending it. ``FileRead`` therefore travels as plain
tuples of its values and is rebuilt without running any ``__init__`` again (the worker built
and checked it), which is what pickle does for a dataclass anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar

from bagboard.domain.archive import ArchiveFormat, ArchiveSummary
from bagboard.domain.comicinfo import ComicInfo, ComicPageInfo, DeferredPages, pages_of_values
from bagboard.domain.files import FileDigests
from bagboard.ports.archive_reader import ArchiveReader

__all__ = ["FileRead", "Inspection", "inspect_archive"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Inspection:
    """One archive opened: its summary, or why it could not be read."""

    summary: ArchiveSummary | None
    error: str | None = None


def inspect_archive(reader: ArchiveReader, path: str) -> Inspection:
    """Open one archive; every failure comes back as a result, so a bad file never aborts a
    batch. Module-level, so a process pool can pickle it (with a picklable reader)."""
    try:
        return Inspection(reader.inspect(path))
    except Exception as exc:
        # The port promises ArchiveUnreadable, but decoders of hostile bytes fail in ways no
        # one can list; a file that crashed every scan would keep the library from ever being
        # indexed, so any failure marks that one file unreadable.
        return Inspection(None, str(exc) or type(exc).__name__)


@dataclass(frozen=True, slots=True)
class FileRead:
    """One file read for a scan: its archive opened (None when the file itself could not be
    read, for a new file whose digests failed) and, when they were read with it, its digests."""

    inspection: Inspection | None
    digests: FileDigests | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return _rebuild, (_flat_read(self),)


_INFO = tuple(f.name for f in fields(ComicInfo) if f.name != "pages")
_PAGE = tuple(f.name for f in fields(ComicPageInfo))
# One call for all of an object's values, and the slots' own setters to put them back (half
# the cost of ``object.__setattr__``, which looks each name up first): per comic sent.
_info_values = attrgetter(*_INFO)
_page_values = attrgetter(*_PAGE)
_INFO_SETTERS = tuple(ComicInfo.__dict__[name].__set__ for name in (*_INFO, "pages"))
# ``ArchiveFormat(value)`` goes through the enum's lookup machinery; a dict is one step.
_FORMATS = {archive_format.value: archive_format for archive_format in ArchiveFormat}


def _flat_read(read: FileRead) -> tuple[Any, ...]:
    digests = None if read.digests is None else (read.digests.fingerprint, read.digests.kosync_md5)
    inspection = read.inspection
    if inspection is None:
        return (None, digests)
    summary = inspection.summary
    if summary is None:
        return ((inspection.error, None), digests)
    info = summary.comic_info
    flat_info = None
    if info is not None:
        pages = info.pages
        values = pages.values if isinstance(pages, DeferredPages) else None
        if values is None:
            values = tuple(_page_values(page) for page in pages)
        flat_info = (_info_values(info), values)
    flat = (summary.format.value, summary.pages, flat_info, summary.kosync_pages)
    return ((inspection.error, flat), digests)


def _rebuild(state: tuple[Any, ...]) -> FileRead:
    flat_inspection, flat_digests = state
    digests = None if flat_digests is None else _restore(FileDigests, flat_digests)
    if flat_inspection is None:
        return _restore(FileRead, (None, digests))
    error, flat = flat_inspection
    if flat is None:
        return _restore(FileRead, (_restore(Inspection, (None, error)), digests))
    archive_format, pages, flat_info, kosync_pages = flat
    info = None
    if flat_info is not None:
        values, page_values = flat_info
        info = object.__new__(ComicInfo)
        # The pages are built only if something reads them: the index stores the values.
        for set_slot, value in zip(
            _INFO_SETTERS, (*values, pages_of_values(page_values)), strict=True
        ):
            set_slot(info, value)
    summary = _restore(ArchiveSummary, (_FORMATS[archive_format], pages, info, kosync_pages))
    return _restore(FileRead, (_restore(Inspection, (summary, error)), digests))


def _restore(cls: type[_T], values: tuple[Any, ...]) -> _T:
    """An instance of ``cls`` with these values of its fields in order, as unpickling makes
    it: the worker built and checked it, so no ``__init__`` runs again."""
    instance = object.__new__(cls)
    for set_slot, value in zip(_setters(cls), values, strict=True):
        set_slot(instance, value)
    return instance


_SETTERS: dict[type[Any], tuple[Any, ...]] = {}


def _setters(cls: type[Any]) -> tuple[Any, ...]:
    found = _SETTERS.get(cls)
    if found is None:
        found = _SETTERS[cls] = tuple(cls.__dict__[f.name].__set__ for f in fields(cls))
    return found
