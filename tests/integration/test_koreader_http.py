"""``/koreader`` on the real app over a scanned library, on every SQL backend: KOReader's
sign-in both ways, its wire rules, and its positions in the one progress store that
``/api/v1``, OPDS and ``/komga`` read (research note §4.7)."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from bagboard.config import load_settings
from bagboard.domain.kosync import name_md5, partial_md5
from bagboard.domain.model import Library, Role, User
from bagboard.library import ComicLibrary
from tests.archive_factory import jpeg, write_cbz
from tests.browse_support import BACKENDS, database_url

PASSWORD = "correct horse battery"
KEY = hashlib.md5(PASSWORD.encode()).hexdigest()
SAGA = "Saga/Saga 001 (2012).cbz"  # 60 pages
SHORT = "Short/Short 01.cbz"  # 3 pages
LATER = "Later/Later 01.cbz"  # 4 pages, copied in after the first scan
LATER_TOO = "Later/Later 02.cbz"  # 5 pages, likewise
UNKNOWN = "0123456789abcdef0123456789abcdef"
KOREADER_ACCEPT = "application/vnd.koreader.v1+json"
KOBO, KOBO_ID = "Kobo Libra 2", "5b3d1c0f8a7e4e2d9c6b"


def _pages(count: int) -> dict[str, bytes]:
    # A different image per page, so no two of these comics share bytes.
    return {f"p{n:03}.jpg": jpeg((n * 3 % 256, count, 40)) for n in range(1, count + 1)}


@dataclass
class World:
    app: ComicLibrary
    client: TestClient[Any]
    library: Library
    root: Path
    spare: Path  # files not in the library yet
    owner: str  # an owner's token
    _names: Iterator[int] = field(default_factory=lambda: count(1))

    def comic_id(self, relative: str) -> int:
        comic = self.app.container.library_index().comic_at(f"{self.library.root}/{relative}")
        assert comic is not None, relative
        return int(comic.id)

    def document(self, relative: str) -> str:
        with (self.root / relative).open("rb") as file:
            return partial_md5(file)

    def reader(self, password: bool = True) -> tuple[User, str]:
        """A new user who sees everything, with a KOReader key when ``password``, and the
        secret of a token named after KOReader."""
        name = f"koreader{next(self._names)}"
        user = self.app.accounts.add_user(name, Role.READER, None)
        if password:
            self.app.container.password_check().set(user, PASSWORD)
        return user, self.app.accounts.create_token(name, "KOReader on Kobo").secret


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    base = tmp_path_factory.mktemp(f"koreader-{request.param}")
    root, spare = (base / "comics").resolve(), (base / "spare").resolve()
    made = ((root, SAGA, 60), (root, SHORT, 3), (spare, LATER, 4), (spare, LATER_TOO, 5))
    for folder, relative, pages in made:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        write_cbz(folder / relative, _pages(pages))
    with database_url(request.param, base) as url:
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(base / "data"), database_url=url), workers=0
        )
        try:
            library = app.libraries.add(str(root), "Comics")
            app.scan(str(root))
            owner = app.accounts.create_token().secret
            with TestClient(app.create_app(access_log=True)) as client:
                yield World(app, client, library, root, spare, owner)
        finally:
            app.close()


def call(
    world: World,
    method: str,
    path: str,
    user: str | None = None,
    key: str | None = KEY,
    body: Any = None,
    *,
    accept: str | None = KOREADER_ACCEPT,
) -> httpx.Response:
    """A request as KOReader makes it; every reply is checked for the exact content type."""
    headers = {"Content-Type": "application/json"}
    if user is not None:
        headers["x-auth-user"] = user
    if key is not None:
        headers["x-auth-key"] = key
    content = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = world.client.build_request(method, path, headers=headers, content=content)
    if accept is None:
        del request.headers["accept"]
    else:
        request.headers["accept"] = accept
    response = world.client.send(request)
    assert response.headers.get_list("content-type") == ["application/json"], response.headers
    return response


def push(
    world: World, user: str, document: str, progress: Any, percentage: Any, **more: Any
) -> httpx.Response:
    body = {
        "document": document,
        "progress": progress,
        "percentage": percentage,
        "device": KOBO,
        "device_id": KOBO_ID,
    } | more
    return call(world, "PUT", "/koreader/syncs/progress", user, body=body)


def pull(world: World, user: str, document: str, key: str | None = KEY) -> dict[str, Any]:
    response = call(world, "GET", f"/koreader/syncs/progress/{document}", user, key)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def refused(response: httpx.Response, status: int, code: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == code, body
    message: str = body["message"]
    return message


# --- transport -------------------------------------------------------------------------------


def test_the_healthcheck_answers_plain_json(world: World) -> None:
    response = call(world, "GET", "/koreader/healthcheck", accept=None)
    assert (response.status_code, response.json()) == (200, {"state": "OK"})
    assert response.headers["content-type"] == "application/json"


def test_registration_is_always_refused(world: World) -> None:
    body = {"username": "new", "password": KEY}
    response = call(world, "POST", "/koreader/users/create", body=body)
    assert refused(response, 402, 2005) == "User registration is disabled."
    assert world.app.container.users().get_by_name("new") is None


def test_unknown_paths_and_methods_get_the_envelope(world: World) -> None:
    refused(call(world, "GET", "/koreader/nope"), 404, 404)
    refused(call(world, "GET", "/koreader/"), 404, 404)
    refused(call(world, "DELETE", "/koreader/syncs/progress"), 405, 405)


def test_a_body_over_the_limit_is_refused_clearly(world: World) -> None:
    _, token = world.reader(password=False)
    body = b'{"document": "' + b"a" * (70 * 1024) + b'"}'
    response = call(world, "PUT", "/koreader/syncs/progress", token, body=body)
    assert "64 KiB" in refused(response, 413, 413)


# --- sign-in ---------------------------------------------------------------------------------


def test_a_user_signs_in_with_the_md5_of_their_password(world: World) -> None:
    user, _ = world.reader()
    response = call(world, "GET", "/koreader/users/auth", user.name)
    assert (response.status_code, response.json()) == (200, {"authorized": "OK"})
    wrong = hashlib.md5(b"not it").hexdigest()
    response = call(world, "GET", "/koreader/users/auth", user.name, wrong)
    assert refused(response, 401, 2001) == "Unauthorized"
    assert wrong not in response.text and user.name not in response.text
    refused(call(world, "GET", "/koreader/users/auth"), 401, 2001)
    refused(call(world, "GET", f"/koreader/syncs/progress/{UNKNOWN}", user.name, None), 401, 2001)


def test_a_token_in_the_user_name_field_signs_its_user_in(world: World) -> None:
    user, token = world.reader(password=False)
    response = call(world, "GET", "/koreader/users/auth", token, "any dummy value")
    assert (response.status_code, response.json()) == (200, {"authorized": "OK"})
    refused(call(world, "GET", "/koreader/users/auth", user.name), 401, 2001)  # no key set
    token_id = next(t.id for t in world.app.accounts.list_tokens(user.name))
    world.app.accounts.revoke_token(token_id)
    world.app.authenticator.forget()
    refused(call(world, "GET", "/koreader/users/auth", token, "x"), 401, 2001)


def test_repeated_wrong_keys_are_throttled(world: World) -> None:
    user, _ = world.reader()
    for _ in range(5):
        refused(call(world, "GET", "/koreader/users/auth", user.name, "0" * 32), 401, 2001)
    response = call(world, "GET", "/koreader/users/auth", user.name)  # the right key
    refused(response, 429, 429)
    assert int(response.headers["retry-after"]) > 0


def test_no_key_or_token_reaches_the_log(world: World, caplog: pytest.LogCaptureFixture) -> None:
    user, token = world.reader()
    with caplog.at_level(logging.DEBUG):
        call(world, "GET", "/koreader/users/auth", user.name)
        call(world, "GET", "/koreader/users/auth", token, "dummy")
        call(world, "GET", "/koreader/users/auth", user.name, "f" * 32)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/koreader/users/auth" in logged  # the access log did write
    for secret in (KEY, token, "f" * 32):
        assert secret not in logged


# --- input -----------------------------------------------------------------------------------


def test_bodies_are_checked_as_the_reference_checks_them(world: World) -> None:
    _, token = world.reader(password=False)
    put = "/koreader/syncs/progress"
    refused(call(world, "PUT", put, token, body=b"{not json"), 400, 103)
    refused(call(world, "PUT", put, token, body=b"[1, 2]"), 400, 104)
    refused(push(world, token, UNKNOWN, "3", "0.5"), 403, 2003)
    refused(push(world, token, UNKNOWN, "3", True), 403, 2003)
    refused(push(world, token, UNKNOWN, None, 0.5), 403, 2003)
    refused(push(world, token, UNKNOWN, "3", 0.5, device=None), 403, 2003)
    refused(push(world, token, "a:b", "3", 0.5), 403, 2004)
    refused(push(world, token, "", "3", 0.5), 403, 2004)
    refused(call(world, "PUT", put, token, body={"progress": "3", "percentage": 0.5}), 403, 2004)
    refused(call(world, "GET", "/koreader/syncs/progress/a:b", token), 403, 2004)
    assert pull(world, token, UNKNOWN) == {}  # nothing refused was kept


def test_an_unknown_document_is_an_empty_object_without_an_accept_header(world: World) -> None:
    _, token = world.reader(password=False)
    response = call(world, "GET", f"/koreader/syncs/progress/{UNKNOWN}", token, accept=None)
    assert (response.status_code, response.json()) == (200, {})
    assert response.content == b"{}"


def test_a_doubled_slash_from_a_trailing_one_in_the_setting_works(world: World) -> None:
    _, token = world.reader(password=False)
    body = {"document": UNKNOWN, "progress": "2", "percentage": 0.1, "device": KOBO}
    response = call(world, "PUT", "/koreader//syncs/progress", token, body=body)
    assert response.status_code == 200, response.text
    response = call(world, "GET", f"/koreader//syncs/progress/{UNKNOWN}", token)
    assert response.json()["progress"] == "2"


# --- positions -------------------------------------------------------------------------------


def test_a_page_written_by_koreader_is_the_page_every_protocol_reads(world: World) -> None:
    user, token = world.reader()
    document, comic_id = world.document(SAGA), world.comic_id(SAGA)
    response = push(world, user.name, document, "56", 0.9333)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"document", "timestamp"} and answer["document"] == document
    assert isinstance(answer["timestamp"], int)
    position = world.app.progress.position_of(user, comic_id)
    assert position is not None and (position.page_number, position.total_pages) == (56, 60)
    book = world.client.get(f"/komga/api/v1/books/{comic_id}", headers={"X-API-Key": token})
    assert book.json()["readProgress"]["page"] == 56
    assert pull(world, user.name, document) == {
        "document": document,
        "progress": "56",
        "percentage": 0.9333,
        "device": KOBO,
        "device_id": KOBO_ID,
        "timestamp": answer["timestamp"],
    }


def test_a_number_and_a_name_digest_are_understood(world: World) -> None:
    user, token = world.reader(password=False)
    by_name = name_md5(SHORT)
    assert push(world, token, by_name, 2, 0.6666).status_code == 200
    position = world.app.progress.position_of(user, world.comic_id(SHORT))
    assert position is not None and position.page_number == 2
    assert pull(world, token, world.document(SHORT))["progress"] == "2"


def test_the_last_page_marks_read_and_a_stale_replay_never_unmarks(world: World) -> None:
    user, token = world.reader(password=False)
    document, comic_id = world.document(SAGA), world.comic_id(SAGA)
    assert push(world, token, document, "60", 1.0).status_code == 200
    assert world.app.progress.readings(user, [comic_id])[comic_id].is_read
    assert push(world, token, document, "12", 0.2).status_code == 200  # a queued replay
    reading = world.app.progress.readings(user, [comic_id])[comic_id]
    assert reading.is_read and reading.last_page == 12


def test_a_komga_write_is_what_koreader_pulls_next(world: World) -> None:
    user, token = world.reader()
    document, comic_id = world.document(SAGA), world.comic_id(SAGA)
    before = push(world, user.name, document, "10", 0.1666).json()["timestamp"]
    patched = world.client.patch(
        f"/komga/api/v1/books/{comic_id}/read-progress",
        json={"page": 30},
        headers={"X-API-Key": token},
    )
    assert patched.status_code == 204, patched.text
    found = pull(world, user.name, document)
    assert (found["progress"], found["percentage"]) == ("30", 0.5)
    assert found["device_id"] != KOBO_ID and found["device_id"].startswith("urn:bagboard:token:")
    assert found["device"] == "KOReader on Kobo"
    assert found["timestamp"] >= before


def test_an_unmatched_document_round_trips(world: World) -> None:
    _, token = world.reader(password=False)
    xpointer = "/body/DocFragment[20]/body/p[4]/text().0"
    assert push(world, token, UNKNOWN, xpointer, 0.42).status_code == 200
    found = pull(world, token, UNKNOWN)
    assert {k: found[k] for k in ("document", "progress", "percentage", "device_id")} == {
        "document": UNKNOWN,
        "progress": xpointer,
        "percentage": 0.42,
        "device_id": KOBO_ID,
    }
    other, _ = world.reader()
    assert pull(world, other.name, UNKNOWN) == {}


@pytest.mark.parametrize(
    ("relative", "scan"),
    [
        (LATER, lambda world: world.app.scan(str(world.root))),  # `bagboard scan`, a program
        (LATER_TOO, lambda world: world.app.container.scan_jobs().scan(world.library)),  # serve
    ],
    ids=["library", "server"],
)
def test_an_unmatched_document_attaches_when_a_scan_finds_its_comic(
    world: World, relative: str, scan: Callable[[World], object]
) -> None:
    user, token = world.reader(password=False)
    with (world.spare / relative).open("rb") as file:
        document = partial_md5(file)
    assert push(world, token, document, "3", 0.75).status_code == 200
    assert pull(world, token, document)["progress"] == "3"  # kept as sent
    (world.root / relative).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(world.spare / relative, world.root / relative)
    scan(world)
    comic_id = world.comic_id(relative)
    position = world.app.progress.position_of(user, comic_id)
    assert position is not None and position.page_number == 3
    assert position.device is not None and position.device.id == KOBO_ID
    found = pull(world, token, document)
    pages = 4 if relative == LATER else 5
    assert (found["progress"], found["percentage"]) == ("3", math.floor(3 / pages * 10000) / 10000)


def test_a_comic_marked_read_elsewhere_pulls_as_finished(world: World) -> None:
    user, token = world.reader(password=False)
    document = world.document(SHORT)
    world.app.progress.mark_read(user, f"{world.library.root}/{SHORT}")
    found = pull(world, token, document)
    assert (found["progress"], found["percentage"]) == ("3", 1.0)
    assert found["device_id"] == "bagboard"
