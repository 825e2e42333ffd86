"""The ``bagboard`` command run in-process on a data folder of the test's own: ``run(*args)``
gives the exit status, standard output and standard error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bagboard.cli import main

__all__ = ["Run", "data_dir", "run"]

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--data-dir", str(data_dir)])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
