"""Faults a running server meets on disk: a comic deleted after it was listed, an archive
corrupted after it was indexed. The answer is the documented 404 or 422, never a 500, on SQLite
and on PostgreSQL."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.archive_factory import jpeg, write_cbz
from tests.system.faults.conftest import Server, Site, serving

ENDPOINTS = ("/download", "/cover", "/cover?size=200", "/pages", "/page/1", "/page/2?size=200")


def _write_comic(path: Path, color: tuple[int, int, int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = {f"p{n}.jpg": jpeg((color[0], color[1], n * 40), (300, 450)) for n in range(1, 4)}
    return write_cbz(path, pages)


def _library(site: Site, *names: str) -> dict[str, Path]:
    root = site.data_dir / "comics"
    written = {
        name: _write_comic(root / "Pub" / "Series" / f"{name}.cbz", (20 * n, 100, 50))
        for n, name in enumerate(names, start=1)
    }
    site.run("scan", "--library", str(root), "--workers", "0")
    return written


def _listed(server: Server) -> dict[str, int]:
    query = {"mode": "filesystem", "publisher": "Pub", "series": "Series"}
    items = server.get("/api/v1/library/issues", params=query).json()["items"]
    return {item["name"].removesuffix(".cbz"): item["id"] for item in items}


def test_a_comic_deleted_after_listing_is_not_found(site: Site) -> None:
    files = _library(site, "Kept 001", "Gone 001", "Opened 001")
    with serving(site) as server:
        ids = _listed(server)
        assert ids.keys() == files.keys()
        # Read once, so its page list is stored and its archive is held open.
        assert server.get(f"/api/v1/issue/{ids['Opened 001']}/page/2").status_code == 200
        files["Gone 001"].unlink()
        files["Opened 001"].unlink()
        for endpoint in ENDPOINTS:
            for method in ("GET", "HEAD") if endpoint == "/download" else ("GET",):
                for name in ("Gone 001", "Opened 001"):
                    if name == "Opened 001" and endpoint == "/pages":
                        continue  # the stored page list is the index's, like the detail
                    answer = server.request(method, f"/api/v1/issue/{ids[name]}{endpoint}")
                    assert answer.status_code == 404, (name, method, endpoint, answer.text)
                    if method == "GET":
                        assert answer.json()["error"] == "not_found", (name, endpoint)
            kept = server.get(f"/api/v1/issue/{ids['Kept 001']}{endpoint}")
            assert kept.status_code == 200, (endpoint, kept.text)
        # The comic's own record is still served: only its file is gone.
        assert server.get(f"/api/v1/issue/{ids['Gone 001']}").status_code == 200
        logged = server.logged()
    assert "Traceback" not in logged and "Unhandled" not in logged, logged


def _garble(path: Path, start: int, length: int) -> None:
    """Overwrite ``length`` bytes at ``start`` (negative: from the end) in place, keeping the
    size and the modification time, so no scan would notice the change."""
    stat = path.stat()
    with path.open("r+b") as file:
        file.seek(start, os.SEEK_SET if start >= 0 else os.SEEK_END)
        file.write(os.urandom(length))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _truncate(path: Path) -> None:
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


CORRUPTIONS = {
    # The zip's central directory, read first by every opening.
    "Directory 001": lambda path: _garble(path, -60, 40),
    # The compressed data of the first page, after its 30-byte local header and name.
    "Page 001": lambda path: _garble(path, 40, 200),
    "Truncated 001": _truncate,
    # The same, in an archive the server already holds open (read before the damage).
    "Opened 001": _truncate,
}


def test_an_archive_corrupted_after_indexing_is_unprocessable(site: Site) -> None:
    files = _library(site, "Fine 001", *CORRUPTIONS)
    with serving(site) as server:
        ids = _listed(server)
        assert server.get(f"/api/v1/issue/{ids['Opened 001']}/page/3").status_code == 200
        for name, corrupt in CORRUPTIONS.items():
            corrupt(files[name])
        for name in CORRUPTIONS:
            broken = f"/api/v1/issue/{ids[name]}"
            for endpoint, code in (
                ("/cover", "cover_failed"),
                ("/cover", "cover_failed"),  # remembered, and logged once
                ("/cover?size=200", "cover_failed"),
                ("/pages", "archive_unreadable"),
                ("/page/1", "archive_unreadable"),
                ("/page/1?size=200", "archive_unreadable"),
            ):
                if name == "Opened 001" and endpoint == "/pages":
                    continue  # its page list was stored before the damage
                answer = server.get(broken + endpoint)
                assert answer.status_code == 422, (name, endpoint, answer.text)
                assert answer.json()["error"] == code, (name, endpoint, answer.text)
            # The file itself is whatever is on disk now.
            download = server.get(broken + "/download")
            assert download.status_code == 200
            assert download.content == files[name].read_bytes()
        for endpoint in ENDPOINTS:
            fine = server.get(f"/api/v1/issue/{ids['Fine 001']}{endpoint}")
            assert fine.status_code == 200, (endpoint, fine.text)
        logged = server.logged()
    # Remembered per process: once by each worker process that was asked, at most.
    said = re.search(r"answering from (\d+) worker processes", logged)
    workers = int(said.group(1)) if said else 1
    for name in CORRUPTIONS:
        assert 1 <= logged.count(f"no cover for comic {ids[name]} ") <= workers, logged
    assert "Traceback" not in logged and "Unhandled" not in logged, logged
