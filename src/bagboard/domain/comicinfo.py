"""Metadata read from a comic's ComicInfo.xml (the ComicRack / Anansi schema).

Every text field is a plain string, ``""`` when the file does not say: ComicInfo values are
free text in practice (``Number`` may be ``"7.5"`` or ``"Annual 1"``, ``Year`` may be blank), so
interpreting them is left to the code that needs a specific meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any, overload

from bagboard.domain.errors import InvalidInput

__all__ = [
    "DEFAULT_FIELD_LIMIT",
    "FIELD_LIMITS",
    "FRONT_COVER",
    "INDEXED_FIELD_LIMIT",
    "STRING_FIELDS",
    "STRING_LIMITS",
    "TEXT_FIELDS",
    "ComicInfo",
    "ComicPageInfo",
    "DeferredPages",
    "pages_of_values",
]

FRONT_COVER = "FrontCover"

# The 15 descriptive fields most readers and servers agree on, in schema order.
TEXT_FIELDS = (
    "title",
    "series",
    "number",
    "count",
    "volume",
    "year",
    "writer",
    "penciller",
    "inker",
    "colorist",
    "letterer",
    "coverartist",
    "publisher",
    "genre",
    "characters",
)


# Fields the index sorts and groups by are kept short: a database index entry has a size limit
# (about 2.7 KB on PostgreSQL, for all columns of the entry together) and no real title, series
# or publisher comes near 200 characters. Free-text fields get more room.
INDEXED_FIELD_LIMIT = 200
DEFAULT_FIELD_LIMIT = 2_000
FIELD_LIMITS = {
    **dict.fromkeys(
        ("title", "series", "number", "count", "volume", "year", "publisher"), INDEXED_FIELD_LIMIT
    ),
    "summary": 20_000,
}
# Every text field with its limit, in field order: ``__post_init__`` cleans these by name
# (``dataclasses.fields`` on every construction cost more than the cleaning itself).
STRING_FIELDS = (
    *TEXT_FIELDS,
    "summary",
    "manga",
    "language_iso",
    "tags",
    "story_arc",
    "story_arc_number",
)
STRING_LIMITS = tuple((name, FIELD_LIMITS.get(name, DEFAULT_FIELD_LIMIT)) for name in STRING_FIELDS)


@dataclass(frozen=True, slots=True)
class ComicPageInfo:
    """One ``<Page>`` entry: ``image`` is the 0-based index of the page in reading order."""

    image: int
    type: str = ""
    double_page: bool = False
    image_size: int | None = None
    image_width: int | None = None
    image_height: int | None = None
    bookmark: str = ""

    def __post_init__(self) -> None:
        if self.image < 0:
            raise InvalidInput("a ComicInfo page index must not be negative")
        object.__setattr__(self, "type", self.type.strip())
        object.__setattr__(self, "bookmark", self.bookmark.strip())
        for name in ("image_size", "image_width", "image_height"):
            value = getattr(self, name)
            if value is not None and value < 0:
                object.__setattr__(self, name, None)

    @property
    def is_front_cover(self) -> bool:
        return self.type.casefold() == FRONT_COVER.casefold()


class DeferredPages(Sequence[ComicPageInfo]):
    """A ``<Pages>`` list decoded on first use. A stored comic carries one page entry per image
    (hundreds in a long comic) that only covers and moves ever read: a feed of fifty comics
    must not build thousands of ``ComicPageInfo`` to throw them away. Equal to, and hashed
    like, the tuple of the same pages, so a ``ComicInfo`` read back equals the one written."""

    __slots__ = ("_decode", "_pages", "values")

    def __init__(
        self,
        decode: Callable[[], tuple[ComicPageInfo, ...]],
        values: tuple[tuple[Any, ...], ...] | None = None,
    ) -> None:
        self._decode = decode
        self._pages: tuple[ComicPageInfo, ...] | None = None
        # Each page's field values in ``ComicPageInfo``'s order, when the pages came as such
        # (from a process that read the archive): what an index stores, without the pages.
        self.values = values

    def _all(self) -> tuple[ComicPageInfo, ...]:
        if self._pages is None:
            # Two threads may both decode; they get equal tuples, and either one is kept.
            self._pages = self._decode()
        return self._pages

    @overload
    def __getitem__(self, index: int) -> ComicPageInfo: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[ComicPageInfo, ...]: ...
    def __getitem__(self, index: int | slice) -> ComicPageInfo | tuple[ComicPageInfo, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[ComicPageInfo]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DeferredPages):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (self._all(),)


@dataclass(frozen=True, slots=True)
class ComicInfo:
    title: str = ""
    series: str = ""
    number: str = ""
    count: str = ""
    volume: str = ""
    year: str = ""
    writer: str = ""
    penciller: str = ""
    inker: str = ""
    colorist: str = ""
    letterer: str = ""
    coverartist: str = ""
    publisher: str = ""
    genre: str = ""
    characters: str = ""
    # The number of pages the tagger saw; it may disagree with the archive, so it is advisory.
    page_count: int | None = None
    summary: str = ""
    manga: str = ""
    language_iso: str = ""
    tags: str = ""
    # Comma-separated lists read in step (``domain.story_arcs.arc_parts``).
    story_arc: str = ""
    story_arc_number: str = ""
    # A tuple, or pages read back from a store and decoded when first used (``stored``).
    pages: Sequence[ComicPageInfo] = ()

    def __post_init__(self) -> None:
        for name, limit in STRING_LIMITS:
            value = getattr(self, name)
            if isinstance(value, str):
                cleaned = value.strip()[:limit].strip()
                if cleaned is not value:  # most values come clean: nothing to set
                    object.__setattr__(self, name, cleaned)
        if self.page_count is not None and self.page_count < 0:
            object.__setattr__(self, "page_count", None)
        if not isinstance(self.pages, DeferredPages):
            object.__setattr__(self, "pages", tuple(self.pages))

    @classmethod
    def stored(
        cls,
        texts: Sequence[str],
        page_count: int | None,
        pages: Sequence[ComicPageInfo],
    ) -> ComicInfo:
        """A ``ComicInfo`` as a store kept it, taken as it is: ``texts`` are the values of
        ``STRING_FIELDS`` in that order, each cleaned by the constructor when it was written.
        Every list read builds dozens of these, and cleaning again dominated the cost. New
        input goes through the constructor, which keeps validating everything."""
        info = object.__new__(cls)
        for set_slot, value in zip(_SLOT_SETTERS, (*texts, page_count, pages), strict=True):
            set_slot(info, value)
        return info

    @property
    def front_cover_index(self) -> int | None:
        """The page marked ``FrontCover``, if any; the first one wins when several are marked."""
        pages = self.pages
        if isinstance(pages, DeferredPages) and pages.values is not None:
            cover = FRONT_COVER.casefold()  # ``is_front_cover`` of each page's values
            return next((v[0] for v in pages.values if v[1].casefold() == cover), None)
        return next((page.image for page in pages if page.is_front_cover), None)

    @property
    def is_empty(self) -> bool:
        """True when the file carried nothing usable (every field blank, no pages)."""
        return self == ComicInfo()


# The slots' own setters, in ``stored``'s order: a frozen dataclass refuses ``setattr``, and
# these cost half as much as ``object.__setattr__``, which looks each name up first.
_SLOT_SETTERS: tuple[Callable[[ComicInfo, Any], None], ...] = tuple(
    ComicInfo.__dict__[name].__set__ for name in (*STRING_FIELDS, "page_count", "pages")
)


_PAGE_SETTERS: tuple[Callable[[ComicPageInfo, Any], None], ...] = tuple(
    ComicPageInfo.__dict__[field.name].__set__ for field in fields(ComicPageInfo)
)


def pages_of_values(values: tuple[tuple[Any, ...], ...]) -> Sequence[ComicPageInfo]:
    """Pages given as each one's field values in ``ComicPageInfo``'s order, already as its
    constructor leaves them (stripped texts, no negative size): built only if something reads
    them, since an index stores the values as they are (``DeferredPages.values``)."""
    return DeferredPages(partial(_built_pages, values), values) if values else ()


def _built_pages(values: tuple[tuple[Any, ...], ...]) -> tuple[ComicPageInfo, ...]:
    pages = []
    for page_values in values:
        page = object.__new__(ComicPageInfo)
        for set_slot, value in zip(_PAGE_SETTERS, page_values, strict=True):
            set_slot(page, value)
        pages.append(page)
    return tuple(pages)
