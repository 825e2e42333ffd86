"""A third library of comics with genres, tags, languages and creators, added to a scanned
browse world: what the Komga book filters and referential lists read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bagboard.domain.model import Library
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import World

__all__ = ["TAGGED", "THIS_YEAR", "add_tagged_library"]

THIS_YEAR = str(datetime.now(UTC).year)
TAGGED: dict[str, dict[str, str]] = {
    "Grim/Night Tales/Night Tales 01.cbz": {
        "Publisher": "Grim", "Series": "Night Tales", "Number": "1", "Year": "2019",
        "Title": "Dusk", "Genre": "Horror, Drama", "Tags": "Vampires", "LanguageISO": "en",
        "Writer": "Ann Writer", "Penciller": "Pat Pencil",
    },
    "Grim/Night Tales/Night Tales 02.cbz": {
        "Publisher": "Grim", "Series": "Night Tales", "Number": "2", "Year": THIS_YEAR,
        "Title": "Midnight", "Genre": "Horror", "Tags": "vampires, Cats", "LanguageISO": "en",
        "Writer": "Ann Writer", "CoverArtist": "Cee Cover",
    },
    "Grim/Night Tales/Night Tales 03.cbz": {
        "Publisher": "Grim", "Series": "Night Tales", "Number": "3", "Year": "2020",
        "Title": "Dawn", "Genre": "Horror", "LanguageISO": "en", "Writer": "Bob Writer",
    },
    "Grim/Contes/Contes 01.cbz": {
        "Publisher": "Grim", "Series": "Contes", "Number": "1", "Year": "2018",
        "Genre": "Comedy", "Tags": "Cats", "LanguageISO": "fr", "Colorist": "Col Or",
        "Inker": "Ink Er", "Letterer": "Let Er",
    },
}  # fmt: skip


def add_tagged_library(world: World, tmp: pytest.TempPathFactory) -> Library:
    """Writes ``TAGGED`` (first pages 600x900), adds it as library C (the kid cannot see it)
    and scans it."""
    root = (tmp.mktemp("komga-c") / "comics-c").resolve()
    for path, info in TAGGED.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(
            target,
            {
                "p001.jpg": jpeg((10, 200, 10), (600, 900)),
                "p002.jpg": jpeg((10, 10, 200)),
                "ComicInfo.xml": comicinfo_xml(info),
            },
        )
    library = world.app.libraries.add(str(root), "C")
    world.app.scanner().scan(library)
    return library
