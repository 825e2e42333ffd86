"""Metadata read from a comic's ComicInfo.xml (the ComicRack / Anansi schema).

Every text field is a plain string, ``""`` when the file does not say: ComicInfo values are
free text in practice (``Number`` may be ``"7.5"`` or ``"Annual 1"``, ``Year`` may be blank), so
interpreting them is left to the code that needs a specific meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from bagboard.domain.errors import InvalidInput

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
    pages: tuple[ComicPageInfo, ...] = ()

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                limit = FIELD_LIMITS.get(field.name, DEFAULT_FIELD_LIMIT)
                object.__setattr__(self, field.name, value.strip()[:limit].strip())
        if self.page_count is not None and self.page_count < 0:
            object.__setattr__(self, "page_count", None)
        object.__setattr__(self, "pages", tuple(self.pages))

    @property
    def front_cover_index(self) -> int | None:
        """The page marked ``FrontCover``, if any; the first one wins when several are marked."""
        return next((page.image for page in self.pages if page.is_front_cover), None)

    @property
    def is_empty(self) -> bool:
        """True when the file carried nothing usable (every field blank, no pages)."""
        return self == ComicInfo()
