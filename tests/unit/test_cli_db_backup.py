"""``bagboard db backup FILE``: an online copy of the SQLite database that restores whole, taken
while another connection keeps writing; refused for an existing file and for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from bagboard.config import load_settings
from bagboard.domain.errors import InvalidInput
from bagboard.domain.progress import ProgressChange
from bagboard.library import ComicLibrary
from tests.readlist_support import write_world
from tests.unit import cli_support
from tests.unit.cli_support import Run

data_dir = cli_support.data_dir
run = cli_support.run

POSTGRES_URL = os.environ.get("BAGBOARD_TEST_POSTGRES_URL", "")


def open_at(data: Path) -> ComicLibrary:
    return ComicLibrary.from_settings(load_settings(data_dir=str(data)), workers=0)


def test_a_backup_restores_users_tokens_libraries_and_progress(
    tmp_path: Path, run: Run, data_dir: Path
) -> None:
    marvel, _ = write_world(tmp_path)
    assert run("scan", "--library", str(marvel), "--workers", "0")[0] == 0
    assert run("user", "add", "kid")[0] == 0
    code, token, _ = run("token", "create", "--user", "kid")
    assert code == 0
    with open_at(data_dir) as app:
        kid = app.user("kid")
        comic = app.container.library_index().comic_at(f"{marvel}/Civil War/Civil War 001.cbz")
        assert comic is not None
        app.progress.save_in(kid, comic, ProgressChange(page_number=1, total_pages=1))

    target = tmp_path / "backups" / "bagboard-2026-12-06.db"
    target.parent.mkdir()
    code, _, err = run("db", "backup", str(target))
    assert code == 0, err
    assert err.startswith(f"backed the database up to {target} (")
    assert not list(target.parent.glob("*.part"))  # nothing left but the copy
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)

    # Restore: the copy as the database of another data folder holds everything.
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copyfile(target, restored / "bagboard.db")
    with open_at(restored) as app:
        assert [lib.root for lib in app.libraries.list()] == [str(marvel)]
        kid = app.user("kid")
        assert app.container.authenticator().authenticate(f"Bearer {token.strip()}").id == kid.id
        found = app.container.library_index().comic_at(f"{marvel}/Civil War/Civil War 001.cbz")
        assert found is not None and found.id == comic.id
        position = app.progress.position_in(kid, found)
        assert position is not None and position.page_number == 1


def test_a_backup_taken_while_another_connection_writes_is_whole(
    tmp_path: Path, data_dir: Path
) -> None:
    with open_at(data_dir) as app:
        app.prepare_storage()
        writes, stop = 0, threading.Event()

        def keep_writing() -> None:
            nonlocal writes
            while not stop.is_set():
                app.accounts.add_user(f"user{writes}")
                writes += 1

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            while writes < 20:
                threading.Event().wait(0.01)
            size = app.backup(tmp_path / "copy.db")
        finally:
            stop.set()
            writer.join()
    assert size == (tmp_path / "copy.db").stat().st_size > 0
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        users = copy.execute("SELECT count(*) FROM users WHERE name LIKE 'user%'").fetchone()[0]
    assert 20 <= users <= writes


def test_an_existing_file_is_never_overwritten(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "kept.db"
    target.write_bytes(b"precious")
    assert run("db", "upgrade")[0] == 0
    code, _, err = run("db", "backup", str(target))
    assert code == 1
    assert err.strip() == "bagboard: error: kept.db exists already; give a new file name"
    assert target.read_bytes() == b"precious"
    code, _, err = run("db", "backup", str(tmp_path / "no-such-folder" / "x.db"))
    assert code == 1 and "no folder 'no-such-folder'" in err


def test_a_library_in_memory_has_nothing_to_back_up(tmp_path: Path) -> None:
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(tmp_path / "data")), memory=True, workers=0
    )
    with app, pytest.raises(InvalidInput, match="in memory"):
        app.backup(tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")
def test_postgresql_is_pointed_at_pg_dump(tmp_path: Path, run: Run) -> None:
    code, _, err = run("db", "backup", str(tmp_path / "copy.db"), "--database-url", POSTGRES_URL)
    assert code == 1
    assert "pg_dump" in err and "Traceback" not in err
    assert not (tmp_path / "copy.db").exists()
