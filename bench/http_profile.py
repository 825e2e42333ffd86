"""py-spy profiles of ``bagboard serve`` under a wrk load, for bench/http.py ``--profile``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def start(pid: int, seconds: int, output: Path) -> subprocess.Popen[bytes] | None:
    """``py-spy record`` of ``pid`` and its children into ``output`` (collapsed stacks)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy is needed for --profile: .venv/bin/pip install py-spy", file=sys.stderr)
        return None
    command = [spy, "record", "--pid", str(pid), "--duration", str(seconds), "--subprocesses",
               "--format", "raw", "--rate", "200", "--output", str(output)]  # fmt: skip
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


def summary(raw: Path, top: int = 12) -> list[str]:
    """The functions holding the most samples: own (self) share and inclusive share, in %."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
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
        for frame in set(frames):
            inclusive[frame] += samples
    if total == 0:
        return ["(no samples)"]
    lines = [f"{total} samples (busy threads only)", "self %  | function"]
    lines += [f"{100 * n / total:6.1f} | {name}" for name, n in own.most_common(top)]
    lines += ["inclusive % | function"]
    lines += [f"{100 * n / total:6.1f} | {name}" for name, n in inclusive.most_common(top)]
    return lines
