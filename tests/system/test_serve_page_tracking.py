"""A page streamed with tracking by a real server is stored once the server has stopped, in
one process or in worker processes: pages are written shortly after they are served, and
what is still noted when the server is told to stop is written as it stops."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bagboard import open_library
from tests.archive_factory import jpeg, write_cbz
from tests.system.conftest import bagboard, serving


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_tracked_page_outlives_the_server(tmp_path: Path, workers: str) -> None:
    library = (tmp_path / "comics").resolve()
    comic = library / "Pub" / "Series" / "Issue 001.cbz"
    comic.parent.mkdir(parents=True)
    write_cbz(comic, {f"p{n}.jpg": jpeg((10, 10, 20 * n)) for n in range(1, 6)})
    data = tmp_path / "data"
    bagboard("scan", "--library", str(library), "--workers", "0", data_dir=data)
    token = bagboard("token", "create", data_dir=data).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    with serving(
        "--no-watch", "--workers", workers, data_dir=data, log=tmp_path / "serve.log"
    ) as base:
        issues = httpx.get(
            base + "/api/v1/library/issues",
            params={"mode": "filesystem", "publisher": "Pub", "series": "Series"},
            headers=headers,
        )
        (issue,) = issues.json()["items"]
        for number in (3, 1, 2):
            page = httpx.get(
                f"{base}/opds/v1.2/issue/{issue['id']}/pse/{number}",
                params={"track": "1"},
                headers=headers,
            )
            assert page.status_code == 200
        # The server is told to stop right away: a page not written yet is written now.
    with open_library(data) as app:
        found = app.progress.position(app.user(), str(comic))
    assert found is not None
    assert (found.page_number, found.total_pages) == (4, 5)
