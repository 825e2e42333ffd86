"""Deterministic generator of a synthetic comic library, for benchmarks and ``bagboard demo``.

``make_library(root, comics, seed=...)`` writes publisher folders, series folders (a fifth of them
split into ``v1971``-style volume folders) and issue files named like
``Series Name 001 (1999).cbz``. The same seed and arguments give the same tree, bytes and
modification times, so benchmark runs compare like with like, and a re-run skips the files that
already exist and so finishes a partial library.

Mostly CBZ (stored JPEG pages and a ComicInfo.xml), plus about 2% CB7, 2% CBR, 0.2% corrupt files
and the oddities real libraries have: non-ASCII and ``#``/``&`` series names, comics without
ComicInfo, publishers spelled in another case, pages in a sub-folder, ``folder.jpg`` images.

RAR cannot be written with free tools, so every CBR is a byte copy of
``demo/data/template-stored.cbr`` (three stored pages); its ComicInfo says Series "Fixture Series"
whatever its file name says.

Page images are rendered once per run into a small pool and reused, so the run is I/O-bound; each
copy gets a JPEG comment naming its comic, which keeps page bytes unique without re-encoding.
"""

from __future__ import annotations

import io
import math
import os
import random
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import py7zr
from PIL import Image, ImageDraw
from py7zr.helpers import ArchiveTimestamp

if TYPE_CHECKING:
    from py7zr.py7zr import FileInfoDict

__all__ = ["PLAIN", "VARIED", "LibrarySummary", "Mix", "make_library"]


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

WRITER_THREADS = 4
COVER_POOL = 12
PAGE_POOL = 24
# Fixed archive timestamps: zip and 7z members otherwise carry the time of the run.
ZIP_DATE_TIME = (2020, 1, 1, 0, 0, 0)
_SEVEN_ZIP_TIME = ArchiveTimestamp.from_datetime(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
# File times fall in this window (and never before the issue's cover date), so "added" dates in an
# index spread over years as they do in a library collected over time.
LIBRARY_START = int(datetime(2012, 1, 1, tzinfo=UTC).timestamp())
LIBRARY_END = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
LAST_YEAR = 2024
_DAY = 86_400

_TEXT_NOT_A_COMIC = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    b"<body><h1>Not Found</h1><p>The requested file was not found on this server.</p></body>"
    b"</html>\n"
)
# Corrupt files cycle through what broken downloads look like.
_CORRUPT_KINDS = ("truncated", "html", "empty")


@dataclass(frozen=True, slots=True)
class LibrarySummary:
    """What ``make_library`` planned and wrote.

    ``comics`` counts every planned file: ``cbz``, ``cbr`` and ``cb7`` are the readable ones and
    ``corrupt`` the broken ones (all named ``.cbz``, listed in ``corrupt_paths``). ``bytes`` is the
    size of all comic files, including those ``skipped`` because a previous run wrote them.
    """

    root: Path
    comics: int
    cbz: int
    cbr: int
    cb7: int
    corrupt: int
    without_comic_info: int
    publishers: int
    series: int
    volume_folders: int
    folder_images: int
    written: int
    skipped: int
    bytes: int
    elapsed: float
    corrupt_paths: tuple[Path, ...]

    @property
    def comics_per_second(self) -> float:
        return self.comics / self.elapsed if self.elapsed > 0 else 0.0

    def describe(self) -> str:
        return (
            f"{self.comics} comics ({self.cbz} cbz, {self.cbr} cbr, {self.cb7} cb7, "
            f"{self.corrupt} corrupt; {self.written} written, {self.skipped} already there) "
            f"in {self.publishers} publishers / {self.series} series, "
            f"{self.bytes / 1e6:.1f} MB, {self.elapsed:.1f} s, "
            f"{self.comics_per_second:.0f} comics/s"
        )


@dataclass(frozen=True, slots=True)
class _Series:
    name: str
    writer: str
    penciller: str
    genre: str
    characters: str
    language: str


@dataclass(frozen=True, slots=True)
class _Issue:
    path: str
    kind: str
    series: _Series
    publisher: str
    number: int
    count: int
    volume: int
    year: int
    month: int
    title: str
    summary: str
    comic_info: bool
    page_folder: str
    cover: int
    pages: tuple[int, ...]
    mtime: int


@dataclass(frozen=True, slots=True)
class _FolderImage:
    path: str
    image: int
    mtime: int


@dataclass(slots=True)
class _Plan:
    issues: list[_Issue]
    folder_images: list[_FolderImage]
    publishers: int
    series: int
    volume_folders: int


def make_library(
    root: Path,
    comics: int,
    *,
    seed: int = 1,
    pages: int = 4,
    page_size: tuple[int, int] = (800, 1200),
    quality: int = 80,
    progress: Callable[[int, int], None] | None = None,
    mix: Mix = VARIED,
) -> LibrarySummary:
    """Write ``comics`` comics under ``root`` and return what was written.

    Files already present are kept (a re-run with the same arguments completes a partial run);
    new files are written under a temporary name and renamed, so none is ever half-written.
    """
    if comics < 0 or pages < 1 or min(page_size) < 8 or not 1 <= quality <= 100:
        raise ValueError("need comics >= 0, pages >= 1, page sides >= 8 px and quality 1-100")
    started = time.perf_counter()
    plan = _plan(comics, seed, pages, mix)
    wanted = [issue.path for issue in plan.issues] + [image.path for image in plan.folder_images]
    # A finished library needs no page images: skip the second or so that rendering them takes.
    done_already = all((root / path).exists() for path in wanted)
    covers, interiors, folder_jpgs = (
        ((), (), ()) if done_already else _image_pool(seed, page_size, quality)
    )
    template = resources.files("bagboard").joinpath("demo/data/template-stored.cbr").read_bytes()
    made: set[Path] = set()

    def write(issue: _Issue) -> tuple[bool, int]:
        path = root / issue.path
        if path.exists():
            return False, path.stat().st_size
        tag = f"bagboard-demo seed={seed} {issue.path}".encode()
        data = _comic_bytes(issue, tag, covers, interiors, page_size, template)
        _write_atomically(path, data, issue.mtime, made)
        return True, len(data)

    for image in plan.folder_images:
        if not (root / image.path).exists():
            _write_atomically(root / image.path, folder_jpgs[image.image], image.mtime, made)
    written = total_bytes = 0
    # Threads overlap file-system latency (creating a file costs more than building its bytes);
    # every file's bytes depend on the plan alone, so the order of completion does not matter.
    with ThreadPoolExecutor(max_workers=WRITER_THREADS) as pool:
        for done, (new, size) in enumerate(pool.map(write, plan.issues), start=1):
            written += new
            total_bytes += size
            if progress is not None:
                progress(done, comics)
    kinds = [issue.kind for issue in plan.issues]
    return LibrarySummary(
        root=root,
        comics=comics,
        cbz=kinds.count("cbz"),
        cbr=kinds.count("cbr"),
        cb7=kinds.count("cb7"),
        corrupt=sum(kind in _CORRUPT_KINDS for kind in kinds),
        without_comic_info=sum(not issue.comic_info for issue in plan.issues),
        publishers=plan.publishers,
        series=plan.series,
        volume_folders=plan.volume_folders,
        folder_images=len(plan.folder_images),
        written=written,
        skipped=comics - written,
        bytes=total_bytes,
        elapsed=time.perf_counter() - started,
        corrupt_paths=tuple(root / i.path for i in plan.issues if i.kind in _CORRUPT_KINDS),
    )


# --- planning: every random choice is made here, before anything is written --------------------


def _plan(comics: int, seed: int, pages: int, mix: Mix) -> _Plan:
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
    publishers = _publishers(rng, publisher_count)
    # A few big publishers and a long tail, each with at least one series.
    weights = [1 / (rank + 1) for rank in range(publisher_count)]
    owners = list(range(publisher_count)) + rng.choices(
        range(publisher_count), weights, k=max(0, len(lengths) - publisher_count)
    )
    rng.shuffle(owners)
    eligible = [index for index, length in enumerate(lengths) if length >= 2]
    split = set(rng.sample(eligible, min(len(eligible), math.ceil(len(eligible) * mix.volumes))))

    issues: list[_Issue] = []
    images: list[_FolderImage] = []
    taken: dict[int, set[str]] = {}
    for publisher in publishers:
        if rng.random() < mix.publisher_folder_jpg:
            images.append(_FolderImage(f"{publisher}/folder.jpg", rng.randrange(COVER_POOL), 0))
    for index, length in enumerate(lengths):
        owner = owners[index]
        series = _new_series(rng, index, taken.setdefault(owner, set()))
        folder = f"{publishers[owner]}/{series.name}"
        if rng.random() < mix.series_folder_jpg:
            images.append(_FolderImage(f"{folder}/folder.jpg", rng.randrange(COVER_POOL), 0))
        issues += _series_issues(rng, series, publishers[owner], folder, length, index in split)
    images = [
        _FolderImage(image.path, image.image, rng.randrange(LIBRARY_START, LIBRARY_END))
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
    return _Plan(finished, images, publisher_count, len(lengths), 2 * len(split))


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
    rng: random.Random, series: _Series, publisher: str, folder: str, length: int, split: bool
) -> list[_Issue]:
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
            low = low if low < LIBRARY_END - _DAY else LIBRARY_END - 30 * _DAY
            issues.append(
                _Issue(
                    path=f"{where}/{series.name} {number:03d} ({year})",
                    kind="cbz",
                    series=series,
                    publisher=publisher,
                    number=number,
                    count=run,
                    volume=volume,
                    year=year,
                    month=month,
                    title=_title(rng),
                    summary=_summary(rng, series.characters),
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
    kinds = [_CORRUPT_KINDS[i % len(_CORRUPT_KINDS)] for i in range(corrupt)]
    kinds += ["cbr"] * cbr + ["cb7"] * cb7
    return dict(zip(chosen, kinds, strict=False))


# --- bytes ---------------------------------------------------------------------------------------


def _comic_bytes(
    issue: _Issue,
    tag: bytes,
    covers: tuple[bytes, ...],
    interiors: tuple[bytes, ...],
    page_size: tuple[int, int],
    template: bytes,
) -> bytes:
    if issue.kind == "cbr":
        return template
    if issue.kind == "html":
        return _TEXT_NOT_A_COMIC
    if issue.kind == "empty":
        return b""
    pool = [covers[issue.cover]] + [interiors[page] for page in issue.pages]
    images = [_tag_jpeg(data, b"%s page %d" % (tag, n)) for n, data in enumerate(pool, 1)]
    members = [(f"{issue.page_folder}page{n:03d}.jpg", data) for n, data in enumerate(images, 1)]
    if issue.comic_info:
        info = _comic_info(issue, [len(data) for data in images], page_size)
        members.append(("ComicInfo.xml", info))
    if issue.kind == "cb7":
        return _seven_zip(members)
    data = _zip(members)
    # Cut mid-way the central directory is gone, as in an interrupted download.
    return data[: len(data) // 2] if issue.kind == "truncated" else data


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_DATE_TIME)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            # JPEGs are stored, as comic tools do: deflating them costs time and saves nothing.
            jpeg = name.endswith(".jpg")
            info.compress_type = zipfile.ZIP_STORED if jpeg else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


class _FixedTimeSevenZip(py7zr.SevenZipFile):
    # py7zr stamps in-memory members with the current time; pin it so output is reproducible.
    @staticmethod
    def _make_file_info_from_name(bio: IO[Any], size: int, arcname: str) -> FileInfoDict:
        info = py7zr.SevenZipFile._make_file_info_from_name(bio, size, arcname)
        info["creationtime"] = info["lastwritetime"] = info["lastaccesstime"] = _SEVEN_ZIP_TIME
        return info


def _seven_zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    # Copy (7-Zip's -mx0): JPEGs do not shrink, and LZMA would make these 2% dominate the run.
    with _FixedTimeSevenZip(buffer, "w", filters=[{"id": py7zr.FILTER_COPY}]) as archive:
        # A plain header (7-Zip's -mhc=off): compressing it costs 20 ms of LZMA set-up per file.
        archive.set_encoded_header_mode(False)
        for name, data in members:
            archive.writestr(data, name)
    return buffer.getvalue()


def _comic_info(issue: _Issue, page_bytes: list[int], page_size: tuple[int, int]) -> bytes:
    series = issue.series
    fields = (
        ("Title", issue.title),
        ("Series", series.name),
        ("Number", str(issue.number)),
        ("Count", str(issue.count)),
        ("Volume", str(issue.volume)),
        ("Summary", issue.summary),
        ("Year", str(issue.year)),
        ("Month", str(issue.month)),
        ("Writer", series.writer),
        ("Penciller", series.penciller),
        ("Publisher", issue.publisher),
        ("Genre", series.genre),
        ("PageCount", str(len(page_bytes))),
        ("LanguageISO", series.language),
        ("Characters", series.characters),
    )
    width, height = page_size
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    lines += [f"  <{name}>{escape(value)}</{name}>" for name, value in fields]
    lines.append("  <Pages>")
    for image, size in enumerate(page_bytes):
        kind = ' Type="FrontCover"' if image == 0 else ""
        lines.append(
            f'    <Page Image="{image}"{kind} ImageSize="{size}"'
            f' ImageWidth="{width}" ImageHeight="{height}" />'
        )
    lines += ["  </Pages>", "</ComicInfo>", ""]
    return "\n".join(lines).encode()


def _tag_jpeg(data: bytes, tag: bytes) -> bytes:
    # A COM segment after the JFIF header makes each copy's bytes unique at no encoding cost, so
    # caches keyed on content see as many distinct pages as a real library has.
    end = 4 + int.from_bytes(data[4:6], "big") if data[2:4] == b"\xff\xe0" else 2
    return b"".join((data[:end], b"\xff\xfe", (len(tag) + 2).to_bytes(2, "big"), tag, data[end:]))


def _write_atomically(path: Path, data: bytes, mtime: int, made: set[Path]) -> None:
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(data)
    os.utime(partial, (mtime, mtime))
    partial.replace(path)


# --- images --------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _image_pool(
    seed: int, size: tuple[int, int], quality: int
) -> tuple[tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...]]:
    thumb = (max(8, size[0] // 2), max(8, size[1] // 2))

    def render(index: int) -> tuple[bytes, bytes]:
        # One generator per image, so rendering in parallel stays reproducible.
        rng = random.Random(f"image/{seed}/{index}")  # noqa: S311 - reproducible test data
        image = _render(rng, size, cover=index < COVER_POOL)
        folder = image.resize(thumb, Image.Resampling.BILINEAR) if index < COVER_POOL else None
        return _jpeg(image, quality), b"" if folder is None else _jpeg(folder, quality)

    # Pillow releases the GIL while resizing and encoding, so threads can use a second core.
    with ThreadPoolExecutor() as pool:
        images = list(pool.map(render, range(COVER_POOL + PAGE_POOL)))
    pages = tuple(page for page, _ in images)
    folder_jpgs = tuple(folder for _, folder in images[:COVER_POOL])
    return pages[:COVER_POOL], pages[COVER_POOL:], folder_jpgs


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def _render(rng: random.Random, size: tuple[int, int], *, cover: bool) -> Image.Image:
    width, height = size
    strip = Image.new("RGB", (1, 2))
    strip.putpixel((0, 0), _colour(rng))
    strip.putpixel((0, 1), _colour(rng))
    image = strip.resize(size, Image.Resampling.BILINEAR)
    # Coarse noise, blown up, gives the soft texture of colouring; fine noise would triple the size.
    grid = (max(2, width // 100), max(2, height // 100))
    noise = Image.frombytes("RGB", grid, rng.randbytes(grid[0] * grid[1] * 3))
    # Covers are busier than story pages, so they weigh more, as in real comics.
    image = Image.blend(image, noise.resize(size, Image.Resampling.BICUBIC), 0.2 if cover else 0.1)
    draw = ImageDraw.Draw(image)
    if cover:
        draw.rectangle((0, 0, width, height // 6), fill=_colour(rng))
        boxes = [(0, height // 6, width, height)]
        shapes = (6, 12)
    else:
        boxes = _panels(rng, width, height)
        shapes = (0, 2)
    line = max(1, width // 160)
    for x0, y0, x1, y1 in boxes:
        if not cover:
            draw.rectangle((x0, y0, x1, y1), outline=(20, 20, 20), width=line)
        for _ in range(rng.randint(*shapes)):
            left, top = rng.randint(x0, x1), rng.randint(y0, y1)
            right, bottom = rng.randint(left, x1), rng.randint(top, y1)
            if rng.random() < 0.5:
                draw.ellipse((left, top, right, bottom), fill=_colour(rng))
            else:
                apex = ((left + right) // 2, top)
                draw.polygon([(left, bottom), apex, (right, bottom)], fill=_colour(rng))
    return image


def _panels(rng: random.Random, width: int, height: int) -> list[tuple[int, int, int, int]]:
    margin = max(2, width // 40)
    rows = rng.randint(2, 3)
    boxes = []
    for row in range(rows):
        top, bottom = (
            margin + row * (height - margin) // rows,
            (row + 1) * (height - margin) // rows,
        )
        columns = rng.randint(1, 2)
        for column in range(columns):
            left = margin + column * (width - margin) // columns
            right = (column + 1) * (width - margin) // columns
            boxes.append((left, top, right, bottom))
    return boxes


# --- names ---------------------------------------------------------------------------------------

_PUBLISHERS = (
    "Northwind Comics", "Lantern Press", "Red Kite Studios", "Éditions du Phare",
    "Ironclad Publishing", "Blue Heron Books", "Paper Moon Comics", "Kitsune Shuppan",
    "Atlas Forge", "Stormfront Comics", "Gilded Age Press", "Hollow Oak", "Meridian Comics",
    "Bright Harbor", "Cobalt Ink", "Thunder Road Comics", "Marble Arch Press", "Quiet Fox Studios",
    "Skyline Comics", "Greywater Press", "Nova Comics", "Seventh Wave", "Wild Card Comics",
)  # fmt: skip
# Oddities every library meets sooner or later: accents, macrons, CJK, an apostrophe, # and &.
_ODD_SERIES = (
    ("Astérix le Gaulois", "fr"),
    ("Ōkami", "ja"),
    ("Ash & Ember - Case #9", "en"),
    ("東京ナイト", "ja"),
    ("L'Épée d'Ébène", "fr"),
)
_ADJECTIVES = (
    "Crimson", "Iron", "Midnight", "Silver", "Savage", "Hidden", "Electric", "Broken", "Golden",
    "Wandering", "Atomic", "Shadow", "Frozen", "Burning", "Lost", "Last", "Wild", "Cosmic",
    "Hollow", "Scarlet", "Quiet", "Rogue", "Ancient", "Neon", "Black", "Emerald", "Steel", "Velvet",
)  # fmt: skip
_NOUNS = (
    "Harbor", "Circus", "Rangers", "Knight", "Tide", "Empire", "Witch", "Signal", "Frontier",
    "Legion", "Garden", "Detective", "Comet", "Wolves", "Orchard", "Engine", "Kingdom", "Saints",
    "Archive", "Horizon", "Sentinel", "Lighthouse", "Patrol", "Dynasty", "Mariner", "Specter",
)  # fmt: skip
_TAILS = ("", "", "", " Chronicles", " Tales", " Squad", " Adventures", " Inc.", " Quarterly")
_FIRST = (
    "Ann", "Marco", "Yuki", "Sam", "Priya", "Tomás", "Lena", "Jules", "Hana", "Oskar", "Mei",
    "Rafael", "Ines", "Kwame", "Zoë", "Dmitri", "Nora", "Ade", "Chloé", "Ivo", "Sofia", "Theo",
)  # fmt: skip
_LAST = (
    "Okafor", "Lindqvist", "Moreau", "Tanaka", "Reyes", "Novak", "Brennan", "Castillo",
    "Haddad", "Kowalski", "Ishikawa", "Duarte", "Fischer", "Nakamura", "O'Neill", "Varga", "Sato",
)  # fmt: skip
_HEROES = (
    "Captain Vega", "The Warden", "Nightjar", "Iris Kane", "Doctor Halcyon", "Moth", "Red Rook",
    "Juno Park", "The Tinker", "Lady Cinder", "Brick", "Professor Gale", "Kestrel", "Orla Fenn",
    "Mister Null", "Tess Marlowe", "Ghostlight", "Bruno the Bear", "Salt", "Agent Nine",
)  # fmt: skip
_GENRES = (
    "Superhero", "Science Fiction", "Fantasy", "Horror", "Crime", "Comedy", "Adventure", "Drama",
    "Western", "Romance", "Mystery", "Slice of Life", "War", "Noir",
)  # fmt: skip
_PLOTS = (  # (one hero, several)
    ("races against time to stop", "race against time to stop"),
    ("uncovers the truth behind", "uncover the truth behind"),
    ("must survive", "must survive"),
    ("goes undercover inside", "go undercover inside"),
    ("is hunted by", "are hunted by"),
    ("makes a deal with", "make a deal with"),
)
_THREATS = (
    "the Clockwork Syndicate", "a storm that never ends", "the sunken city", "an old friend",
    "the Hollow King", "a stolen map", "the last train north", "a city without shadows",
)  # fmt: skip
_TITLE_WORDS = (
    "Fire", "Glass", "Ghosts", "Rain", "Teeth", "Silence", "Keys", "Bones", "Wires", "Thunder",
    "Dust", "Mirrors", "Ashes", "Echoes", "Knives", "Stars", "Ice", "Lies", "Wolves", "Salt",
)  # fmt: skip


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _publishers(rng: random.Random, count: int) -> list[str]:
    chosen = rng.sample(_PUBLISHERS, min(count, len(_PUBLISHERS)))
    return chosen + [f"Small Press {n}" for n in range(1, count - len(chosen) + 1)]


def _new_series(rng: random.Random, index: int, taken: set[str]) -> _Series:
    # The oddities come early, so even a small demo library shows them.
    if 1 <= index <= len(_ODD_SERIES):
        name, language = _ODD_SERIES[index - 1]
    else:
        language = "en"
        name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}{rng.choice(_TAILS)}"
        if rng.random() < 0.15:
            name = f"The {name}"
    base, suffix = name, 1
    while name in taken:
        suffix += 1
        name = f"{base} {suffix}"
    taken.add(name)
    cast = rng.sample(_HEROES, rng.randint(1, 4))
    genres = rng.sample(_GENRES, rng.randint(1, 2))
    return _Series(name, _person(rng), _person(rng), ", ".join(genres), ", ".join(cast), language)


def _title(rng: random.Random) -> str:
    first, second = rng.sample(_TITLE_WORDS, 2)
    return rng.choice((f"{first} and {second}", f"A Night of {first}", f"The {first} Job", first))


def _summary(rng: random.Random, characters: str) -> str:
    cast = characters.split(", ")[:2]
    one, several = rng.choice(_PLOTS)
    verb = one if len(cast) == 1 else several
    return f"{' and '.join(cast)} {verb} {rng.choice(_THREATS)}."
