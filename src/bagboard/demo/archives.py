"""The bytes of one synthetic comic: CBZ, CB7, the CBR template, or a broken download."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import py7zr
from py7zr.helpers import ArchiveTimestamp

from bagboard.demo.model import Issue

if TYPE_CHECKING:
    from py7zr.py7zr import FileInfoDict

__all__ = ["ZIP_DATE_TIME", "comic_bytes"]

# Fixed archive timestamps: zip and 7z members otherwise carry the time of the run.
ZIP_DATE_TIME = (2020, 1, 1, 0, 0, 0)
_SEVEN_ZIP_TIME = ArchiveTimestamp.from_datetime(datetime(2020, 1, 1, tzinfo=UTC).timestamp())

TEXT_NOT_A_COMIC = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    b"<body><h1>Not Found</h1><p>The requested file was not found on this server.</p></body>"
    b"</html>\n"
)


def comic_bytes(
    issue: Issue,
    tag: bytes,
    covers: tuple[bytes, ...],
    interiors: tuple[bytes, ...],
    page_size: tuple[int, int],
    template: bytes,
) -> bytes:
    if issue.kind == "cbr":
        return template
    if issue.kind == "html":
        return TEXT_NOT_A_COMIC
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


def _comic_info(issue: Issue, page_bytes: list[int], page_size: tuple[int, int]) -> bytes:
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
