"""Every Komga client app's call sequence (tests/komga) against a real ``bagboard serve``.

One server for the module, on a throw-away data folder: two libraries of real CBZ files (series
with and without ComicInfo, a multi-book series whose first book has PNG and BMP pages, so the
apps that ask for ``convert=png`` get it), a reader who sees both and a second user limited to
the second library. Each app's sequence asserts every status and decodes every body with that
app's field rules; the auth and scoping checks run at the process level too.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.komga.replay import basic
from tests.komga.sequences import (
    aidoku,
    extension,
    extension_api_key,
    kmreader,
    komelia,
    paperback,
    tracker,
)
from tests.readlist_support import cbl
from tests.system.conftest import bagboard, serving


def png(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 90), color).save(buffer, format="PNG")
    return buffer.getvalue()


def bmp(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 90), color).save(buffer, format="BMP")
    return buffer.getvalue()


def _info(series: str, number: str, **more: str) -> bytes:
    fields = {"Series": series, "Number": number, "Year": "2012", "Month": "3"}
    return comicinfo_xml(fields | more)


def write_libraries(first: Path, second: Path) -> None:
    """``first``: Akira (two books with ComicInfo, the first with PNG and BMP pages), Saga
    (three books with ComicInfo), Monstress (two untagged books, named after the folder).
    ``second``: one untagged book only the limited user sees."""
    page = jpeg((40, 40, 40))
    akira = first / "Akira"
    akira.mkdir(parents=True)
    write_cbz(
        akira / "Akira 001.cbz",
        {
            "001.png": png((200, 20, 20)),
            "002.bmp": bmp((20, 200, 20)),
            "ComicInfo.xml": _info("Akira", "1", Writer="Katsuhiro Otomo", Genre="Cyberpunk"),
        },
    )
    write_cbz(
        akira / "Akira 002.cbz",
        {"001.jpg": page, "002.jpg": page, "ComicInfo.xml": _info("Akira", "2")},
    )
    saga = first / "Saga"
    saga.mkdir()
    for number in ("1", "2", "3"):
        write_cbz(
            saga / f"Saga {int(number):03d} (2012).cbz",
            {
                "001.jpg": page,
                "002.jpg": page,
                "003.jpg": page,
                "ComicInfo.xml": _info("Saga", number, Publisher="Image", Summary="Space."),
            },
        )
    monstress = first / "Monstress"
    monstress.mkdir()
    for name in ("Monstress 001.cbz", "Monstress 002.cbz"):
        write_cbz(monstress / name, {"001.jpg": page, "002.jpg": page})
    private = second / "Private"
    private.mkdir(parents=True)
    write_cbz(private / "Private 001.cbz", {"001.jpg": page})


@dataclass(frozen=True)
class KomgaServer:
    base: str
    reader_token: str
    limited_token: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=f"{self.base}/komga", timeout=30)


@pytest.fixture(scope="module")
def komga_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KomgaServer]:
    root = tmp_path_factory.mktemp("komga")
    first, second = (root / "comics").resolve(), (root / "private").resolve()
    write_libraries(first, second)
    data = root / "data"
    bagboard("scan", "--library", str(first), "--library", str(second), "--workers", "0",
             data_dir=data)  # fmt: skip
    bagboard("user", "add", "reader", data_dir=data)
    reader = bagboard("token", "create", "--user", "reader", data_dir=data).stdout.strip()
    # A reading list, so every sequence takes its read-list steps against the real server.
    (root / "Saga reading order.cbl").write_bytes(
        cbl("Saga reading order", [("Saga", "1", "", "2012"), ("Akira", "2", "", ""),
                                   ("Saga", "2", "", ""), ("Nobody", "9", "", "")])
    )  # fmt: skip
    bagboard("readlist", "import", str(root / "Saga reading order.cbl"), "--user", "reader",
             data_dir=data)  # fmt: skip
    bagboard("user", "add", "limited", "--library", str(second), data_dir=data)
    limited = bagboard("token", "create", "--user", "limited", data_dir=data).stdout.strip()
    ready = {"X-API-Key": reader}
    with serving("--no-watch", data_dir=data, log=root / "serve.log",
                 ready="/komga/api/v1/libraries", headers=ready) as base:  # fmt: skip
        yield KomgaServer(base, reader, limited)


Transcript = list[dict[str, Any]]


def _extension_and_tracker(http: httpx.Client, user: str, token: str) -> Transcript:
    """Mihon's extension then its tracker, on one client: they share Mihon's cookie jar."""
    transcript, found = extension(http, user, token)
    return transcript + tracker(
        http, found["series_id"], found["book_number_sort"], found.get("readlist_id")
    )


def _extension_api_key(http: httpx.Client, user: str, token: str) -> Transcript:
    return extension_api_key(http, token)


def _kmreader_api_key(http: httpx.Client, user: str, token: str) -> Transcript:
    return kmreader(http, user, token, api_key=True)


SEQUENCES: dict[str, Callable[[httpx.Client, str, str], Transcript]] = {
    "EXT+TRK": _extension_and_tracker,
    "EXT-apikey": _extension_api_key,
    "KOM": komelia,
    "KMR": kmreader,
    "KMR-apikey": _kmreader_api_key,
    "AID": aidoku,
    "PB": paperback,
}


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_the_client_sequence_runs_end_to_end(komga_server: KomgaServer, name: str) -> None:
    with komga_server.client() as http:
        transcript = SEQUENCES[name](http, "reader", komga_server.reader_token)
    assert transcript, "the sequence made no call"


def test_the_readers_list_is_a_read_list_in_list_order(komga_server: KomgaServer) -> None:
    with komga_server.client() as http:
        http.headers["X-API-Key"] = komga_server.reader_token
        lists = http.get("api/v1/readlists").json()
        assert [entry["name"] for entry in lists["content"]] == ["Saga reading order"]
        book_ids = lists["content"][0]["bookIds"]
        titles = [
            (book["seriesTitle"], book["metadata"]["number"])
            for book in (http.get(f"api/v1/books/{bid}").json() for bid in book_ids)
        ]
        assert titles == [("Saga", "1"), ("Akira", "2"), ("Saga", "2")]
        http.headers["X-API-Key"] = komga_server.limited_token
        assert http.get("api/v1/readlists").json()["content"] == []


def _ids(server: KomgaServer) -> tuple[str, list[str], list[str]]:
    """The first library's id, its series ids and its books' ids, as the reader sees them."""
    with server.client() as http:
        http.headers["X-API-Key"] = server.reader_token
        libraries = http.get("api/v1/libraries").json()
        first = next(lib for lib in libraries if lib["name"] == "comics")
        page = http.get(f"api/v1/series?library_id={first['id']}&unpaged=true").json()
        series = [s["id"] for s in page["content"]]
        books = [
            b["id"]
            for sid in series
            for b in http.get(f"api/v1/series/{sid}/books?unpaged=true").json()["content"]
        ]
    assert len(series) == 3 and len(books) == 7, (series, books)
    return first["id"], series, books


@pytest.mark.parametrize(
    "path",
    [
        "api/v1/libraries",
        "api/v2/users/me",
        "api/v1/series",
        "api/v1/series/1",
        "api/v1/books/1/pages/1",
        "api/v1/series/1/thumbnail",
    ],
)
def test_no_credentials_is_a_401_with_a_basic_challenge(
    komga_server: KomgaServer, path: str
) -> None:
    with komga_server.client() as http:
        answer = http.get(path, headers={"Accept": "text/html"})
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"].lower().startswith("basic")
    assert "set-cookie" not in answer.headers


def test_bad_credentials_are_a_401_too(komga_server: KomgaServer) -> None:
    with komga_server.client() as http:
        wrong_key = http.get("api/v1/libraries", headers={"X-API-Key": "nope"})
        # The reader's token under another user's name: Basic must name the token's user.
        wrong_user = http.get(
            "api/v1/libraries",
            headers={"Authorization": basic("limited", komga_server.reader_token)},
        )
    for answer in (wrong_key, wrong_user):
        assert answer.status_code == 401, answer.text
        assert answer.headers["www-authenticate"].lower().startswith("basic")


def test_a_user_limited_to_another_library_gets_404s(komga_server: KomgaServer) -> None:
    library_id, series, books = _ids(komga_server)
    with komga_server.client() as http:
        http.headers["Authorization"] = basic("limited", komga_server.limited_token)
        libraries = http.get("api/v1/libraries").json()
        assert [lib["name"] for lib in libraries] == ["private"]
        visible = http.get("api/v1/series?unpaged=true").json()["content"]
        assert [s["metadata"]["title"] for s in visible] == ["Private"]
        assert not {s["id"] for s in visible} & set(series)
        paths = [f"api/v1/libraries/{library_id}"]
        for sid in series:
            paths += [f"api/v1/series/{sid}", f"api/v1/series/{sid}/books",
                      f"api/v1/series/{sid}/thumbnail"]  # fmt: skip
        for bid in books:
            paths += [f"api/v1/books/{bid}", f"api/v1/books/{bid}/pages",
                      f"api/v1/books/{bid}/pages/1", f"api/v1/books/{bid}/thumbnail",
                      f"api/v1/books/{bid}/next"]  # fmt: skip
        for path in paths:
            answer = http.get(path)
            assert answer.status_code == 404, f"{path}: {answer.status_code}"
            body = answer.json()
            assert body["status"] == 404 and body["path"] == f"/komga/{path}", body
        only_first = http.get(f"api/v1/series?library_id={library_id}&unpaged=true").json()
        assert only_first["content"] == [] and only_first["totalElements"] == 0, only_first
