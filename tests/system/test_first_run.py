"""A newcomer's first commands, as real processes: the demo in a data folder of its own with
something recently added, the start-up banner's addresses, and the page at ``/``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.system.conftest import bagboard, first_answer, free_port, serving


@contextmanager
def demo(
    *options: str, env: dict[str, str], log: Path
) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    """``bagboard demo`` with ``options``; yields the process, its address and its token."""
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bagboard", "demo", "--comics", "40", "--port", str(port),
             *options],
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            env={**env, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
    try:
        assert process.stdout is not None
        token = process.stdout.readline().strip().removeprefix("TOKEN=")
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {token}"}
        first_answer(base + "/api/v1/auth/ping", process, headers=headers, timeout=60,
                     explain=lambda: log.read_text(errors="replace"))  # fmt: skip
        yield process, base, token
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_demo_keeps_to_its_own_folder_and_shows_recent_comics(tmp_path: Path) -> None:
    real = tmp_path / "real"
    bagboard("db", "upgrade", data_dir=real)
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        # What a real server is set up with: the demo must not write there.
        "BAGBOARD_DATA_DIR": str(real),
    }
    env.pop("BAGBOARD_DATABASE_URL", None)
    with demo(env=env, log=tmp_path / "demo.log") as (_, base, token):
        headers = {"Authorization": f"Bearer {token}"}
        recent = httpx.get(base + "/api/v1/library/recent", headers=headers).json()
        assert recent["total"] >= 20
        publishers = httpx.get(base + "/api/v1/library/publishers", headers=headers).json()
        assert publishers["total"] >= 1
    own = tmp_path / "xdg" / "bagboard" / "demo"
    assert (own / "bagboard.db").is_file() and (own / "demo-library").is_dir()
    # The real library's folder holds its database, untouched by demo comics or tokens.
    assert sorted(p.name for p in real.iterdir() if p.name.endswith(".db")) == ["bagboard.db"]
    listed = bagboard("token", "list", data_dir=real).stdout
    assert "demo" not in listed
    log = (tmp_path / "demo.log").read_text()
    assert f"data folder: {own};" in log


def test_the_banner_lists_working_addresses_and_never_the_wildcard(tmp_path: Path) -> None:
    comics = tmp_path / "comics"
    comics.mkdir()
    data_dir = tmp_path / "data"
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bagboard", "serve", "--data-dir", str(data_dir),
             "--host", "0.0.0.0", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
    try:
        first_answer(f"http://127.0.0.1:{port}/", process,
                     explain=lambda: log.read_text(errors="replace"))  # fmt: skip
        text = log.read_text()
        urls = re.findall(r"https?://\S+", text)
        assert urls and not any("0.0.0.0" in url for url in urls)
        assert f"listening on http://127.0.0.1:{port} (this machine)" in text
        pages = {
            line.split(":", 1)[0]: line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith(("API docs:", "OPDS 1.2:", "OPDS 2.0:"))
        }
        assert set(pages) == {"API docs", "OPDS 1.2", "OPDS 2.0"}
        assert pages["API docs"].endswith(f":{port}/api/v1/docs")
        assert pages["OPDS 1.2"].endswith(f":{port}/opds/v1.2/catalog")
        assert pages["OPDS 2.0"].endswith(f":{port}/opds/v2.0/catalog")
        headers = {"Authorization": f"Bearer {token}"}
        for url in pages.values():
            # Whatever address the banner picked (a network one when there is one), reached
            # here through this machine's loopback at the same port and path.
            local = re.sub(r"^http://[^/]+", f"http://127.0.0.1:{port}", url)
            assert httpx.get(local, headers=headers).status_code == 200, url
        for line in text.splitlines():
            if line.startswith("  on the local network: "):
                address = line.split(": ", 1)[1]
                assert httpx.get(address + "/api/v1/auth/ping", headers=headers).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_about_page_links_to_the_docs_and_catalogues(tmp_path: Path) -> None:
    with serving(data_dir=tmp_path / "data", log=tmp_path / "serve.log", ready="/") as base:
        # ``/`` is the web app, which sends a browser without a session to sign in.
        root = httpx.get(base + "/")
        assert root.status_code == 303 and root.headers["location"] == "/login?next=%2F"
        page = httpx.get(base + "/about")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        for path in ("/api/v1/docs", "/opds/v1.2/catalog", "/opds/v2.0/catalog"):
            assert f'href="{base}{path}"' in page.text
        assert "token" in page.text and "bagboard" in page.text
        assert str(tmp_path) not in page.text
        head = httpx.head(base + "/about")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == page.headers["content-length"]
        # Still outside the API: its document does not list it.
        document = httpx.get(base + "/api/v1/openapi.json").json()
        assert "/" not in document["paths"]
