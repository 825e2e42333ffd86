"""How many processes ``serve`` answers from: ``--workers N``, ``auto`` (one per CPU this
process may run on and per GiB of its memory, capped), ``BAGBOARD_WORKERS``, and a clear
error for anything else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bagboard import config
from bagboard.cli import main
from bagboard.cli.banner import banner
from bagboard.config import (
    MAX_AUTO_WORKERS,
    available_cpus,
    available_memory,
    load_settings,
    parse_workers,
)
from bagboard.domain.errors import InvalidInput

GIB = 1 << 30


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 2), (3, 3), (4, 4), (16, 4), (0, 1)])
def test_auto_is_one_per_cpu_capped(cpus: int, workers: int) -> None:
    assert parse_workers("auto", cpus=cpus, memory=64 * GIB) == workers
    assert parse_workers(" AUTO ", cpus=cpus, memory=64 * GIB) == workers
    assert MAX_AUTO_WORKERS == 4


@pytest.mark.parametrize(
    ("memory", "workers"), [(512 << 20, 1), (GIB, 1), (2 * GIB - 1, 1), (2 * GIB, 2), (3 * GIB, 3)]
)
def test_auto_gives_each_worker_a_gib_of_memory(memory: int, workers: int) -> None:
    # A small NAS with four cores and two GiB: two workers, each with its own caches.
    assert parse_workers("auto", cpus=4, memory=memory) == workers


def test_the_memory_is_the_containers_when_it_is_limited(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    v2, v1 = tmp_path / "memory.max", tmp_path / "memory.limit_in_bytes"
    monkeypatch.setattr(config, "_CGROUP_MEMORY_LIMITS", (v2, v1))
    machine = available_memory()  # neither file: the machine's
    assert machine is not None and machine > 0
    v2.write_text("max\n")
    v1.write_text("9223372036854771712\n")  # no limit, as cgroup v1 says it
    assert available_memory() == machine
    v2.write_text(f"{GIB}\n")  # docker run --memory 1g
    assert available_memory() == min(GIB, machine)
    monkeypatch.setattr(config, "available_memory", lambda: None)  # unknown: CPUs decide
    assert parse_workers("auto", cpus=3) == 3


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
    assert parse_workers("auto", memory=64 * GIB) == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # macOS, Windows
    assert available_cpus() == 32
    assert parse_workers("auto", memory=64 * GIB) == MAX_AUTO_WORKERS
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown
    assert parse_workers("auto", memory=64 * GIB) == 1


def test_settings_read_the_environment_and_the_command_line_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(config, "available_cpus", lambda: 2)
    monkeypatch.setattr(config, "available_memory", lambda: 8 * GIB)
    folder = str(tmp_path)
    assert load_settings(data_dir=folder, environ={}).http_workers == 2  # auto, the default
    assert load_settings(data_dir=folder, environ={"BAGBOARD_WORKERS": "1"}).http_workers == 1
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
    settings = load_settings(data_dir=str(tmp_path), environ={})
    assert "answering from 1 process" in banner(settings, lan=[])
    assert "answering from 2 worker processes" in banner(settings, lan=[], workers=2)
