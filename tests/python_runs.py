"""Running Python code in a fresh interpreter, as a user or a server process would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def python_output(*args: str, cwd: Path | None = None) -> str:
    """The standard output of ``python *args`` run by this interpreter (in ``cwd``), which
    must succeed: what it printed to standard error is the failure's message otherwise."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
