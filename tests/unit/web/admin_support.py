"""Helpers of the administration tests: a fresh collection per test (they change it), and
a scanner that waits until the test lets it go, to see a scan while it runs."""

from __future__ import annotations

import threading
from typing import Any

from litestar.testing import TestClient

from bagboard.domain.model import Library
from bagboard.services.scan.progress import ProgressCallback, ScanPhase, ScanProgress
from bagboard.services.scan.scanner import ScanReport
from tests.unit.web.support import WebWorld, csrf

READER_PAGES = (
    "/admin/libraries",
    "/admin/libraries/folders",
    "/admin/settings",
    "/admin/status",
)


def token_of(client: TestClient[Any], where: str = "/") -> str:
    return csrf(client.get(where).text)


def bearer(world: WebWorld) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.owner_token}"}


class HeldScanner:
    """A scanner whose scans report one step of progress, then wait for ``release``."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.scanned: list[int] = []

    def scan(self, library: Library, *, progress: ProgressCallback | None = None) -> ScanReport:
        if progress is not None:
            progress(ScanProgress(ScanPhase.INSPECTING, 3, 7, 7, 2))
        self.started.set()
        assert self.release.wait(30), "the test never let the scan go"
        self.scanned.append(library.id)
        return ScanReport(
            new=7, changed=0, moved=0, removed=0, unreadable=0, unchanged=0, folders=3, elapsed=0.1
        )
