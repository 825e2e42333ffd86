"""What every command group shares: the handler shape, output, and argument checks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeAlias

from bagboard.domain.errors import InvalidInput
from bagboard.library import ComicLibrary

__all__ = ["Commands", "Handler", "Leaf", "err", "folder", "out", "when"]

# A command: given the opened library and the parsed arguments, it returns the exit status.
Handler = Callable[[ComicLibrary, argparse.Namespace], int]
# A quoted alias: argparse's action class is generic only to type checkers.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
# Adds one command (``leaf(group, name, handler, help)``) with the storage and logging options.
Leaf = Callable[..., argparse.ArgumentParser]


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def folder(raw: str) -> str:
    """``raw`` as an absolute folder path; ``InvalidInput`` unless it is a folder."""
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise InvalidInput(f"not a folder: {raw}")
    return str(path.resolve())


def when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")
