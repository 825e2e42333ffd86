"""docs/deployment.md's PostgreSQL backup, done as written: pg_dump, pg_restore, serve again."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.contract.conftest import SQL_BACKENDS
from tests.system.faults.conftest import Site, new_site, serving

__all__ = ["new_site"]

# Generated only where a PostgreSQL server is given, as every PostgreSQL test.
POSTGRESQL = [kind for kind in SQL_BACKENDS if kind == "postgresql"]


def _libpq(url: str) -> list[str]:
    parsed = make_url(url)
    return ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
            "-U", parsed.username or "postgres"]  # fmt: skip


@pytest.mark.parametrize("site_kind", POSTGRESQL)
def test_a_dump_restored_into_a_new_database_serves_the_same_library(
    new_site: Callable[[], Site], tmp_path: Path
) -> None:
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "PostgreSQL's client tools"
    library = tmp_path / "comics"
    (library / "Indie" / "Alpha").mkdir(parents=True)
    for n in (1, 2):
        write_cbz(
            library / "Indie" / "Alpha" / f"Alpha {n:03d}.cbz",
            {"001.jpg": jpeg((n * 60, 10, 10)), "ComicInfo.xml": comicinfo_xml(
                {"Series": "Alpha", "Number": str(n)})},
        )  # fmt: skip
    original = new_site()
    original.run("scan", "--library", str(library))
    token = original.run("token", "create", "--name", "phone").strip()
    dump = tmp_path / "bagboard.dump"
    source = make_url(original.url).database or ""
    with dump.open("wb") as out:
        subprocess.run(["pg_dump", "-Fc", *_libpq(original.url), source], stdout=out, check=True)

    restored = new_site()  # a new, empty database
    target = make_url(restored.url).database or ""
    subprocess.run(
        ["pg_restore", "--no-owner", *_libpq(restored.url), "-d", target, str(dump)], check=True
    )

    assert restored.run("token", "list") == original.run("token", "list")
    with serving(restored) as server:
        # The token made before the dump opens the restored server.
        answer = httpx.get(
            server.base + "/api/v1/library/recent",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200
        assert sorted(item["name"] for item in answer.json()["items"]) == [
            "Alpha 001.cbz",
            "Alpha 002.cbz",
        ]
