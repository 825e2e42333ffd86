"""KOReader's sync plugin against a real ``bagboard serve``: signing in, the reference
server's answers, document ids (content and file name, aliases after a rewrite), documents
bagboard does not have yet, and the server's clock.

Every request is made as KOReader makes it (``koreader_support.KOReader``); document ids
are computed here from the files' bytes. What crosses into the other protocols is in
``test_koreader_sync_protocols.py``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.browse_support import BACKENDS
from tests.system.conftest import bagboard, serving
from tests.system.koreader_support import (
    OTHER_PASSWORD,
    PASSWORD,
    PUBLISHER,
    Comic,
    KOReader,
    Served,
    cbz,
    expect_position,
    iso,
    koreader_filename_md5,
    koreader_partial_md5,
    koreader_percentage,
    md5_key,
    now,
    served_collection,
)


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with served_collection(tmp_path_factory.mktemp("kosync"), request.param) as running:
        yield running


def error_code(answer: httpx.Response) -> int:
    assert answer.headers["content-type"] == "application/json", answer.headers
    body = answer.json()
    assert isinstance(body.get("message"), str) and body["message"], body
    return int(body["code"])


# --- signing in -------------------------------------------------------------------------------


def test_the_document_id_here_is_koreaders(tmp_path: Path) -> None:
    """The test's own partial MD5 matches the worked examples of KOReader's loop."""
    vectors = {
        800: "20e127c7581a467b5d3add57bd12342f",
        1024: "9ee0a0e0c0bc0f1ff29d663d1fdf0743",
        5000: "e77dcca7f22a949ae8492c260ca19f32",
        3_000_000: "da96d9df9e3ed2a4e922f3641ba40600",
    }
    for size, digest in vectors.items():
        path = tmp_path / f"{size}.bin"
        path.write_bytes(bytes(k % 251 for k in range(size)))
        assert koreader_partial_md5(path) == digest, size
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    assert koreader_partial_md5(empty) == hashlib.md5(b"").hexdigest()
    assert koreader_filename_md5(Path("/x/Saga 001 (2012).cbz")) == (
        "8d17d0bc645d8cd63e09e66fecca73ca"
    )
    assert md5_key("secret") == "5ebe2294ecd0e0f08eab7690d2a6ee69"


def test_a_user_name_and_the_md5_of_the_web_password_sign_in(served: Served) -> None:
    answer = served.koreader().authorize()
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"authorized": "OK"}


def test_a_device_token_in_the_user_name_field_signs_in_with_any_password(
    served: Served,
) -> None:
    for key in ("anything", md5_key("whatever")):
        client = served.koreader_by_token()
        client.key = key
        answer = client.authorize()
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"authorized": "OK"}


@pytest.mark.parametrize(
    ("user", "key"),
    [
        ("guard", md5_key(PASSWORD + "!")),  # a wrong password
        ("guard", PASSWORD),  # the password itself, not its MD5
        ("nobody", md5_key(PASSWORD)),  # no such user
        ("revoked", "anything"),  # a revoked token in the user field
    ],
    ids=["wrong-key", "plain-password", "unknown-user", "revoked-token"],
)
def test_wrong_credentials_are_401_with_code_2001(served: Served, user: str, key: str) -> None:
    name = served.revoked_token if user == "revoked" else user
    client = KOReader(served.kosync, name, key)
    # Two calls each: five failures for one name would lock it (the next test's subject),
    # twenty from one address all of them.
    second = client.push("0" * 32, 1, 2) if user == "guard" else client.pull("0" * 32)
    for answer in (client.authorize(), second):
        assert answer.status_code == 401, answer.text
        assert error_code(answer) == 2001


def test_failed_sign_ins_are_throttled(served: Served) -> None:
    wrong = KOReader(served.kosync, "locked", md5_key("guess"))
    for _ in range(5):
        assert wrong.authorize().status_code == 401
    right = served.koreader("locked")
    answer = right.authorize()
    assert answer.status_code in (401, 429), answer.text
    assert answer.status_code != 200


def test_registration_is_refused_with_402_and_code_2005(served: Served) -> None:
    client = KOReader(served.kosync, "", "")
    body = {"username": "newcomer", "password": md5_key("newcomer")}
    answer = client.call("POST", "/users/create", body=body, signed=False)
    assert answer.status_code == 402, answer.text
    assert error_code(answer) == 2005
    # Nobody was made: the name cannot sign in.
    assert KOReader(served.kosync, "newcomer", md5_key("newcomer")).authorize().status_code == 401


def test_healthcheck(served: Served) -> None:
    answer = KOReader(served.kosync, "", "").call("GET", "/healthcheck", signed=False)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"state": "OK"}


def test_the_start_up_lines_give_the_sync_address(served: Served) -> None:
    assert f"{served.base}/koreader (custom sync server)" in served.log.read_text()


def test_a_changed_password_changes_the_key(served: Served) -> None:
    old, new = served.koreader("changer"), served.koreader("changer", "a new one")
    assert old.authorize().status_code == 200
    served.storage.set_password("changer", "a new one")
    assert new.authorize().status_code == 200
    # The server's change feed tells it the hash changed: the next sign-in reads it again.
    answer = old.authorize()
    assert answer.status_code == 401, answer.text
    assert error_code(answer) == 2001


def test_a_password_set_before_kosync_existed_works_after_one_web_sign_in(
    served: Served,
) -> None:
    """Its KOReader key hash is made the first time the password itself is seen."""
    engine = create_engine(served.storage.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("update users set kosync_key_hash = null where name = 'upgraded'"))
    finally:
        engine.dispose()
    kobo = served.koreader("upgraded")
    assert kobo.authorize().status_code == 401
    with served.web("upgraded"):
        pass
    assert kobo.authorize().status_code == 200


# --- the reference server's answers -----------------------------------------------------------


def test_an_unknown_document_is_200_with_an_empty_object(served: Served) -> None:
    answer = served.koreader().pull(hashlib.md5(b"no such book").hexdigest())
    assert answer.status_code == 200, answer.text
    # Exactly this: several KOReader builds decode no other value.
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {}


def test_a_push_answers_200_with_the_document_and_the_servers_time(served: Served) -> None:
    comic = served.comic("stamped")
    before = now()
    answer = served.koreader().push(comic.document, 2, comic.pages)
    after = now()
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["document"] == comic.document
    assert isinstance(body["timestamp"], int) and before <= body["timestamp"] <= after + 1, body


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"document": None}, 2004),
        ({"document": ""}, 2004),
        ({"document": "a:b"}, 2004),
        ({"percentage": "half"}, 2003),
        ({"progress": None}, 2003),
        ({"device": None}, 2003),
    ],
    ids=["no-document", "empty-document", "colon", "percentage-text", "no-progress", "no-device"],
)
def test_a_malformed_push_is_403_with_the_reference_code(
    served: Served, change: dict[str, object], code: int
) -> None:
    client = served.koreader()
    body = client.payload(served.comic("stamped").document, 1, 6)
    for key, value in change.items():
        if value is None:
            del body[key]
        else:
            body[key] = value
    answer = client.call("PUT", "/syncs/progress", body=body)
    assert answer.status_code == 403, answer.text
    assert error_code(answer) == code


def test_an_unknown_route_is_a_404_in_the_error_envelope(served: Served) -> None:
    answer = served.koreader().call("GET", "/syncs/nothing-here")
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert {"code", "message"} <= set(answer.json())


def test_a_doubled_slash_from_a_trailing_slash_in_the_address_works(served: Served) -> None:
    comic = served.comic("slashes")
    # The user typed "http://host:8000/koreader/": KOReader appends "/users/auth".
    client = served.koreader()
    client.server = served.kosync + "/"
    assert client.authorize().status_code == 200
    assert client.push(comic.document, 4, comic.pages).status_code == 200
    expect_position(client.pulled(comic.document), comic.document, 4, comic.pages)
    assert served.api_position(comic)["page_number"] == 4


def test_no_accept_header_is_served_too(served: Served) -> None:
    comic = served.comic("no-accept")
    client = served.koreader()
    assert client.authorize(accept=False).status_code == 200
    assert client.push(comic.document, 3, comic.pages, accept=False).status_code == 200
    answer = client.pull(comic.document, accept=False)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    expect_position(answer.json(), comic.document, 3, comic.pages)


def test_progress_sent_as_a_number_is_read_as_the_page(served: Served) -> None:
    comic = served.comic("numeric")
    client = served.koreader()
    body = client.payload(comic.document, 5, comic.pages) | {"progress": 5}
    assert client.call("PUT", "/syncs/progress", body=body).status_code == 200
    assert served.api_position(comic)["page_number"] == 5
    expect_position(client.pulled(comic.document), comic.document, 5, comic.pages)


# --- document ids -----------------------------------------------------------------------------


def test_filename_matching_finds_the_comic_by_its_name(served: Served) -> None:
    comic = served.comic("named")
    by_name = koreader_filename_md5(comic.path)
    client = served.koreader()
    assert client.push(by_name, 3, comic.pages).status_code == 200
    assert served.api_position(comic)["page_number"] == 3
    expect_position(client.pulled(by_name), by_name, 3, comic.pages)
    # The same comic under binary matching: one position.
    expect_position(client.pulled(comic.document), comic.document, 3, comic.pages)


def test_a_rewritten_file_still_answers_to_its_old_digest(served: Served) -> None:
    comic = served.comic("rewritten")
    old = comic.document
    client = served.koreader()
    assert client.push(old, 4, comic.pages).status_code == 200

    # A tagger rewrites the ComicInfo: a new file replaces the old one.
    scratch = comic.path.with_name(".rewrite.tmp")
    cbz(scratch, comic.pages, title="rewritten, now with a much longer title")
    os.replace(scratch, comic.path)
    new = koreader_partial_md5(comic.path)
    assert new != old
    served.scan()

    # KOReader keeps the digest it computed at the first opening.
    expect_position(client.pulled(old), old, 4, comic.pages)
    assert client.push(old, 6, comic.pages).status_code == 200
    assert served.api_position(comic)["page_number"] == 6
    # A device opening the new file for the first time sees the same position.
    expect_position(client.pulled(new), new, 6, comic.pages)


def test_a_file_grown_by_an_appended_member_still_answers_to_its_old_digest(
    served: Served,
) -> None:
    comic = served.comic("appended")
    old = comic.document
    client = served.koreader()
    assert client.push(old, 3, comic.pages).status_code == 200
    # A tool appends a note: the file grows past KOReader's 16 KiB sample.
    with zipfile.ZipFile(comic.path, "a") as archive:
        archive.writestr("notes.txt", os.urandom(20_000))
    new = koreader_partial_md5(comic.path)
    assert new != old
    served.scan()
    assert served.listed(comic)["page_count"] == comic.pages
    expect_position(client.pulled(old), old, 3, comic.pages)
    expect_position(client.pulled(new), new, 3, comic.pages)


def test_a_renamed_file_keeps_its_content_id_and_position(served: Served) -> None:
    comic = served.comic("moved")
    document = comic.document
    client = served.koreader()
    assert client.push(document, 5, comic.pages).status_code == 200
    target = served.collection.root / PUBLISHER / "Moved Here" / "Moved #1 (2020).cbz"
    target.parent.mkdir()
    os.rename(comic.path, target)
    served.scan()
    moved = Comic(target, comic.pages)
    assert moved.document == document
    assert served.api_position(moved)["page_number"] == 5
    expect_position(client.pulled(document), document, 5, comic.pages)
    # Under Filename matching the new name is the id now.
    by_name = koreader_filename_md5(target)
    expect_position(client.pulled(by_name), by_name, 5, comic.pages)


def test_an_unknown_document_is_kept_and_attached_when_the_comic_appears(
    served: Served,
) -> None:
    outside = served.comic("later")
    document = outside.document
    client = served.koreader()
    before = now()
    answer = client.push(document, 5, outside.pages)
    assert answer.status_code == 200, answer.text
    assert answer.json()["document"] == document
    body = client.pulled(document)
    expect_position(body, document, 5, outside.pages, since=before)
    assert (body["device"], body["device_id"]) == (client.device, client.device_id)

    # The same file is copied into the library and scanned.
    target = served.collection.root / PUBLISHER / "Later" / outside.path.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(outside.path, target)
    served.scan()
    arrived = Comic(target, outside.pages)
    position = served.api_position(arrived)
    assert position is not None and position["page_number"] == 5, position
    listed = served.listed(arrived)
    assert (listed["has_progress"], listed["last_page"]) == (True, 5)
    expect_position(client.pulled(document), document, 5, outside.pages)


def test_a_reflowable_books_position_is_kept_as_sent(served: Served) -> None:
    """KOReader syncs its EPUBs to the same server: bagboard has no such book, and answers
    with exactly what was stored."""
    document = hashlib.md5(b"an EPUB bagboard does not serve").hexdigest()
    client = served.koreader()
    body = {
        "document": document,
        "progress": "/body/DocFragment[12]/body/div/p[3]/text().42",
        "percentage": 0.4242,
        "device": client.device,
        "device_id": client.device_id,
    }
    assert client.call("PUT", "/syncs/progress", body=body).status_code == 200
    pulled = client.pulled(document)
    assert {key: pulled.get(key) for key in body} == body
    assert isinstance(pulled["timestamp"], int)


def test_another_users_positions_are_their_own(served: Served) -> None:
    comic = served.comic("others")
    assert served.koreader().push(comic.document, 2, comic.pages).status_code == 200
    other = served.koreader("other", OTHER_PASSWORD)
    assert other.pulled(comic.document) == {}
    assert other.push(comic.document, 3, comic.pages).status_code == 200
    assert served.api_position(comic)["page_number"] == 2
    expect_position(served.koreader().pulled(comic.document), comic.document, 2, comic.pages)


def test_byte_identical_copies_both_take_the_write(served: Served) -> None:
    first, second = served.comic("twin-a"), served.comic("twin-b")
    assert first.document == second.document
    client = served.koreader()
    assert client.push(first.document, 4, first.pages).status_code == 200
    assert served.api_position(first)["page_number"] == 4
    assert served.api_position(second)["page_number"] == 4
    expect_position(client.pulled(first.document), first.document, 4, first.pages)


def test_one_file_name_in_two_folders_names_neither(served: Served) -> None:
    first, second = served.comic("same-1"), served.comic("same-2")
    by_name = koreader_filename_md5(first.path)
    assert by_name == koreader_filename_md5(second.path)
    client = served.koreader()
    assert client.push(by_name, 3, 4).status_code == 200
    assert served.api_position(first) is None
    assert served.api_position(second) is None
    # Kept as sent, like any unmatched document.
    expect_position(client.pulled(by_name), by_name, 3, 4)
    # By content each is found.
    assert client.push(second.document, 2, second.pages).status_code == 200
    assert served.api_position(second)["page_number"] == 2


def test_a_cb7_is_not_synced_by_page(served: Served) -> None:
    comic = served.comic("cb7")
    client = served.koreader()
    assert client.push(comic.document, 2, comic.pages).status_code == 200
    assert served.api_position(comic) is None
    assert client.pulled(comic.document)["progress"] == "2"


def test_a_user_limited_to_a_library_reaches_nothing_outside_it(served: Served) -> None:
    unseen, private = served.comic("unseen"), served.comic("private")
    kid = served.koreader("kid")
    assert kid.push(unseen.document, 2, unseen.pages).status_code == 200
    assert served.api_position(unseen) is None
    assert served.koreader().pulled(unseen.document) == {}
    assert served.api_position(unseen, served.kid_token) is None
    assert kid.push(private.document, 3, private.pages).status_code == 200
    assert served.api_position(private, served.kid_token)["page_number"] == 3


def test_a_write_that_changes_nothing_keeps_the_time(served: Served) -> None:
    comic = served.comic("idle")
    client = served.koreader()
    assert client.push(comic.document, 3, comic.pages).status_code == 200
    first = client.pulled(comic.document)["timestamp"]
    time.sleep(1.2)
    assert client.push(comic.document, 3, comic.pages).status_code == 200
    assert client.pulled(comic.document)["timestamp"] == first
    with served.api() as api:
        feed = api.get("/api/v1/progress/since", params={"ts": first + 1}).json()
    assert str(comic.path) not in [item["comic_path"] for item in feed["items"]], feed


# --- the server's clock -----------------------------------------------------------------------


def test_a_client_clock_ahead_never_reaches_koreader(served: Served) -> None:
    comic = served.comic("ahead")
    before = now()
    body = {"path": str(comic.path), "page_number": 4, "updated_at": before + 3600}
    with served.api() as api:
        assert api.put("/api/v1/progress", json=body).status_code == 200
    expect_position(served.koreader().pulled(comic.document), comic.document, 4, comic.pages,
                    since=before)  # fmt: skip


def test_a_client_clock_behind_never_reaches_koreader(served: Served) -> None:
    comic = served.comic("behind")
    before = now()
    body = {"position": 6, "modified": iso(before - 86400), "device": {"id": "urn:x:tablet"}}
    with served.api() as api:
        answer = api.put(f"/opds/v2.0/issue/{served.comic_id(comic)}/progression", json=body)
    assert answer.status_code == 200, answer.text
    expect_position(served.koreader().pulled(comic.document), comic.document, 6, comic.pages,
                    since=before)  # fmt: skip


def test_a_phone_a_little_behind_may_write_after_koreader(served: Served) -> None:
    """KOReader's writes are stamped by the server; a phone whose clock lags by seconds still
    writes after one, one that replays a position from ten minutes ago does not."""
    comic = served.comic("tolerance")
    assert served.koreader().push(comic.document, 3, comic.pages).status_code == 200
    with served.api() as api:
        stale = {"path": str(comic.path), "page_number": 9, "updated_at": now() - 600}
        answer = api.put("/api/v1/progress", json=stale)
        assert answer.status_code == 409, answer.text
        assert served.api_position(comic)["page_number"] == 3
        lagging = {"path": str(comic.path), "page_number": 5, "updated_at": now() - 30}
        answer = api.put("/api/v1/progress", json=lagging)
        assert answer.status_code == 200, answer.text
    assert served.api_position(comic)["page_number"] == 5
    pulled = served.koreader().pulled(comic.document)
    assert pulled["progress"] == "5"
    assert pulled["percentage"] == koreader_percentage(5, comic.pages)


def test_a_comic_the_running_server_finds_picks_up_its_waiting_position(
    tmp_path: Path,
) -> None:
    """No ``bagboard scan`` by hand: the server watches its library, and a position KOReader
    sent before the comic arrived is there once the server has indexed it. Two worker
    processes answer, so what one stored the other must read."""
    library = (tmp_path / "comics").resolve()
    library.mkdir()
    cbz(library / "Indie" / "Old" / "Old 001.cbz", 3, title="already there")
    outside = cbz(tmp_path / "device" / "Arrival 001.cbz", 9, title="arrival")
    data = tmp_path / "data"
    bagboard("scan", "--library", str(library), "--workers", "0", data_dir=data)
    bagboard("user", "add", "reader", data_dir=data)
    secret = bagboard("token", "create", "--user", "reader", data_dir=data).stdout.strip()
    with serving("--workers", "2", data_dir=data, log=tmp_path / "serve.log",
                 headers={"Authorization": f"Bearer {secret}"}) as base:  # fmt: skip
        kobo = KOReader(base + "/koreader", secret, "anything")
        document = koreader_partial_md5(outside)
        assert kobo.push(document, 7, 9).status_code == 200
        target = library / "Indie" / "Arrival" / outside.name
        target.parent.mkdir()
        shutil.copyfile(outside, target)
        deadline = time.monotonic() + 30
        position = None
        while position is None and time.monotonic() < deadline:
            time.sleep(0.5)
            answer = httpx.get(base + "/api/v1/progress", params={"path": str(target)},
                               headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
            position = answer.json()
        assert position is not None, "the waiting position never reached the comic"
        assert position["page_number"] == 7
        expect_position(kobo.pulled(document), document, 7, 9)
        for page in (8, 2, 9, 4, 5, 1):
            assert kobo.push(document, page, 9).status_code == 200
            expect_position(kobo.pulled(document), document, page, 9)
