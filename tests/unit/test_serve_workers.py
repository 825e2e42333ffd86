"""How many processes ``serve`` answers from: ``--workers N``, ``auto`` (one per CPU this
process may run on, capped), ``BAGBOARD_WORKERS``, and a clear error for anything else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bagboard import config
from bagboard.cli import main
from bagboard.cli.banner import banner
from bagboard.config import MAX_AUTO_WORKERS, available_cpus, load_settings, parse_workers
from bagboard.domain.errors import InvalidInput


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 2), (3, 3), (4, 4), (16, 4), (0, 1)])
def test_auto_is_one_per_cpu_capped(cpus: int, workers: int) -> None:
    assert parse_workers("auto", cpus=cpus) == workers
    assert parse_workers(" AUTO ", cpus=cpus) == workers
    assert MAX_AUTO_WORKERS == 4


def test_an_explicit_number_is_kept_as_it_is() -> None:
    assert parse_workers("1", cpus=8) == 1
    assert parse_workers("6", cpus=2) == 6  # asked for: more than the CPUs, more than the cap


@pytest.mark.parametrize("raw", ["0", "-2", "two", "", "1.5", "²", "auto4"])
def test_anything_else_is_a_clear_error(raw: str) -> None:
    with pytest.raises(InvalidInput, match=r"--workers must be a number of processes .* 'auto'"):
        parse_workers(raw, cpus=2)


def test_the_cpus_are_those_this_process_may_run_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 32)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 5, 7}, raising=False)
    assert available_cpus() == 3  # a container limited to three CPUs of a large machine
    assert parse_workers("auto") == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # macOS, Windows
    assert available_cpus() == 32
    assert parse_workers("auto") == MAX_AUTO_WORKERS
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown
    assert parse_workers("auto") == 1


def test_settings_read_the_environment_and_the_command_line_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(config, "available_cpus", lambda: 2)
    folder = str(tmp_path)
    assert load_settings(data_dir=folder, environ={}).http_workers == 1  # the default
    env = {"BAGBOARD_WORKERS": "auto"}
    assert load_settings(data_dir=folder, environ=env).http_workers == 2
    assert load_settings(data_dir=folder, http_workers="3", environ=env).http_workers == 3
    with pytest.raises(InvalidInput, match="BAGBOARD_WORKERS must be a number"):
        load_settings(data_dir=folder, environ={"BAGBOARD_WORKERS": "many"})


def test_serve_refuses_a_bad_count_before_anything_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["serve", "--workers", "0", "--data-dir", str(data), "--port", "1"]) == 1
    said = capsys.readouterr().err
    assert "--workers must be a number of processes (1 or more) or 'auto', not '0'" in said
    assert not data.exists()  # nothing was created or bound


def test_the_banner_says_how_many_processes_answer(tmp_path: Path) -> None:
    one = load_settings(data_dir=str(tmp_path), environ={})
    assert "answering from 1 process" in banner(one, lan=[])
    two = load_settings(data_dir=str(tmp_path), http_workers="2", environ={})
    assert "answering from 2 worker processes" in banner(two, lan=[])
