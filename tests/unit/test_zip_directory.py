"""A zip's directory read directly answers as ``zipfile`` does, or leaves the zip to it."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bagboard.adapters.archive import cbz
from bagboard.adapters.archive.cbz import ZipSource
from bagboard.adapters.archive.zip_directory import DIRECTORY_TAIL, read_directory

_NAMES = ["p1.jpg", "p2.png", "ComicInfo.xml", "sub/", "sub/p3.jpg", "é.jpg", "link.jpg", "p1.jpg"]


def _zip(
    members: list[tuple[int, int, int]],
    *,
    comment: bytes = b"",
    prefix: bytes = b"",
    extra: bytes = b"",
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name_at, size, method in members:
            name = _NAMES[name_at % len(_NAMES)]
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.compress_type = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2)[
                method % 3
            ]
            info.extra = extra
            if name == "link.jpg":
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            data = b"" if name.endswith("/") else (name.encode() * (size + 1))[:size]
            with archive.open(info, "w") as member:
                member.write(data)
        archive.comment = comment
    return prefix + buffer.getvalue()


def _answers(path: Path, limit: int) -> list[object]:
    """What a ``ZipSource`` answers of every question a scan or a page request asks."""

    def attempt(call: object) -> object:
        try:
            return call()  # type: ignore[operator]
        except Exception as exc:
            return (type(exc).__name__, str(exc))

    answers: list[object] = []
    try:
        source = ZipSource(str(path))
    except Exception as exc:
        return [(type(exc).__name__, str(exc))]
    try:
        names = source.names()
        answers.append(names)
        for name in [*names, "missing.jpg"]:
            answers.append(attempt(lambda name=name: source.check_readable(name)))
            answers.append(attempt(lambda name=name: source.read(name, limit)))
            answers.append(attempt(lambda name=name: source.read_ready(name, limit)))
    finally:
        source.close()
    return answers


def _agree(path: Path, monkeypatch: pytest.MonkeyPatch, limit: int = 1 << 20) -> None:
    direct = _answers(path, limit)
    with monkeypatch.context() as patched:
        patched.setattr(cbz, "read_directory", lambda fd: None)  # zipfile for everything
        assert direct == _answers(path, limit)


_MEMBERS = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 300), st.integers(0, 2)), max_size=6
)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # zips with a name twice, on purpose
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    members=_MEMBERS,
    comment=st.sampled_from([b"", b"a comment"]),
    prefix=st.sampled_from([b"", b"MZ stub"]),
    extra=st.sampled_from(
        [b"", b"UT\x05\x00\x01\x00\x00\x00\x00", b"\x01\x00\x08\x00" + bytes(8), b"UT\x09"]
    ),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 255)), max_size=3),
    cut=st.integers(0, 40),
    limit=st.sampled_from([1 << 20, 100]),
)
def test_a_zip_read_directly_answers_as_zipfile_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    members: list[tuple[int, int, int]],
    comment: bytes,
    prefix: bytes,
    extra: bytes,
    flips: list[tuple[int, int]],
    cut: int,
    limit: int,
) -> None:
    data = bytearray(_zip(members, comment=comment, prefix=prefix, extra=extra))
    for at, value in flips:  # damage anywhere, mostly in the headers of so small a zip
        if data:
            data[at % len(data)] ^= value
    path = tmp_path / "comic.cbz"
    path.write_bytes(bytes(data[: len(data) - cut if cut < 5 else len(data)]))
    _agree(path, monkeypatch, limit)


def test_plain_zips_are_read_directly_and_others_left_to_zipfile(tmp_path: Path) -> None:
    def directory(data: bytes) -> object:
        path = tmp_path / "comic.cbz"
        path.write_bytes(data)
        fd = os.open(path, os.O_RDONLY)
        try:
            return read_directory(fd)
        finally:
            os.close(fd)

    plain = directory(_zip([(0, 10, 0), (2, 10, 1)]))
    assert plain is not None
    assert [name for name, _ in plain.members] == ["p1.jpg", "ComicInfo.xml"]
    assert directory(_zip([(0, 10, 0)], comment=b"hello")) is None
    assert directory(_zip([(0, 10, 0)], prefix=b"stub")) is None
    assert directory(_zip([(0, 10, 0)], extra=b"\x01\x00\x08\x00" + bytes(8))) is None
    assert directory(b"not a zip at all, just some bytes") is None


def test_a_directory_beyond_the_first_read_of_the_tail_is_read_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enough members that the directory is longer than the tail read first.
    members = [(i % 3, 5, i % 2) for i in range(DIRECTORY_TAIL // 40)]
    path = tmp_path / "long.cbz"
    path.write_bytes(_zip(members))
    fd = os.open(path, os.O_RDONLY)
    try:
        found = read_directory(fd)
    finally:
        os.close(fd)
    assert found is not None and len(found.members) == len(members)
    _agree(path, monkeypatch)


def test_a_page_read_on_the_event_loop_leaves_a_plain_zip_to_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "comic.cbz"
    path.write_bytes(_zip([(0, 300, 0), (1, 300, 1), (3, 0, 0)]))
    source = ZipSource(str(path))
    try:
        page = source.read_ready("p2.png", 1 << 20)
        assert page in (None, (b"p2.png" * 300)[:300])  # None: the page cache would not say
        assert source.read_ready("sub/", 1 << 20) is None
        assert source.read_ready("missing.jpg", 1 << 20) is None
        assert source._opened is None  # zipfile never read the directory again
    finally:
        source.close()
