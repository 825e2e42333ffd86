"""``LocalFileTree``'s digests read with ``os.pread``: the same values as a buffered read of
the file, whatever sizes the system's reads come back in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bagboard.adapters.filesystem import tree as tree_module
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.domain.files import file_digests
from bagboard.domain.kosync import partial_md5

SIZES = [0, 1000, 100_000, 131_072, 131_073, 300_000, 2_000_000]


def _write(tmp_path: Path, size: int) -> str:
    path = tmp_path / f"{size}.cbz"
    path.write_bytes(bytes((n * 7 + n // 251) % 256 for n in range(size)))
    return str(path)


@pytest.mark.parametrize("size", SIZES)
def test_digests_are_those_of_a_buffered_read(tmp_path: Path, size: int) -> None:
    path = _write(tmp_path, size)
    with Path(path).open("rb") as file:
        expected = file_digests(file, size)
    with Path(path).open("rb") as file:
        expected_md5 = partial_md5(file)
    tree = LocalFileTree()
    assert tree.digests(path) == expected
    assert tree.kosync_md5(path) == expected_md5


@pytest.mark.parametrize("size", SIZES)
def test_short_reads_are_read_on_to_the_size_asked(
    tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some network file systems answer a read with less than asked before the end.
    path = _write(tmp_path, size)
    with Path(path).open("rb") as file:
        expected = file_digests(file, size)
    real = os.pread

    def short(fd: int, n: int, offset: int) -> bytes:
        return real(fd, min(n, 777), offset)

    monkeypatch.setattr(tree_module.os, "pread", short)
    assert LocalFileTree().digests(path) == expected


def test_a_file_gone_or_not_regular_has_no_digests(tmp_path: Path) -> None:
    tree = LocalFileTree()
    assert tree.digests(str(tmp_path / "gone.cbz")) is None
    assert tree.digests(str(tmp_path)) is None
    assert tree.kosync_md5(str(tmp_path / "gone.cbz")) is None
