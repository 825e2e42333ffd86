"""``library remove``, ``user remove``, ``user update`` and ``problems``: the commands, run
in-process on a real SQLite database, with real archives scanned by the real scanner; reading
state is written and read through the same services the server uses."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.config import load_settings
from bagboard.domain.errors import Unauthorized
from bagboard.domain.model import Role
from bagboard.domain.progress import ProgressChange
from bagboard.domain.shelves import Shelf
from bagboard.library import ComicLibrary, open_library
from tests.unit import cli_support
from tests.unit.cli_support import Run
from tests.unit.scan_support import write_cbz

# The shared fixtures, bound here by name.
data_dir = cli_support.data_dir
run = cli_support.run


@pytest.fixture
def comics(tmp_path: Path) -> Path:
    root = tmp_path / "comics"
    write_cbz(root / "Acme" / "Hero" / "Hero 001.cbz", pages=3, series="Hero", number="1")
    write_cbz(root / "Acme" / "Hero" / "Hero 002.cbz", pages=3, series="Hero", number="2")
    return root


@contextmanager
def opened(data_dir: Path) -> Iterator[ComicLibrary]:
    with open_library(data_dir) as app:
        yield app


def rows(data_dir: Path, query: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(data_dir / "bagboard.db")
    try:
        return db.execute(query).fetchall()
    finally:
        db.close()


# --- library remove -----------------------------------------------------------------------


def test_a_library_removed_and_added_back_brings_back_positions_and_marks(
    run: Run, data_dir: Path, comics: Path
) -> None:
    hero = str(comics / "Acme" / "Hero" / "Hero 001.cbz")
    assert run("library", "add", str(comics))[0] == 0
    assert run("scan")[0] == 0
    assert run("user", "add", "kid", "--library", str(comics))[0] == 0
    with opened(data_dir) as app:
        kid = app.accounts.user("kid")
        app.progress.save(kid, hero, ProgressChange(page_number=2, total_pages=3))
        app.progress.mark_read(kid, hero)  # moves the position on to the last page, 3
        app.shelves.add(kid, Shelf.TO_READ, hero)
        assert app.shelves.shelf(kid, Shelf.TO_READ).total == 1

    code, out, err = run("library", "remove", str(comics))
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert out.startswith("removed library 1: comics (")
    assert "reading positions and read marks are kept" in out
    assert "lost access to it: kid (now sees no library)" in out
    assert run("library", "list")[1] == ""
    assert rows(data_dir, "select count(*) from comics") == [(0,)]
    assert rows(data_dir, "select count(*) from folders") == [(0,)]
    assert rows(data_dir, "select count(*) from user_libraries") == [(0,)]
    # Positions and marks are kept by path, no longer linked; shelf entries are gone.
    assert rows(data_dir, "select comic_id, comic_path, page_number from reading_progress") == [
        (None, hero, 3)
    ]
    assert rows(data_dir, "select comic_id, comic_path, deleted from read_marks") == [
        (None, hero, 0)
    ]
    assert rows(data_dir, "select count(*) from shelf_entries") == [(0,)]

    assert run("library", "add", str(comics))[0] == 0
    assert run("scan")[0] == 0
    assert run("user", "update", "kid", "--library", str(comics))[0] == 0
    with opened(data_dir) as app:
        kid = app.accounts.user("kid")
        comic = app.container.library_index().comic_at(hero)
        assert comic is not None
        detail = app.issues.detail(kid, comic.id)
        assert detail.progress is not None and detail.progress.page_number == 3
        assert detail.reading.is_read
        assert app.shelves.shelf(kid, Shelf.TO_READ).total == 0


def test_a_library_is_found_by_name_and_by_a_path_gone_from_disk(
    run: Run, comics: Path, tmp_path: Path
) -> None:
    other = tmp_path / "manga"
    other.mkdir()
    run("library", "add", str(comics), "--name", "Comics")
    run("library", "add", str(other))
    code, out, _ = run("library", "remove", "COMICS")
    assert code == 0 and out.startswith("removed library 1: Comics")
    assert "lost access" not in out
    other.rmdir()
    code, out, _ = run("library", "remove", str(other))
    assert code == 0 and out.startswith("removed library 2: manga")


@pytest.mark.parametrize("target", ["/definitely/not/here", "nameless"])
def test_removing_an_unknown_library_is_a_one_line_error(
    run: Run, comics: Path, target: str
) -> None:
    run("library", "add", str(comics))
    code, out, err = run("library", "remove", target)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("bagboard: error: no library at")
    assert "comics" in run("library", "list")[1]


# --- user remove and update ---------------------------------------------------------------


def test_the_last_owner_cannot_be_removed_or_demoted(run: Run) -> None:
    run("user", "add", "boss", "--role", "owner")
    for args in (("user", "remove", "boss"), ("user", "update", "boss", "--role", "reader")):
        code, out, err = run(*args)
        assert (code, out) == (1, "")
        assert err.count("\n") == 1 and "last owner" in err
    run("user", "add", "second", "--role", "owner")
    code, out, _ = run("user", "update", "boss", "--role", "reader")
    assert code == 0 and out == "updated user 1: boss (reader; all libraries)\n"
    code, _, err = run("user", "remove", "second")
    assert code == 1 and "last owner" in err


def test_removing_a_user_takes_its_tokens_and_reading_state(run: Run, data_dir: Path) -> None:
    run("user", "add", "boss", "--role", "owner")
    run("user", "add", "kid")
    kid_secret = run("token", "create", "--user", "kid")[1].strip()
    run("token", "create", "--user", "kid")
    boss_secret = run("token", "create", "--user", "boss")[1].strip()
    with opened(data_dir) as app:
        kid = app.accounts.user("kid")
        app.progress.save(kid, "/srv/x.cbz", ProgressChange(page_number=4))
        assert app.authenticator.authenticate(f"Bearer {kid_secret}").name == "kid"
    code, out, err = run("user", "remove", "KID")
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert out.startswith("removed user 2: kid (reader) with 2 tokens")
    assert "reading positions" in out and "from its next request" in out
    assert "kid" not in run("user", "list")[1]
    assert rows(data_dir, "select count(*) from reading_progress") == [(0,)]
    assert rows(data_dir, "select distinct user_id from api_tokens") == [(1,)]
    with opened(data_dir) as app:
        assert app.authenticator.authenticate(f"Bearer {boss_secret}").name == "boss"
        with pytest.raises(Unauthorized):
            app.authenticator.authenticate(f"Bearer {kid_secret}")
    code, _, err = run("user", "remove", "kid")
    assert code == 1 and err == "bagboard: error: no user named 'kid'\n"


def test_update_changes_the_role_and_replaces_or_lifts_the_allowance(
    run: Run, comics: Path, tmp_path: Path
) -> None:
    manga = tmp_path / "manga"
    manga.mkdir()
    run("library", "add", str(comics))
    run("library", "add", str(manga), "--name", "Manga")
    run("user", "add", "kid", "--library", str(comics))
    code, out, _ = run("user", "update", "kid", "--library", str(manga), "--library", "comics")
    assert code == 0 and out == f"updated user 1: kid (reader; {comics}, {manga})\n"
    code, out, _ = run("user", "update", "kid", "--library", "manga")
    assert out == f"updated user 1: kid (reader; {manga})\n"
    code, out, _ = run("user", "update", "kid", "--role", "owner")
    assert out == f"updated user 1: kid (owner; {manga})\n"
    code, out, _ = run("user", "update", "kid", "--all-libraries")
    assert out == "updated user 1: kid (owner; all libraries)\n"
    assert run("user", "list")[1] == "1\tkid\towner\tall libraries\n"
    code, out, err = run("user", "update", "kid", "--all-libraries", "--library", "manga")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "not both" in err
    code, _, err = run("user", "update", "kid", "--library", "/nowhere")
    assert code == 1 and "no library at /nowhere" in err
    assert run("user", "list")[1] == "1\tkid\towner\tall libraries\n"


def test_a_removed_users_token_is_refused_at_once_here_and_elsewhere(data_dir: Path) -> None:
    settings = load_settings(data_dir=str(data_dir), environ={})
    clock = ManualClock()
    server = ComicLibrary.from_settings(settings, workers=0, clock=clock)
    admin = ComicLibrary.from_settings(settings, workers=0)
    try:
        owner_secret = server.accounts.create_token().secret
        server.accounts.add_user("boss", Role.READER)
        secret = server.accounts.create_token("boss").secret
        assert server.authenticator.authenticate(f"Bearer {secret}").name == "boss"
        admin.remove_user("boss")  # another process, as the command would be
        # The server's change feed sees the other connection's commit on the next request,
        # however long its cache would have kept the token.
        with pytest.raises(Unauthorized):
            server.authenticator.authenticate(f"Bearer {secret}")
        # Removed through the same facade: refused at once.
        server.accounts.add_user("temp")
        temp = server.accounts.create_token("temp").secret
        assert server.authenticator.authenticate(f"Bearer {temp}").name == "temp"
        server.remove_user("temp")
        with pytest.raises(Unauthorized):
            server.authenticator.authenticate(f"Bearer {temp}")
        assert server.authenticator.authenticate(f"Bearer {owner_secret}").name == "owner"
    finally:
        server.close()
        admin.close()


def test_in_memory_a_library_removed_and_added_back_keeps_positions_too(comics: Path) -> None:
    hero = str(comics / "Acme" / "Hero" / "Hero 002.cbz")
    with open_library(memory=True) as app:
        app.scan(comics)
        owner = app.user()
        kid = app.user("kid")
        app.update_user("kid", library_ids=[app.find_library(comics).id])
        app.progress.save(owner, hero, ProgressChange(page_number=3))
        app.progress.mark_read(owner, hero)
        before = app.container.library_index().comic_at(hero)
        removed = app.remove_library(comics)
        assert [user.name for user in removed.lost_access] == [kid.name]
        assert app.accounts.user("kid").library_ids == frozenset()
        assert app.libraries.list() == []
        app.scan(comics)
        comic = app.container.library_index().comic_at(hero)
        assert comic is not None and before is not None and comic.id != before.id
        detail = app.issues.detail(owner, comic.id)
        assert detail.progress is not None and detail.progress.page_number == 3
        assert detail.reading.is_read
