"""Writers of real comic archives for tests: CBZ (zipfile), CB7 (py7zr), CBT (tarfile).

Member names are written exactly as given, including hostile ones (``../evil.jpg``), so the
readers can be tested against them. A name ending in ``/`` is a directory entry. Members too
large to build in memory are ``Stream`` payloads, written chunk by chunk.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import py7zr
from PIL import Image

from bagboard.domain.archive import ArchiveFormat

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Stream:
    """``head``, then ``size`` bytes of ``fill``, then ``tail``: a big member, never in memory."""

    size: int
    head: bytes = b""
    tail: bytes = b""
    fill: bytes = b"\0"

    @property
    def length(self) -> int:
        return len(self.head) + self.size + len(self.tail)

    def chunks(self) -> Iterator[bytes]:
        yield self.head
        block = (self.fill * (CHUNK // len(self.fill) + 1))[:CHUNK]
        remaining = self.size
        while remaining > 0:
            yield block[: min(CHUNK, remaining)]
            remaining -= CHUNK
        yield self.tail

    def materialize(self) -> bytes:
        return b"".join(self.chunks())


Payload = bytes | Stream
Members = Mapping[str, Payload]


class _StreamReader(io.RawIOBase):
    """A readable file object over a ``Stream``, for tarfile's ``addfile``."""

    def __init__(self, stream: Stream) -> None:
        self._chunks = stream.chunks()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def jpeg(color: tuple[int, int, int], size: tuple[int, int] = (60, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def comicinfo_xml(fields: Mapping[str, str], pages: Sequence[Mapping[str, str]] = ()) -> bytes:
    """A ComicInfo.xml as ComicRack writes it: fields in the order given, then ``<Pages>``."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    lines += [f"  <{tag}>{escape(value)}</{tag}>" for tag, value in fields.items()]
    if pages:
        lines.append("  <Pages>")
        for page in pages:
            attributes = " ".join(f"{name}={quoteattr(value)}" for name, value in page.items())
            lines.append(f"    <Page {attributes} />")
        lines.append("  </Pages>")
    lines.append("</ComicInfo>")
    return "\n".join(lines).encode("utf-8")


def materialize(members: Members) -> dict[str, bytes]:
    return {
        name: data.materialize() if isinstance(data, Stream) else data
        for name, data in members.items()
    }


def write_cbz(path: Path, members: Members, *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            if isinstance(data, Stream):
                with archive.open(info, "w", force_zip64=True) as member:
                    for chunk in data.chunks():
                        member.write(chunk)
            else:
                archive.writestr(info, data)
    return path


def write_cbt(path: Path, members: Members) -> Path:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if name.endswith("/"):
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            elif isinstance(data, Stream):
                info.size = data.length
                archive.addfile(info, io.BufferedReader(_StreamReader(data), CHUNK))
            else:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return path


def write_cb7(path: Path, members: Members, *, password: str | None = None) -> Path:
    with (
        tempfile.TemporaryDirectory() as scratch,
        py7zr.SevenZipFile(path, "w", password=password) as archive,
    ):
        for index, (name, data) in enumerate(members.items()):
            if name.endswith("/"):
                folder = Path(scratch, f"dir{index}")
                folder.mkdir()
                archive.write(folder, name.rstrip("/"))
            elif isinstance(data, Stream):
                # py7zr compresses from a file it can seek, so big members go through disk.
                source = Path(scratch, f"member{index}")
                with source.open("wb") as out:
                    for chunk in data.chunks():
                        out.write(chunk)
                archive.write(source, name)
            else:
                # The private writer skips py7zr's own name check, to allow hostile names.
                archive._writestr(data, name)
    return path


WRITERS = {
    ArchiveFormat.ZIP: write_cbz,
    ArchiveFormat.SEVEN_ZIP: write_cb7,
    ArchiveFormat.TAR: write_cbt,
}


def write_archive(container: ArchiveFormat, path: Path, members: Members) -> Path:
    return WRITERS[container](path, members)


def truncate(path: Path, fraction: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path
