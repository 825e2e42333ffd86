"""Contract suite for ``ArchiveReader``.

Three fixture families, each parametrised over adapters; the tests never look at the kind:

* ``standard``: the same three-page comic with ComicInfo in every format, including the RAR
  fixtures from ``tests/data/cbr`` (stored, compressed and solid; the last two need RARLAB's
  unrar and fail, not skip, without it: run ``scripts/install-unrar.sh``);
* ``maker``: formats the tests can write (cbz, cb7, cbt) and the memory adapter, for arbitrary
  and hostile content;
* ``corrupt``: a damaged archive of each kind.

The end of the file holds behaviour that only one adapter has (signature sniffing, passwords,
unrar detection for the file reader; direct metadata for the memory reader).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import stat
import tarfile
import time
import tracemalloc
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import py7zr
import pytest

from bagboard.adapters.archive import FileArchiveReader, parse_comicinfo
from bagboard.adapters.memory.archive import MemoryArchiveReader
from bagboard.domain.archive import FORMAT_KEYS, ArchiveFormat, ArchiveSummary
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.errors import ArchiveUnreadable
from bagboard.ports.archive_reader import ArchiveReader
from tests.archive_factory import (
    Members,
    Stream,
    comicinfo_xml,
    jpeg,
    materialize,
    truncate,
    write_archive,
)

CBR_DATA = Path(__file__).resolve().parent.parent / "data" / "cbr"
UNRAR_MISSING = (
    "RARLAB unrar is not installed, so compressed and solid CBR cannot be read: run "
    "scripts/install-unrar.sh (it enables Debian non-free and installs `unrar`)"
)
MiB = 1024 * 1024

# What tests/data/cbr/README.md documents for every valid fixture.
STANDARD_MD5 = {
    "page01.jpg": "7846c6fd6aac81e157eb8bf3fc53e8d4",
    "page02.jpg": "ec7efc1897369c051158a415ca9979f1",
    "page03.jpg": "87b07b1b200aba13b04537a5dfbbe009",
}
STANDARD_FIELDS = {
    "Title": "Rar Test",
    "Series": "Fixture Series",
    "Number": "7",
    "Year": "1999",
    "Publisher": "Fixture Comics",
    "Writer": "Ann Author",
    "PageCount": "3",
}


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def read_everything(reader: ArchiveReader, path: str) -> None:
    for page in reader.inspect(path).pages:
        reader.read_member(path, page)


def require_unrar() -> None:
    if not FileArchiveReader().formats()["rar_compressed"]:
        pytest.fail(UNRAR_MISSING)


# --- makers: one per adapter, hiding how an archive comes to exist ---------------------------


@dataclass
class FileMaker:
    root: Path
    container: ArchiveFormat
    extension: str

    def reader(self, **caps: Any) -> ArchiveReader:
        return FileArchiveReader(**caps)

    def make(self, stem: str, members: Members, *, container: ArchiveFormat | None = None) -> str:
        path = self.root / f"{stem}{self.extension}"
        return str(write_archive(container or self.container, path, members))

    def make_named(self, name: str, members: Members, *, container: ArchiveFormat) -> str:
        return str(write_archive(container, self.root / name, members))

    def make_raw(self, name: str, data: bytes) -> str:
        path = self.root / name
        path.write_bytes(data)
        return str(path)

    def make_corrupt(self) -> str:
        pages = {f"page{i}.jpg": jpeg((i * 40, 0, 0)) for i in range(1, 6)}
        return str(truncate(Path(self.make("corrupt", pages))))

    def missing(self, name: str) -> str:
        return str(self.root / name)


@dataclass
class MemoryMaker:
    root: Path
    extension: str = ".cbz"
    _archives: dict[str, tuple[dict[str, bytes], ArchiveFormat | None]] = field(
        default_factory=dict
    )
    _unreadable: list[str] = field(default_factory=list)
    _readers: list[MemoryArchiveReader] = field(default_factory=list)

    def reader(self, **caps: Any) -> ArchiveReader:
        reader = MemoryArchiveReader(comicinfo_parser=parse_comicinfo, **caps)
        for path, (members, container) in self._archives.items():
            reader.add(path, members, format=container)
        for path in self._unreadable:
            reader.add_unreadable(path)
        self._readers.append(reader)
        return reader

    def make(self, stem: str, members: Members, *, container: ArchiveFormat | None = None) -> str:
        return self.make_named(f"{stem}{self.extension}", members, container=container)

    def make_named(
        self, name: str, members: Members, *, container: ArchiveFormat | None = None
    ) -> str:
        path = str(self.root / name)
        self._archives[path] = (materialize(members), container)
        for reader in self._readers:
            reader.add(path, self._archives[path][0], format=container)
        return path

    def make_raw(self, name: str, data: bytes) -> str:
        # Memory holds no raw files: a file that is not an archive is an unreadable entry.
        return self.make_corrupt(name)

    def make_corrupt(self, name: str = "corrupt.cbz") -> str:
        path = str(self.root / name)
        self._unreadable.append(path)
        for reader in self._readers:
            reader.add_unreadable(path)
        return path

    def missing(self, name: str) -> str:
        return str(self.root / name)


Maker = FileMaker | MemoryMaker

WRITABLE = {
    "cbz": (ArchiveFormat.ZIP, ".cbz"),
    "cb7": (ArchiveFormat.SEVEN_ZIP, ".cb7"),
    "cbt": (ArchiveFormat.TAR, ".cbt"),
}


def _maker(kind: str, root: Path) -> Maker:
    if kind == "memory":
        return MemoryMaker(root)
    container, extension = WRITABLE[kind]
    return FileMaker(root, container, extension)


@pytest.fixture(params=["cbz", "cb7", "cbt", "memory"])
def maker(request: pytest.FixtureRequest, tmp_path: Path) -> Maker:
    return _maker(request.param, tmp_path)


@dataclass(frozen=True)
class Standard:
    reader: ArchiveReader
    path: str
    format: ArchiveFormat
    md5s: Mapping[str, str]


def _standard_members() -> dict[str, bytes]:
    colors = {"page01.jpg": (255, 0, 0), "page02.jpg": (0, 255, 0), "page03.jpg": (0, 0, 255)}
    members: dict[str, bytes] = {name: jpeg(rgb, (300, 450)) for name, rgb in colors.items()}
    members["ComicInfo.xml"] = comicinfo_xml(STANDARD_FIELDS)
    return members


@pytest.fixture(params=["cbz", "cb7", "cbt", "memory", "cbr-stored", "cbr-compressed", "cbr-solid"])
def standard(request: pytest.FixtureRequest, tmp_path: Path) -> Standard:
    kind: str = request.param
    if kind.startswith("cbr-"):
        if kind != "cbr-stored":
            require_unrar()
        # Copied so that no test can alter the fixture in the repository.
        path = tmp_path / f"rar5-{kind.removeprefix('cbr-')}.cbr"
        shutil.copyfile(CBR_DATA / path.name, path)
        return Standard(FileArchiveReader(), str(path), ArchiveFormat.RAR, STANDARD_MD5)
    made = _maker(kind, tmp_path)
    members = _standard_members()
    # Pages drawn here differ from the RAR fixture's bytes: compare with what was written.
    md5s = {name: md5(data) for name, data in members.items()}
    container = WRITABLE[kind][0] if kind in WRITABLE else ArchiveFormat.ZIP
    return Standard(made.reader(), made.make("standard", members), container, md5s)


@pytest.fixture(params=["cbz", "cb7", "cbt", "cbr", "memory"])
def corrupt(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[ArchiveReader, str]:
    if request.param == "cbr":
        path = tmp_path / "corrupt-truncated.cbr"
        shutil.copyfile(CBR_DATA / path.name, path)
        return FileArchiveReader(), str(path)
    made = _maker(request.param, tmp_path)
    path_str = made.make_corrupt()
    return made.reader(), path_str


# --- the standard comic, in every format ------------------------------------------------------


def test_standard_pages_are_listed_in_reading_order(standard: Standard) -> None:
    summary = standard.reader.inspect(standard.path)
    assert summary.pages == ("page01.jpg", "page02.jpg", "page03.jpg")
    assert summary.page_count == 3
    assert summary.format is standard.format


def test_standard_pages_read_back_byte_for_byte(standard: Standard) -> None:
    for page in standard.reader.inspect(standard.path).pages:
        assert md5(standard.reader.read_member(standard.path, page)) == standard.md5s[page]


def test_standard_comicinfo_is_parsed(standard: Standard) -> None:
    info = standard.reader.inspect(standard.path).comic_info
    assert info is not None
    assert (info.title, info.series, info.number, info.year) == (
        "Rar Test",
        "Fixture Series",
        "7",
        "1999",
    )
    assert (info.publisher, info.writer, info.page_count) == ("Fixture Comics", "Ann Author", 3)
    assert info.penciller == "" and info.pages == () and info.front_cover_index is None


def test_metadata_members_can_be_read_too(standard: Standard) -> None:
    data = standard.reader.read_member(standard.path, "ComicInfo.xml")
    assert b"<Series>Fixture Series</Series>" in data


def test_absent_member_is_unreadable(standard: Standard) -> None:
    for name in ("page04.jpg", "../page01.jpg", "/page01.jpg", "", "PAGE01.JPG"):
        with pytest.raises(ArchiveUnreadable):
            standard.reader.read_member(standard.path, name)


def test_formats_reports_every_key(standard: Standard) -> None:
    formats = standard.reader.formats()
    assert set(formats) == set(FORMAT_KEYS)
    assert all(isinstance(value, bool) for value in formats.values())
    assert formats["zip"] and formats["tar"] and formats["rar"]


# --- written archives: ordering, content, metadata --------------------------------------------

JUNK_AND_PAGES: dict[str, bytes] = {
    "page10.jpg": jpeg((10, 10, 10)),
    "page2.jpg": jpeg((2, 2, 2)),
    "Page1.JPG": jpeg((1, 1, 1)),
    "extras/": b"",
    "extras/cover.PNG": b"\x89PNG fake",
    "__MACOSX/page0.jpg": b"fork",
    "__MACOSX/._page1.jpg": b"fork",
    "extras/__MACOSX/page5.jpg": b"fork",
    "._page3.jpg": b"fork",
    "extras/._page4.jpg": b"fork",
    ".hidden/page6.jpg": b"hidden",
    "extras/.page7.jpg": b"hidden",
    "Thumbs.db": b"thumbs",
    "extras/Thumbs.db": b"thumbs",
    "notes.txt": b"notes",
    "extras/page8.jpeg.txt": b"not an image",
}


def test_pages_in_natural_order_skipping_junk_at_any_depth(maker: Maker) -> None:
    path = maker.make("junk", JUNK_AND_PAGES)
    pages = maker.reader().inspect(path).pages
    # Natural order of the full path: the folder "extras" sorts before "page…".
    assert pages == ("extras/cover.PNG", "Page1.JPG", "page2.jpg", "page10.jpg")


def test_members_read_back_exactly_as_written(maker: Maker) -> None:
    members = {f"ch{c}/p{p}.webp": bytes([c, p]) * (100 * p + c) for c in (1, 2) for p in (1, 2)}
    members["empty.png"] = b""
    path = maker.make("roundtrip", members)
    reader = maker.reader()
    pages = reader.inspect(path).pages
    assert pages == ("ch1/p1.webp", "ch1/p2.webp", "ch2/p1.webp", "ch2/p2.webp", "empty.png")
    assert {page: reader.read_member(path, page) for page in pages} == members


def test_full_comicinfo_with_front_cover(maker: Maker) -> None:
    fields = {
        "Title": "Dawn",
        "Series": "Saga",
        "Number": "1",
        "Count": "54",
        "Volume": "2012",
        "Year": "2012",
        "Writer": "Brian K. Vaughan",
        "Penciller": "Fiona Staples",
        "Inker": "Fiona Staples",
        "Colorist": "Fiona Staples",
        "Letterer": "Fonografiks",
        "CoverArtist": "Fiona Staples",
        "Publisher": "Image",
        "Genre": "Science Fiction, Fantasy",
        "Characters": "Alana, Marko",
        "PageCount": "3",
        "Summary": "Two soldiers & a baby.",
        "Manga": "No",
        "LanguageISO": "en",
        "Tags": "space opera",
    }
    pages = [
        {"Image": "0", "Type": "InnerCover"},
        {"Image": "1", "Type": "FrontCover", "DoublePage": "True", "ImageWidth": "1988"},
        {"Image": "2"},
    ]
    members = {"p1.jpg": jpeg((1, 0, 0)), "ComicInfo.xml": comicinfo_xml(fields, pages)}
    info = maker.reader().inspect(maker.make("full", members)).comic_info
    assert info is not None
    assert info.title == "Dawn" and info.series == "Saga" and info.count == "54"
    assert info.volume == "2012" and info.coverartist == "Fiona Staples"
    assert info.genre == "Science Fiction, Fantasy" and info.characters == "Alana, Marko"
    assert info.letterer == "Fonografiks" and info.inker == "Fiona Staples"
    assert info.summary == "Two soldiers & a baby." and info.language_iso == "en"
    assert info.manga == "No" and info.tags == "space opera" and info.page_count == 3
    assert [page.image for page in info.pages] == [0, 1, 2]
    assert info.pages[1].double_page and info.pages[1].image_width == 1988
    assert info.front_cover_index == 1


def test_root_comicinfo_wins_over_nested_ones(maker: Maker) -> None:
    members = {
        "p1.jpg": jpeg((0, 0, 0)),
        "a/ComicInfo.xml": comicinfo_xml({"Title": "nested"}),
        "COMICINFO.XML": comicinfo_xml({"Title": "root"}),
    }
    info = maker.reader().inspect(maker.make("root", members)).comic_info
    assert info is not None and info.title == "root"


def test_shallowest_nested_comicinfo_is_found(maker: Maker) -> None:
    members = {
        "a/b/ComicInfo.xml": comicinfo_xml({"Title": "deep"}),
        "z/comicinfo.xml": comicinfo_xml({"Title": "shallow"}),
        "__MACOSX/ComicInfo.xml": comicinfo_xml({"Title": "fork"}),
        "z/p1.jpg": jpeg((0, 0, 0)),
    }
    info = maker.reader().inspect(maker.make("nested", members)).comic_info
    assert info is not None and info.title == "shallow"


def test_archive_without_images_is_not_an_error(maker: Maker) -> None:
    members = {"ComicInfo.xml": comicinfo_xml({"Series": "Text only"}), "readme.txt": b"hi"}
    summary = maker.reader().inspect(maker.make("noimages", members))
    assert summary.pages == ()
    assert summary.comic_info is not None and summary.comic_info.series == "Text only"


def test_archive_without_comicinfo_has_none(maker: Maker) -> None:
    summary = maker.reader().inspect(maker.make("bare", {"p1.jpg": jpeg((0, 0, 0))}))
    assert summary == ArchiveSummary(summary.format, ("p1.jpg",), None)


# --- hostile archives ------------------------------------------------------------------------


def test_member_inflating_past_the_cap_is_refused(maker: Maker) -> None:
    members: Members = {"bomb.jpg": Stream(2 * MiB), "fine.jpg": jpeg((5, 5, 5))}
    path = maker.make("bomb", members)
    reader = maker.reader(max_member_bytes=1 * MiB)
    assert reader.inspect(path).pages == ("bomb.jpg", "fine.jpg")
    with pytest.raises(ArchiveUnreadable):
        reader.read_member(path, "bomb.jpg")
    assert reader.read_member(path, "fine.jpg") == members["fine.jpg"]


def test_oversized_comicinfo_is_ignored_not_fatal(maker: Maker) -> None:
    big = Stream(200 * 1024, head=b"<ComicInfo><Summary>", tail=b"</Summary></ComicInfo>")
    path = maker.make("bigmeta", {"p1.jpg": jpeg((0, 0, 0)), "ComicInfo.xml": big})
    summary = maker.reader(max_comicinfo_bytes=64 * 1024).inspect(path)
    assert summary.pages == ("p1.jpg",) and summary.comic_info is None


def test_50mb_comicinfo_is_refused_without_being_read(maker: Maker) -> None:
    huge = Stream(
        50 * MiB,
        head=b"<ComicInfo><Title>Huge</Title><Summary>",
        tail=b"</Summary></ComicInfo>",
        fill=b"x",
    )
    path = maker.make("hugemeta", {"p1.jpg": jpeg((0, 0, 0)), "ComicInfo.xml": huge})
    reader = maker.reader()
    tracemalloc.start()
    try:
        summary = reader.inspect(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.comic_info is None and summary.pages == ("p1.jpg",)
    # py7zr allocates a fixed 16 MiB work buffer; the point is staying far below 50 MiB.
    assert peak < 24 * MiB


def test_traversal_names_are_never_pages_nor_written(maker: Maker, tmp_path: Path) -> None:
    hostile = ["../evil1.jpg", "../../evil2.jpg", "/tmp/evil3.jpg", "ok/../../evil4.jpg"]
    members = {name: b"evil" for name in hostile} | {"ok.jpg": jpeg((0, 0, 0))}
    work = tmp_path / "deep" / "er"
    work.mkdir(parents=True)
    path = maker.make("deep/er/traversal", members)
    reader = maker.reader()
    assert reader.inspect(path).pages == ("ok.jpg",)
    for name in hostile:
        with pytest.raises(ArchiveUnreadable):
            reader.read_member(path, name)
    assert not [p for p in tmp_path.rglob("evil*")]
    assert not Path("/tmp/evil3.jpg").exists()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ComicInfo><Title>&lol9;</Title></ComicInfo>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ComicInfo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ComicInfo><Title>&xxe;</Title></ComicInfo>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_entity_attacks_are_ignored(maker: Maker, xml: bytes) -> None:
    path = maker.make("entities", {"p1.jpg": jpeg((0, 0, 0)), "ComicInfo.xml": xml})
    started = time.monotonic()
    summary = maker.reader().inspect(path)
    assert time.monotonic() - started < 5
    assert summary.comic_info is None and summary.pages == ("p1.jpg",)


def test_misnamed_cbr_that_is_really_a_zip_reads_fine(maker: Maker) -> None:
    members = {"p1.jpg": jpeg((1, 2, 3)), "ComicInfo.xml": comicinfo_xml({"Title": "zip"})}
    path = maker.make_named("really-a-zip.cbr", members, container=ArchiveFormat.ZIP)
    reader = maker.reader()
    summary = reader.inspect(path)
    assert summary.format is ArchiveFormat.ZIP and summary.pages == ("p1.jpg",)
    assert summary.comic_info is not None and summary.comic_info.title == "zip"
    assert reader.read_member(path, "p1.jpg") == members["p1.jpg"]


def test_text_file_renamed_cbz_is_unreadable(maker: Maker) -> None:
    path = maker.make_raw("notes.cbz", b"this is not a comic, just a text file\n" * 20)
    reader = maker.reader()
    with pytest.raises(ArchiveUnreadable):
        reader.inspect(path)
    with pytest.raises(ArchiveUnreadable):
        reader.read_member(path, "p1.jpg")


def test_missing_file_is_unreadable(maker: Maker) -> None:
    reader = maker.reader()
    with pytest.raises(ArchiveUnreadable):
        reader.inspect(maker.missing("gone.cbz"))
    with pytest.raises(ArchiveUnreadable):
        reader.read_member(maker.missing("gone.cbz"), "p1.jpg")


def test_corrupt_archive_is_unreadable(corrupt: tuple[ArchiveReader, str]) -> None:
    reader, path = corrupt
    with pytest.raises(ArchiveUnreadable):
        read_everything(reader, path)


# --- FileArchiveReader only: signatures, passwords, links, unrar -----------------------------


def _copy_fixture(name: str, target: Path) -> str:
    shutil.copyfile(CBR_DATA / name, target)
    return str(target)


def test_content_wins_over_the_extension(tmp_path: Path) -> None:
    reader = FileArchiveReader()
    rar_as_cbz = _copy_fixture("rar5-stored.cbr", tmp_path / "mislabelled.cbz")
    assert reader.inspect(rar_as_cbz).format is ArchiveFormat.RAR
    seven_as_cbt = str(
        write_archive(ArchiveFormat.SEVEN_ZIP, tmp_path / "x.cbt", {"p.jpg": jpeg((0, 0, 0))})
    )
    assert reader.inspect(seven_as_cbt).format is ArchiveFormat.SEVEN_ZIP
    assert reader.read_member(seven_as_cbt, "p.jpg") == jpeg((0, 0, 0))


def test_unknown_extension_without_a_signature_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "comic.epub"
    path.write_bytes(b"PK-ish but not an archive")
    with pytest.raises(ArchiveUnreadable, match="not a comic archive"):
        FileArchiveReader().inspect(str(path))


def test_a_directory_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.cbz"
    folder.mkdir()
    with pytest.raises(ArchiveUnreadable):
        FileArchiveReader().inspect(str(folder))


def test_real_zip_bomb_is_refused_at_the_default_cap(tmp_path: Path) -> None:
    # 260 MiB of zeros deflate to about 260 KiB; the default page cap is 256 MiB.
    path = str(write_archive(ArchiveFormat.ZIP, tmp_path / "b.cbz", {"p.jpg": Stream(260 * MiB)}))
    assert Path(path).stat().st_size < 2 * MiB
    reader = FileArchiveReader()
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveUnreadable, match="larger than"):
            reader.read_member(path, "p.jpg")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB


def test_zip_member_lying_about_its_size_is_not_inflated(tmp_path: Path) -> None:
    path = write_archive(ArchiveFormat.ZIP, tmp_path / "liar.cbz", {"p.jpg": Stream(4 * MiB)})
    data = bytearray(path.read_bytes())
    # Claim 1,000 bytes in both the local header (offset 22) and the central directory (24).
    data[22:26] = (1000).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveUnreadable):
            FileArchiveReader(max_member_bytes=1 * MiB).read_member(str(path), "p.jpg")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 * MiB


def test_encrypted_zip_is_reported_as_password_protected(tmp_path: Path) -> None:
    path = write_archive(ArchiveFormat.ZIP, tmp_path / "locked.cbz", {"p.jpg": b"ciphertext"})
    # zipfile cannot encrypt, so set the "encrypted" flag bit in both headers by hand.
    data = bytearray(path.read_bytes())
    data[6] |= 0x1
    data[data.rfind(b"PK\x01\x02") + 8] |= 0x1
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveUnreadable, match="password"):
        FileArchiveReader().inspect(str(path))


def test_unsupported_zip_method_is_reported_at_inspection(tmp_path: Path) -> None:
    path = write_archive(ArchiveFormat.ZIP, tmp_path / "d64.cbz", {"p.jpg": jpeg((0, 0, 0))})
    # Method 9 is Deflate64, which zipfile cannot decode.
    data = bytearray(path.read_bytes())
    data[8] = 9
    data[data.rfind(b"PK\x01\x02") + 10] = 9
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveUnreadable, match="compression method"):
        FileArchiveReader().inspect(str(path))


@pytest.mark.parametrize("header_encryption", [False, True], ids=["data", "header"])
def test_encrypted_7z_is_unreadable(tmp_path: Path, header_encryption: bool) -> None:
    path = tmp_path / "locked.cb7"
    with py7zr.SevenZipFile(
        path, "w", password="secret", header_encryption=header_encryption
    ) as archive:
        archive.writestr(jpeg((0, 0, 0)), "p.jpg")
    with pytest.raises(ArchiveUnreadable, match="password"):
        FileArchiveReader().inspect(str(path))


def test_links_and_special_entries_are_not_pages(tmp_path: Path) -> None:
    cbz = tmp_path / "links.cbz"
    with zipfile.ZipFile(cbz, "w") as archive:
        archive.writestr("p1.jpg", jpeg((0, 0, 0)))
        link = zipfile.ZipInfo("link.jpg")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    cbt = tmp_path / "links.cbt"
    with tarfile.open(cbt, "w") as archive:
        page = jpeg((0, 0, 0))
        info = tarfile.TarInfo("p1.jpg")
        info.size = len(page)
        archive.addfile(info, io.BytesIO(page))
        for name, kind in (("sym.jpg", tarfile.SYMTYPE), ("hard.jpg", tarfile.LNKTYPE)):
            special = tarfile.TarInfo(name)
            special.type, special.linkname = kind, "/etc/passwd"
            archive.addfile(special)
    reader = FileArchiveReader()
    for path in (cbz, cbt):
        assert reader.inspect(str(path)).pages == ("p1.jpg",)
        with pytest.raises(ArchiveUnreadable):
            reader.read_member(str(path), "link.jpg" if path == cbz else "sym.jpg")


def test_unrar_is_installed_for_compressed_rar() -> None:
    assert FileArchiveReader().formats()["rar_compressed"], UNRAR_MISSING


@pytest.mark.parametrize("name", ["rar5-compressed.cbr", "rar5-solid.cbr"])
def test_compressed_rar_without_unrar_says_so(tmp_path: Path, name: str) -> None:
    reader = FileArchiveReader(has_unrar=False)
    assert reader.formats()["rar_compressed"] is False
    with pytest.raises(ArchiveUnreadable, match="unrar"):
        reader.inspect(_copy_fixture(name, tmp_path / name))
    stored = _copy_fixture("rar5-stored.cbr", tmp_path / "stored.cbr")
    assert reader.inspect(stored).page_count == 3
    assert md5(reader.read_member(stored, "page02.jpg")) == STANDARD_MD5["page02.jpg"]


def test_library_errors_never_escape(tmp_path: Path) -> None:
    reader = FileArchiveReader()
    for index, junk in enumerate(
        [b"PK\x03\x04garbage", b"Rar!\x1a\x07\x01\x00junk", b"7z\xbc\xaf\x27\x1c"]
    ):
        path = tmp_path / f"junk{index}.cbz"
        path.write_bytes(junk + bytes(600))
        with pytest.raises(ArchiveUnreadable) as caught:
            reader.inspect(str(path))
        assert caught.value.code == "archive_unreadable"


# --- MemoryArchiveReader only: metadata given directly --------------------------------------


def test_memory_metadata_can_be_given_without_xml() -> None:
    info = ComicInfo(series="Given", number="2")
    reader = MemoryArchiveReader({"/lib/a.cbz": {"p1.jpg": b"x"}})
    reader.add("/lib/b.cb7", {"p1.jpg": b"x"}, comic_info=info)
    assert reader.inspect("/lib/b.cb7") == ArchiveSummary(
        ArchiveFormat.SEVEN_ZIP, ("p1.jpg",), info
    )
    # Without a parser, ComicInfo.xml bytes are not decoded.
    reader.add("/lib/c.cbz", {"p1.jpg": b"x", "ComicInfo.xml": comicinfo_xml({"Title": "t"})})
    assert reader.inspect("/lib/c.cbz").comic_info is None


def test_memory_archives_can_be_removed_and_must_have_a_known_format() -> None:
    reader = MemoryArchiveReader({"/lib/a.cbz": {"p1.jpg": b"x"}, "/lib/b.epub": {"p1.jpg": b"x"}})
    reader.remove("/lib/a.cbz")
    with pytest.raises(ArchiveUnreadable):
        reader.inspect("/lib/a.cbz")
    with pytest.raises(ArchiveUnreadable):
        reader.inspect("/lib/b.epub")
    assert (
        MemoryArchiveReader(formats={"rar_compressed": False}).formats()["rar_compressed"] is False
    )
