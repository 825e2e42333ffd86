"""py-spy profiles of ``bagboard serve`` under a wrk load, for bench/clu.py ``--profile``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def start(pid: int, seconds: int, output: Path) -> subprocess.Popen[bytes] | None:
    """``py-spy record`` of ``pid`` and its children into ``output`` (collapsed stacks).

    Only the thread holding the GIL is sampled (``--gil``): where Python spends CPU time, not
    the worker threads and the event loop waiting for work. Time in C code called from Python
    (SQLite, socket writes) counts for the Python function calling it.
    """
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy is needed for --profile: .venv/bin/pip install py-spy", file=sys.stderr)
        return None
    command = [spy, "record", "--pid", str(pid), "--duration", str(seconds), "--subprocesses",
               "--gil", "--format", "raw", "--rate", "200", "--output", str(output)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _name(frame: str) -> str:
    found = _FRAME.match(frame.strip())
    if not found:
        return frame.strip()
    path = found["file"]
    for marker in ("site-packages/", "src/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{found['function']} ({path})"


def _package(name: str) -> str:
    where = name.rpartition(" (")[2].rstrip(")")
    top = where.split("/", 1)[0]
    return "bagboard" if top == "bagboard" else top.removesuffix(".py")


def summary(raw: Path, top: int = 12) -> list[str]:
    """Where the samples are: by package (own time), the functions with the most own time, and
    bagboard's functions by inclusive time (entry points left out); shares in %."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = [_name(frame) for frame in stack.split(";")]
        # py-spy starts each stack with the process (and maybe the thread): not functions.
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += samples
        own[frames[-1]] += samples
        packages[_package(frames[-1])] += samples
        for frame in set(frames):
            if _package(frame) == "bagboard" and "bagboard/cli.py" not in frame:
                inclusive[frame] += samples
    if total == 0:
        return ["(no samples)"]

    def share(counter: Counter[str], limit: int) -> list[str]:
        return [f"{100 * n / total:6.1f} | {name}" for name, n in counter.most_common(limit)]

    lines = [f"{total} samples holding the GIL", "own % by package"]
    lines += share(packages, 8)
    lines += ["own % | function", *share(own, top)]
    lines += ["inclusive % | bagboard function", *share(inclusive, top)]
    return lines
