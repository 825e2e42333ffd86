"""The bagboard command, run in-process against a real SQLite database in a temporary folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bagboard.cli import main
from tests.unit import cli_support
from tests.unit.cli_support import Run

# The shared fixtures, bound here by name.
data_dir = cli_support.data_dir
run = cli_support.run


def test_token_create_prints_only_the_secret_and_stores_only_its_hash(
    run: Run, data_dir: Path
) -> None:
    code, out, err = run("token", "create", "--name", "phone")
    assert code == 0
    secret = out.strip()
    assert out == secret + "\n" and len(secret) >= 43
    assert "shown only this once" in err
    db = sqlite3.connect(data_dir / "bagboard.db")
    rows = db.execute("select * from api_tokens").fetchall()
    assert len(rows) == 1
    assert all(secret not in str(value) for value in rows[0])
    assert secret.encode() not in (data_dir / "bagboard.db").read_bytes()
    code, out, _ = run("token", "list")
    assert code == 0 and secret not in out and "phone" in out and "owner" in out


def test_library_user_and_settings_commands(run: Run, tmp_path: Path) -> None:
    comics = tmp_path / "comics"
    comics.mkdir()
    assert run("library", "add", str(comics), "--name", "Comics")[0] == 0
    _, out, _ = run("library", "list")
    assert f"enabled\tComics\t{comics}" in out
    assert run("library", "disable", str(comics))[0] == 0
    assert "disabled" in run("library", "list")[1]
    assert run("library", "enable", str(comics))[0] == 0
    assert run("user", "add", "kid", "--library", str(comics))[0] == 0
    _, out, _ = run("user", "list")
    assert f"kid\treader\t{comics}" in out
    assert run("settings", "set", "browse-mode", "FILESYSTEM")[1] == "browse-mode = filesystem\n"
    assert run("settings", "show")[1] == "browse-mode = filesystem\n"


def test_revoke_marks_the_token(run: Run) -> None:
    run("token", "create")
    code, out, _ = run("token", "revoke", "1")
    assert code == 0 and "revoked token 1" in out
    line = run("token", "list")[1].splitlines()[1]
    assert line.split("\t")[-1] != "-"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("token", "revoke", "42"), "no token with id 42"),
        (("token", "create", "--user", "ghost"), "no user named 'ghost'"),
        (("library", "add", "/definitely/not/here"), "not a folder"),
        (("library", "disable", "/definitely/not/here"), "no library at that path"),
        (("settings", "set", "browse-mode", "tree"), "mode must be"),
    ],
)
def test_errors_are_one_line_and_non_zero(run: Run, args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("bagboard: error: ") and message in err


def test_duplicate_user_and_library_are_refused(run: Run, tmp_path: Path) -> None:
    assert run("user", "add", "ann")[0] == 0
    code, _, err = run("user", "add", "ANN")
    assert code == 1 and "already exists" in err
    assert run("library", "add", str(tmp_path))[0] == 0
    assert run("library", "add", str(tmp_path) + "/")[0] == 1


def test_environment_selects_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BAGBOARD_DATA_DIR", str(tmp_path / "from-env"))
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "from-env" / "bagboard.db").exists()


def test_bad_port_in_environment_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BAGBOARD_PORT", "eighty")
    assert main(["settings", "show", "--data-dir", str(tmp_path)]) == 1
    assert "BAGBOARD_PORT" in capsys.readouterr().err


def test_help_documents_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("serve", "db", "library", "user", "token", "settings"):
        assert command in out


def test_a_library_inside_another_is_refused_in_one_line(run: Run, tmp_path: Path) -> None:
    (tmp_path / "comics" / "Marvel").mkdir(parents=True)
    assert run("library", "add", str(tmp_path / "comics"))[0] == 0
    code, out, err = run("library", "add", str(tmp_path / "comics" / "Marvel"))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "inside the library" in err
    code, _, err = run("library", "add", str(tmp_path))
    assert code == 1 and "around the library" in err
    code, out, _ = run("library", "list")
    assert code == 0 and out.count(str(tmp_path / "comics")) == 1
    assert str(tmp_path / "comics" / "Marvel") not in out
