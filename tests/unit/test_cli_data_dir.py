"""Where the command keeps its data: this user's data folder whatever folder it runs in, an
older version's ``./bagboard-data`` still used (with a notice), the option and environment
winning over both, and the folder and database named on start-up with no password shown."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bagboard.cli import main
from bagboard.config import default_data_dir, demo_data_dir, load_settings, mask_url
from tests.storage_fixtures import POSTGRES_URL


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh per-user data root (XDG_DATA_HOME) and a fresh current folder."""
    root = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(root))
    monkeypatch.delenv("BAGBOARD_DATA_DIR", raising=False)
    monkeypatch.delenv("BAGBOARD_DATABASE_URL", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return root


def test_the_default_is_the_users_data_folder_not_the_current_one(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert default_data_dir() == home / "bagboard"
    assert main(["token", "create", "--name", "phone"]) == 0
    assert (home / "bagboard" / "bagboard.db").is_file()
    assert list((tmp_path / "work").iterdir()) == []
    assert "notice" not in capsys.readouterr().err
    # Another folder, the same database: the token made above is listed.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(elsewhere)
        assert main(["token", "list"]) == 0
    assert "phone" in capsys.readouterr().out


def test_an_older_versions_folder_in_the_current_folder_is_kept_with_a_notice(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = tmp_path / "work" / "bagboard-data"
    legacy.mkdir()
    assert main(["token", "create", "--name", "old"]) == 0
    err = capsys.readouterr().err
    assert (legacy / "bagboard.db").is_file()
    assert not (home / "bagboard").exists()
    notice = [line for line in err.splitlines() if line.startswith("notice:")]
    assert len(notice) == 1
    assert str(legacy) in notice[0] and f"mv '{legacy}' '{home / 'bagboard'}'" in notice[0]
    assert load_settings().legacy_data_dir


def test_the_option_and_the_environment_win_over_both_defaults(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "work" / "bagboard-data").mkdir()
    monkeypatch.setenv("BAGBOARD_DATA_DIR", str(tmp_path / "env"))
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "env" / "bagboard.db").is_file()
    assert main(["db", "upgrade", "--data-dir", str(tmp_path / "option")]) == 0
    assert (tmp_path / "option" / "bagboard.db").is_file()
    assert "notice" not in capsys.readouterr().err
    assert not list((tmp_path / "work" / "bagboard-data").iterdir())
    assert not load_settings().legacy_data_dir


def test_the_demo_has_a_folder_of_its_own(home: Path) -> None:
    assert demo_data_dir() == home / "bagboard" / "demo"


def test_scan_and_library_add_name_the_folder_and_database(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comics = tmp_path / "comics"
    comics.mkdir()
    assert main(["library", "add", str(comics)]) == 0
    database = home / "bagboard" / "bagboard.db"
    expected = f"data folder: {home / 'bagboard'}; database: {database} (SQLite)"
    assert expected in capsys.readouterr().err.splitlines()
    assert main(["scan"]) == 0
    assert expected in capsys.readouterr().err.splitlines()
    assert main(["library", "list"]) == 0
    assert "data folder" not in capsys.readouterr().err  # only the commands that change it
    assert sqlite3.connect(database).execute("select count(*) from libraries").fetchone() == (1,)


@pytest.fixture
def postgres_with_password() -> Iterator[str]:
    """A throwaway PostgreSQL database, reached by a URL carrying a password (the test server
    trusts every local connection, so any password is accepted)."""
    name = f"bagboard_cli_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(POSTGRES_URL).set(database=name, password="s3cret-pw")
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")
def test_a_database_password_is_never_printed(
    postgres_with_password: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comics = tmp_path / "comics"
    comics.mkdir()
    args = ["--data-dir", str(tmp_path / "data"), "--database-url", postgres_with_password]
    assert main(["library", "add", str(comics), *args]) == 0
    out, err = capsys.readouterr()
    assert "s3cret-pw" not in out + err
    assert f"database: {mask_url(postgres_with_password)}" in err
    assert ":***@" in mask_url(postgres_with_password)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            "postgresql+psycopg://ann:pw@db:5432/comics",
            "postgresql+psycopg://ann:***@db:5432/comics",
        ),
        ("postgresql+psycopg://ann@db/comics", "postgresql+psycopg://ann@db/comics"),
        ("postgresql+psycopg://db/comics", "postgresql+psycopg://db/comics"),
        ("sqlite:////tmp/a:b@c/bagboard.db", "sqlite:////tmp/a:b@c/bagboard.db"),
        ("mysql://root:hunter2@host/x", "mysql://root:***@host/x"),
        ("foo", "foo"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert mask_url(url) == masked
