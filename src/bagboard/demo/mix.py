"""What share of a synthetic library is each kind of oddity real collections have."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PLAIN", "VARIED", "Mix"]


@dataclass(frozen=True, slots=True)
class Mix:
    """What share of a library's comics, series and folders is each kind of oddity."""

    cbr: float = 0.02
    cb7: float = 0.02
    corrupt: float = 0.002
    no_comic_info: float = 0.05
    other_case_publisher: float = 0.03
    pages_in_folder: float = 0.05
    volumes: float = 0.2  # series split into two volume folders
    publisher_folder_jpg: float = 0.6
    series_folder_jpg: float = 0.25
    # At least one corrupt file from 100 comics on, whatever ``corrupt`` says.
    corrupt_floor: bool = True


# Everything a reader app meets in a real collection.
VARIED = Mix()
# Only well-formed CBZ files, each with a ComicInfo.xml, in the same shape of folders.
PLAIN = Mix(
    cbr=0.0,
    cb7=0.0,
    corrupt=0.0,
    no_comic_info=0.0,
    other_case_publisher=0.0,
    pages_in_folder=0.0,
    publisher_folder_jpg=0.0,
    series_folder_jpg=0.0,
    corrupt_floor=False,
)
