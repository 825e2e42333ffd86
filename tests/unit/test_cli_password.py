"""``bagboard user password``: run in-process on a real SQLite database, with argon2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from tests.unit import cli_support
from tests.unit.cli_support import Run

data_dir = cli_support.data_dir
run = cli_support.run

PASSWORD = "correct horse battery"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def piped(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """A terminal whose user types ``answers`` at the prompts; the prompts shown."""
    monkeypatch.setattr("sys.stdin", Terminal())
    prompts: list[str] = []
    replies = iter(answers)

    def fake(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(replies)

    monkeypatch.setattr("getpass.getpass", fake)
    return prompts


def signs_in(data: Path, name: str, password: str) -> bool:
    with ComicLibrary.from_settings(load_settings(data_dir=str(data))) as app:
        try:
            app.web_sessions.sign_in(name, password, "127.0.0.1")
        except Exception:
            return False
        return True


def test_a_password_piped_in_is_one_line_kept_as_typed(
    run: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("user", "add", "alice")[0] == 0
    piped(monkeypatch, f" {PASSWORD} \nsecond line ignored\n")
    code, out, err = run("user", "password", "alice")
    assert (code, err) == (0, "")
    assert "set the password of alice" in out and PASSWORD not in out
    assert signs_in(data_dir, "alice", f" {PASSWORD} ")
    assert not signs_in(data_dir, "alice", PASSWORD)


def test_a_terminal_asks_twice(run: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("user", "add", "alice")
    prompts = typed(monkeypatch, PASSWORD, PASSWORD)
    assert run("user", "password", "alice")[0] == 0
    assert prompts == ["new password for alice: ", "again: "]
    assert signs_in(data_dir, "alice", PASSWORD)


def test_two_different_answers_change_nothing(
    run: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("user", "add", "alice")
    typed(monkeypatch, PASSWORD, PASSWORD + "!")
    code, _, err = run("user", "password", "alice")
    assert code != 0
    assert err.strip() == "bagboard: error: the two passwords differ; nothing was changed"
    assert not signs_in(data_dir, "alice", PASSWORD)


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "no password on standard input; nothing was changed"),
        ("short\n", "the password must be at least 8 characters long"),
        ("x" * 1025 + "\n", "the password must be at most 1024 characters long"),
    ],
)
def test_bad_input_is_a_one_line_error(
    run: Run, monkeypatch: pytest.MonkeyPatch, stdin: str, message: str
) -> None:
    run("user", "add", "alice")
    piped(monkeypatch, stdin)
    code, out, err = run("user", "password", "alice")
    assert code != 0 and out == ""
    assert err.strip() == f"bagboard: error: {message}"


def test_an_unknown_user_is_told_before_anything_is_read(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = typed(monkeypatch)
    code, _, err = run("user", "password", "nobody")
    assert code != 0 and prompts == []
    assert err.strip() == "bagboard: error: no user named 'nobody'"


def test_clear_removes_the_password(
    run: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("user", "add", "alice")
    piped(monkeypatch, PASSWORD + "\n")
    run("user", "password", "alice")
    code, out, _ = run("user", "password", "alice", "--clear")
    assert code == 0 and "removed the password of alice" in out
    assert not signs_in(data_dir, "alice", PASSWORD)
    code, out, _ = run("user", "password", "alice", "--clear")
    assert code == 0 and "alice has no password" in out
