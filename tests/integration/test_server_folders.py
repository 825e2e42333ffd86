"""The folder picker's disk adapter, and what the status page may say of a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagboard.adapters.filesystem.server_folders import MAX_SUBFOLDERS, LocalServerFolders
from bagboard.adapters.storage.db.facts import database_probe
from bagboard.domain.errors import InvalidPath


def test_it_lists_visible_folders_only_links_resolved(tmp_path: Path) -> None:
    for name in ("b-folder", "A-folder", ".hidden"):
        (tmp_path / name).mkdir()
    (tmp_path / "file.cbz").write_bytes(b"x")
    (tmp_path / "to-a").symlink_to(tmp_path / "A-folder")
    (tmp_path / "to-file").symlink_to(tmp_path / "file.cbz")
    (tmp_path / "broken").symlink_to(tmp_path / "gone")
    choice = LocalServerFolders().choose(str(tmp_path))
    assert choice.path == str(tmp_path.resolve())
    assert choice.parent == str(tmp_path.resolve().parent)
    assert choice.subfolders == ("A-folder", "b-folder", "to-a")
    assert not choice.truncated
    linked = LocalServerFolders().choose(str(tmp_path / "to-a"))
    assert linked.path == str((tmp_path / "A-folder").resolve())
    climbed = LocalServerFolders().choose(f"{tmp_path}/A-folder/../b-folder")
    assert climbed.path == str((tmp_path / "b-folder").resolve())


def test_the_root_has_no_parent() -> None:
    assert LocalServerFolders().choose("/").parent is None


def test_a_long_listing_is_cut(tmp_path: Path) -> None:
    for n in range(MAX_SUBFOLDERS + 5):
        (tmp_path / f"f{n:05}").mkdir()
    choice = LocalServerFolders().choose(str(tmp_path))
    assert len(choice.subfolders) == MAX_SUBFOLDERS
    assert choice.truncated


@pytest.mark.parametrize("where", ["file.cbz", "missing", "to-file"])
def test_anything_but_a_folder_is_refused_without_naming_it(tmp_path: Path, where: str) -> None:
    (tmp_path / "file.cbz").write_bytes(b"x")
    (tmp_path / "to-file").symlink_to(tmp_path / "file.cbz")
    with pytest.raises(InvalidPath) as refused:
        LocalServerFolders().choose(str(tmp_path / where))
    assert str(tmp_path) not in refused.value.message


@pytest.mark.parametrize("path", ["", "relative", "/with\x00nul"])
def test_a_path_that_is_not_absolute_is_refused(path: str) -> None:
    with pytest.raises(InvalidPath):
        LocalServerFolders().choose(path)


def test_the_database_facts_never_carry_its_address(tmp_path: Path) -> None:
    postgres = database_probe("postgresql+psycopg://user:secret@db.example:5432/comics")()
    assert (postgres.kind, postgres.size_bytes) == ("PostgreSQL", None)
    path = tmp_path / "index.db"
    probe = database_probe(f"sqlite:///{path}")
    assert probe().size_bytes == 0  # not created yet
    path.write_bytes(b"x" * 100)
    (tmp_path / "index.db-wal").write_bytes(b"x" * 20)
    assert (probe().kind, probe().size_bytes) == ("SQLite", 120)
