"""Several ``bagboard serve`` processes on one database and one library folder.

``cluster`` starts them one after another (each its own data folder on PostgreSQL, as separate
machines would have; the same folder on SQLite, whose database file they share), with the
library added once through the command line, watching on and no periodic rescan. Their logs are
JSON lines in files, so a test can tell which process scanned what.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.system.conftest import first_answer, free_port
from tests.system.faults.conftest import ENV, Site, new_site, site_kind

__all__ = ["Cluster", "Instance", "cluster", "new_site", "site_kind", "wait_for"]

# Two processes share a SQLite file; PostgreSQL carries three.
INSTANCES = {"sqlite": 2, "postgresql": 3}


def wait_for(
    condition: Callable[[], bool],
    limit: float,
    what: str,
    explain: Callable[[], str] = lambda: "",
) -> float:
    """Poll ``condition`` until true; the seconds it took, or a failure naming ``what``
    (followed by ``explain()``)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > limit:
            raise AssertionError(f"{what}: not within {limit} s\n{explain()}")
        time.sleep(0.1)
    return time.monotonic() - started


def comic(path: Path, series: str, number: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_cbz(
        path,
        {
            "001.jpg": jpeg((number * 40 % 255, 20, 20)),
            "ComicInfo.xml": comicinfo_xml(
                {"Series": series, "Number": str(number), "Publisher": "Indie"}
            ),
        },
    )


@dataclass
class Instance:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def get(self, path: str, token: str) -> httpx.Response:
        return httpx.get(self.base + path, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def records(self) -> list[dict[str, Any]]:
        """What the process logged so far, one JSON object per line."""
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    found.append(json.loads(line))
                except json.JSONDecodeError:  # a line being written
                    continue
        return found

    def logged(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)


@dataclass
class Cluster:
    site: Site
    library: Path
    token: str
    instances: list[Instance] = field(default_factory=list)

    def start(self) -> Instance:
        number = len(self.instances)
        data_dir = self.site.data_dir
        if self.site.kind == "postgresql":
            data_dir = self.site.data_dir / f"instance-{number}"
            data_dir.mkdir()
        port = free_port()
        log = self.site.data_dir / f"serve-{number}.log"
        command = [
            sys.executable, "-m", "bagboard.cli", "serve",
            "--data-dir", str(data_dir), "--database-url", self.site.url,
            "--host", "127.0.0.1", "--port", str(port), "--rescan-interval", "0",
        ]  # fmt: skip
        with log.open("wb") as sink:
            process = subprocess.Popen(
                command,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**ENV, "BAGBOARD_LOG_FORMAT": "json"},
            )
        instance = Instance(process, f"http://127.0.0.1:{port}", log)
        self.instances.append(instance)
        first_answer(instance.base + "/api/v1/auth/ping", process, explain=instance.logged)
        return instance

    def logs(self) -> str:
        """The last lines each process logged, for a failure's message."""
        return "\n".join(
            f"--- process {n}:\n" + "\n".join(i.logged().splitlines()[-15:])
            for n, i in enumerate(self.instances)
        )

    def live(self) -> list[Instance]:
        return [i for i in self.instances if i.process.poll() is None]

    def stop(self) -> None:
        for instance in self.live():
            instance.process.terminate()
        for instance in self.instances:
            try:
                instance.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                instance.process.kill()
                instance.process.wait(timeout=10)


@pytest.fixture
def cluster(new_site: Callable[[], Site], tmp_path: Path) -> Iterator[Cluster]:
    site = new_site()
    library = tmp_path / "comics"
    comic(library / "Indie" / "Alpha" / "Alpha 001.cbz", "Alpha", 1)
    site.run("library", "add", str(library))
    token = site.run("token", "create", "--name", "cluster").strip()
    running = Cluster(site, library, token)
    try:
        for _ in range(INSTANCES[site.kind]):
            running.start()
        yield running
    finally:
        running.stop()
