"""Every command fails in one line: bad database URLs, a missing PostgreSQL database, a data
folder that cannot be written, a busy port. Run as ``python -m bagboard``, as a user would, so
that nothing but the command itself decides what reaches the terminal."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.storage_fixtures import POSTGRES_URL


def bagboard(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAGBOARD_")}
    env["XDG_DATA_HOME"] = str(cwd / "xdg")
    return subprocess.run(
        [sys.executable, "-m", "bagboard", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
        check=False,
    )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("bagboard: error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://root:hunter2@db/comics", ("SQLite or PostgreSQL", "'mysql'")),
        ("foo", ("not a database URL", "'foo'")),
        ("sqlserver://sa:hunter2@db", ("SQLite or PostgreSQL",)),
        ("postgresql+psycopg://ann:hunter2@db", ("names no database", "ann:***@db")),
    ],
)
def test_a_database_url_bagboard_cannot_use(
    url: str, words: tuple[str, ...], tmp_path: Path
) -> None:
    line = one_line_error(bagboard("library", "list", "--database-url", url, cwd=tmp_path))
    assert all(word in line for word in words), line
    assert "hunter2" not in line


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")
def test_a_missing_postgresql_database_is_named_with_its_server(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres:hunter2@127.0.0.1:5432/bagboard_no_such_database"
    line = one_line_error(bagboard("library", "list", "--database-url", url, cwd=tmp_path))
    assert line == (
        'bagboard: error: database "bagboard_no_such_database" does not exist on 127.0.0.1:5432'
    )


def test_an_unreachable_postgresql_server_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+psycopg://ann:hunter2@127.0.0.1:{port}/comics"
    line = one_line_error(bagboard("token", "list", "--database-url", url, cwd=tmp_path))
    assert f"127.0.0.1:{port}" in line and "hunter2" not in line


def test_a_data_folder_that_cannot_be_written(tmp_path: Path) -> None:
    # Below a file: no user, root included, can create it.
    (tmp_path / "a-file").write_text("x")
    folder = tmp_path / "a-file" / "data"
    line = one_line_error(bagboard("library", "list", "--data-dir", str(folder), cwd=tmp_path))
    assert f"cannot write to the data folder {folder}" in line
    # A SQLite file named elsewhere: its folder is checked the same way.
    url = f"sqlite:///{folder}/bagboard.db"
    args = ("--data-dir", str(tmp_path / "data"), "--database-url", url)
    line = one_line_error(bagboard("library", "list", *args, cwd=tmp_path))
    assert f"cannot write to the database's folder {folder}" in line


def test_serve_on_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = bagboard(
            "serve", "--data-dir", str(tmp_path / "data"), "--port", str(port), cwd=tmp_path
        )
    line = one_line_error(done)
    assert line.startswith(f"bagboard: error: port {port} on 127.0.0.1 is in use")
    assert done.returncode == 1


def test_global_options_go_before_or_after_the_command(tmp_path: Path) -> None:
    comics = tmp_path / "comics"
    comics.mkdir()
    before, after = tmp_path / "before", tmp_path / "after"
    done = bagboard("--data-dir", str(before), "library", "add", str(comics), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = bagboard("library", "add", str(comics), "--data-dir", str(after), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (before / "bagboard.db").is_file() and (after / "bagboard.db").is_file()
    # Both given: the one after the command wins.
    both = bagboard(
        "--data-dir", str(tmp_path / "loser"), "library", "list", "--data-dir", str(before),
        cwd=tmp_path,
    )  # fmt: skip
    assert both.returncode == 0 and str(comics) in both.stdout
    assert not (tmp_path / "loser").exists()
    # The logging options too, on either side.
    for args in (
        ("--log-level", "debug", "--log-format", "json", "db", "upgrade"),
        ("db", "upgrade", "--log-level", "debug", "--log-format", "json"),
    ):
        done = bagboard(*args, "--data-dir", str(before), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    # And a wrong value before the command is refused as one after it would be.
    refused = bagboard("--log-level", "loud", "library", "list", cwd=tmp_path)
    assert refused.returncode == 2 and "invalid choice: 'loud'" in refused.stderr


def test_python_dash_m_bagboard_is_the_command(tmp_path: Path) -> None:
    done = bagboard("--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("bagboard ")
