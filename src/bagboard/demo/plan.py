"""Planning a synthetic library: every random choice is made here, before anything is written."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime

from bagboard.demo.mix import Mix
from bagboard.demo.model import (
    CORRUPT_KINDS,
    COVER_POOL,
    DAY,
    LAST_YEAR,
    LIBRARY_END,
    LIBRARY_START,
    PAGE_POOL,
    FolderImage,
    Issue,
    Plan,
    Series,
)
from bagboard.demo.names import issue_summary, issue_title, new_series, publisher_names

__all__ = ["plan_library"]


def plan_library(comics: int, seed: int, pages: int, mix: Mix) -> Plan:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    # Small libraries get shorter series, so even 60 comics span several series and volumes.
    cap = max(1, comics // 8)
    lengths: list[int] = []
    planned = 0
    while planned < comics:
        lengths.append(min(_series_length(rng), cap, comics - planned))
        planned += lengths[-1]
    # About 10 publishers for 20,000 comics, growing with the square root of the library.
    publisher_count = max(1, min(len(lengths), math.ceil(math.sqrt(comics / 200))))
    publishers = publisher_names(rng, publisher_count)
    # A few big publishers and a long tail, each with at least one series.
    weights = [1 / (rank + 1) for rank in range(publisher_count)]
    owners = list(range(publisher_count)) + rng.choices(
        range(publisher_count), weights, k=max(0, len(lengths) - publisher_count)
    )
    rng.shuffle(owners)
    eligible = [index for index, length in enumerate(lengths) if length >= 2]
    split = set(rng.sample(eligible, min(len(eligible), math.ceil(len(eligible) * mix.volumes))))

    issues: list[Issue] = []
    images: list[FolderImage] = []
    taken: dict[int, set[str]] = {}
    for publisher in publishers:
        if rng.random() < mix.publisher_folder_jpg:
            images.append(FolderImage(f"{publisher}/folder.jpg", rng.randrange(COVER_POOL), 0))
    for index, length in enumerate(lengths):
        owner = owners[index]
        series = new_series(rng, index, taken.setdefault(owner, set()))
        folder = f"{publishers[owner]}/{series.name}"
        if rng.random() < mix.series_folder_jpg:
            images.append(FolderImage(f"{folder}/folder.jpg", rng.randrange(COVER_POOL), 0))
        issues += _series_issues(rng, series, publishers[owner], folder, length, index in split)
    images = [
        FolderImage(image.path, image.image, rng.randrange(LIBRARY_START, LIBRARY_END))
        for image in images
    ]

    kinds = _assign_kinds(rng, len(issues), mix)
    without_info = set(rng.sample(range(len(issues)), round(len(issues) * mix.no_comic_info)))
    finished = []
    for position, issue in enumerate(issues):
        kind = kinds.get(position, "cbz")
        extension = "cb7" if kind == "cb7" else "cbr" if kind == "cbr" else "cbz"
        publisher = issue.publisher
        if rng.random() < mix.other_case_publisher:
            publisher = publisher.lower() if rng.random() < 0.8 else publisher.upper()
        page_folder = ""
        if kind == "cbz" and rng.random() < mix.pages_in_folder:
            page_folder = f"{issue.series.name} {issue.number:03d}/"
        interiors = (
            rng.sample(range(PAGE_POOL), pages - 1)
            if pages <= PAGE_POOL
            else rng.choices(range(PAGE_POOL), k=pages - 1)
        )
        finished.append(
            replace(
                issue,
                path=f"{issue.path}.{extension}",
                kind=kind,
                publisher=publisher,
                comic_info=position not in without_info,
                page_folder=page_folder,
                cover=rng.randrange(COVER_POOL),
                pages=tuple(interiors),
            )
        )
    return Plan(finished, images, publisher_count, len(lengths), 2 * len(split))


def _series_length(rng: random.Random) -> int:
    # Mostly minis and short runs, a few long-running titles, as in real collections.
    roll = rng.random()
    if roll < 0.4:
        return rng.randint(1, 6)
    if roll < 0.8:
        return rng.randint(6, 30)
    if roll < 0.95:
        return rng.randint(30, 100)
    return rng.randint(100, 300)


def _series_issues(
    rng: random.Random, series: Series, publisher: str, folder: str, length: int, split: bool
) -> list[Issue]:
    runs = [length] if not split else [rng.randint(1, length - 1)]
    if split:
        runs.append(length - runs[0])
    gap_years = rng.randint(1, 12) if split else 0
    span_years = sum(runs) // 12 + gap_years + 1
    year = rng.randint(1960, max(1960, LAST_YEAR - span_years))
    month = rng.randint(1, 12)
    issues = []
    for run in runs:
        volume = year
        where = f"{folder}/v{volume}" if split else folder
        for number in range(1, run + 1):
            released = int(datetime(year, month, 15, tzinfo=UTC).timestamp())
            low = max(released, LIBRARY_START)
            low = low if low < LIBRARY_END - DAY else LIBRARY_END - 30 * DAY
            issues.append(
                Issue(
                    path=f"{where}/{series.name} {number:03d} ({year})",
                    kind="cbz",
                    series=series,
                    publisher=publisher,
                    number=number,
                    count=run,
                    volume=volume,
                    year=year,
                    month=month,
                    title=issue_title(rng),
                    summary=issue_summary(rng, series.characters),
                    comic_info=True,
                    page_folder="",
                    cover=0,
                    pages=(),
                    mtime=rng.randrange(low, LIBRARY_END),
                )
            )
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        year += gap_years
    return issues


def _assign_kinds(rng: random.Random, total: int, mix: Mix) -> dict[int, str]:
    # Exact counts rather than a coin per comic, so every small library has each format.
    floor = 1 if mix.corrupt_floor and total >= 100 else 0
    corrupt = max(floor, round(total * mix.corrupt))
    cbr, cb7 = round(total * mix.cbr), round(total * mix.cb7)
    chosen = rng.sample(range(total), min(total, corrupt + cbr + cb7))
    kinds = [CORRUPT_KINDS[i % len(CORRUPT_KINDS)] for i in range(corrupt)]
    kinds += ["cbr"] * cbr + ["cb7"] * cb7
    return dict(zip(chosen, kinds, strict=False))
