"""The README's quick start on a folder of untagged comics laid out Library/Series/issue, as a
newcomer runs it: ``bagboard serve --library``, a token, and every comic browsable in both
modes (real processes, real files)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.archive_factory import jpeg, write_cbz
from tests.system.conftest import bagboard, serving

LAYOUT = {
    "Saga": ["Saga 001 (2012).cbz", "Saga 002 (2012).cbz", "Saga 003 (2012).cbz"],
    "Monstress": ["Monstress v1 001.cbz", "Monstress v1 002.cbz"],
    "Berserk": ["Vol. 01 Ch. 001.cbz", "Vol. 01 Ch. 002.cbz"],
}


def _items(base: str, token: str, url: str, **params: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{base}/api/v1{url}",
        params={"page_size": "100", **params},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_the_quick_start_shows_every_untagged_comic(tmp_path: Path) -> None:
    comics = tmp_path / "My Comics"
    page = jpeg((30, 30, 30))
    for series, names in LAYOUT.items():
        (comics / series).mkdir(parents=True)
        for name in names:
            write_cbz(comics / series / name, {"001.jpg": page, "002.jpg": page})
    data = tmp_path / "data"
    with serving("--library", str(comics), data_dir=data, log=tmp_path / "serve.log",
                 ready="/") as base:  # fmt: skip
        token = bagboard("token", "create", "--name", "phone", data_dir=data).stdout.strip()
        deadline = time.monotonic() + 60
        # Indexing runs in the background; the comics were just written, so all are recent.
        while len(_items(base, token, "/library/recent")) < 7:
            assert time.monotonic() < deadline, "the library was never fully indexed"
            time.sleep(0.2)

        # Metadata mode, the default: series from the file names, else the folders.
        publishers = _items(base, token, "/library/publishers")
        assert [p["name"] for p in publishers] == ["Unknown publisher"]
        series = _items(base, token, "/library/series")
        assert [(s["name"], s["count"]) for s in series] == [
            ("Berserk", 2),
            ("Monstress", 2),
            ("Saga", 3),
        ]
        saga = _items(base, token, "/library/issues", series="Saga")
        assert [(i["number"], i["year"]) for i in saga] == [("1", "2012"), ("2", "2012"),
                                                            ("3", "2012")]  # fmt: skip
        berserk = _items(base, token, "/library/issues", series="Berserk")
        assert [i["number"] for i in berserk] == ["1", "2"]

        # Filesystem mode: each series folder is a publisher and its own series.
        folders = _items(base, token, "/library/publishers", mode="filesystem")
        assert [f["name"] for f in folders] == ["Berserk", "Monstress", "Saga"]
        (own,) = _items(base, token, "/library/series", mode="filesystem", publisher="Monstress")
        issues = _items(base, token, "/library/issues", mode="filesystem",
                        publisher="Monstress", series=own["path"])  # fmt: skip
        assert [i["name"] for i in issues] == LAYOUT["Monstress"]
