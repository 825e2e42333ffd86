"""The libraries administration pages: owners list, add (through the folder picker), enable,
disable, remove and scan; readers get 403 everywhere; every change needs the CSRF token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bagboard.services.scan_jobs import ScanJobs
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.unit.web.admin_support import READER_PAGES, HeldScanner, bearer, token_of
from tests.unit.web.support import WebWorld, web_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    with web_world(tmp_path) as made:
        yield made


def _new_folder(base: Path) -> Path:
    root = (base / "comics-c").resolve()
    info = {"Publisher": "Lantern", "Series": "Glass Harbour", "Number": "1"}
    (root / "Lantern").mkdir(parents=True, exist_ok=True)
    write_cbz(
        root / "Lantern" / "Glass Harbour 01.cbz",
        {"p001.jpg": jpeg((10, 120, 10)), "ComicInfo.xml": comicinfo_xml(info)},
    )
    return root


def _series_names(world: WebWorld) -> list[str]:
    client = world.client()
    answer = client.get("/api/v1/library/series", headers=bearer(world))
    assert answer.status_code == 200, answer.text
    return [item["name"] for item in answer.json()["items"]]


def test_an_owner_sees_every_library_with_its_counts(world: WebWorld) -> None:
    client = world.signed_in("owner")
    assert 'href="/admin/libraries"' in client.get("/").text
    page = client.get("/admin/libraries")
    assert page.status_code == 200
    assert str(world.lib_a.root) in page.text and str(world.lib_b.root) in page.text
    assert "4 comics" in page.text  # library A
    assert "1 comic, 1 unreadable" in page.text  # library B
    assert "last scan never" not in page.text  # both were scanned
    assert "No scan since the server started." in page.text


def test_an_owner_adds_a_library_and_scans_it(world: WebWorld, tmp_path: Path) -> None:
    root = _new_folder(tmp_path)
    client = world.signed_in("owner")
    token = token_of(client, "/admin/libraries")
    added = client.post(
        "/admin/libraries",
        data={"csrf_token": token, "path": str(root), "name": "Harbour"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert added.headers["location"] == "/admin/libraries?notice=added"
    library = world.library.libraries.get(str(root))
    assert library.name == "Harbour"
    assert "Glass Harbour" not in _series_names(world)  # not scanned yet

    started = client.post(
        f"/admin/libraries/{library.id}/scan", data={"csrf_token": token}, follow_redirects=False
    )
    assert started.headers["location"] == "/admin/libraries?notice=started"
    progress = client.get(f"/web/api/admin/libraries/{library.id}/scan")
    assert progress.headers["cache-control"] == "no-store"
    assert progress.json()["state"] in ("queued", "running", "done")
    jobs: ScanJobs = world.library.container.scan_jobs()
    assert jobs.wait(library.id, 60)
    done = client.get(f"/web/api/admin/libraries/{library.id}/scan").json()
    assert done["state"] == "done"
    assert done["new"] == 1 and done["error"] is None
    assert "Glass Harbour" in _series_names(world)
    assert "Scan done: 1 new" in client.get("/admin/libraries").text


def test_scan_now_while_one_runs_says_so(world: WebWorld) -> None:
    held = HeldScanner()
    container = world.library.container
    jobs = ScanJobs(lambda: held, container.libraries(), container.clock())  # type: ignore[arg-type,return-value]
    container.scan_jobs.override(jobs)
    try:
        client = world.signed_in("owner")
        token = token_of(client, "/admin/libraries")
        where = f"/admin/libraries/{world.lib_a.id}/scan"
        first = client.post(where, data={"csrf_token": token}, follow_redirects=False)
        assert first.headers["location"].endswith("notice=started")
        assert held.started.wait(30)
        running = client.get(f"/web/api/admin/libraries/{world.lib_a.id}/scan").json()
        assert running["state"] == "running"
        assert (running["phase"], running["files"], running["opened"], running["to_open"]) == (
            "inspecting",
            7,
            2,
            7,
        )
        page = client.get("/admin/libraries").text
        assert "Scanning: inspecting, 7 files found, 2 of 7 read" in page
        second = client.post(where, data={"csrf_token": token}, follow_redirects=False)
        assert second.headers["location"].endswith("notice=busy")
        assert "already queued or running" in client.get(second.headers["location"]).text
        held.release.set()
        assert jobs.wait(world.lib_a.id, 30)
        assert held.scanned == [world.lib_a.id]  # the second click started nothing
        done = client.get(f"/web/api/admin/libraries/{world.lib_a.id}/scan").json()
        assert (done["state"], done["new"]) == ("done", 7)
    finally:
        held.release.set()
        container.scan_jobs.reset_override()


def test_disabling_hides_a_library_and_enabling_brings_it_back(world: WebWorld) -> None:
    client = world.signed_in("owner")
    token = token_of(client, "/admin/libraries")
    where = f"/admin/libraries/{world.lib_b.id}/enabled"
    assert "Hidden Depths" in _series_names(world)
    client.post(where, data={"csrf_token": token, "on": "0"})
    assert "Hidden Depths" not in _series_names(world)
    page = client.get("/admin/libraries").text
    assert "(disabled)" in page
    assert f'action="/admin/libraries/{world.lib_b.id}/scan"' not in page  # none when disabled
    refused = client.post(f"/admin/libraries/{world.lib_b.id}/scan", data={"csrf_token": token})
    assert refused.status_code == 400
    assert "disabled" in refused.text
    client.post(where, data={"csrf_token": token, "on": "1"})
    assert "Hidden Depths" in _series_names(world)


def test_removing_asks_first_then_forgets_the_library(world: WebWorld) -> None:
    client = world.signed_in("owner")
    confirm = client.get(f"/admin/libraries/{world.lib_b.id}/remove")
    assert confirm.status_code == 200
    assert "Remove B?" in confirm.text
    assert world.library.libraries.list()[-1].id == world.lib_b.id  # nothing removed yet
    removed = client.post(
        f"/admin/libraries/{world.lib_b.id}/remove",
        data={"csrf_token": token_of(client, "/admin/libraries")},
        follow_redirects=False,
    )
    assert removed.headers["location"] == "/admin/libraries?notice=removed"
    assert [lib.id for lib in world.library.libraries.list()] == [world.lib_a.id]
    assert "Hidden Depths" not in _series_names(world)
    assert client.get(f"/admin/libraries/{world.lib_b.id}/remove").status_code == 404


def test_adding_a_folder_twice_or_inside_a_library_is_refused_clearly(world: WebWorld) -> None:
    client = world.signed_in("owner")
    token = token_of(client, "/admin/libraries")
    again = client.post(
        "/admin/libraries", data={"csrf_token": token, "path": str(world.lib_a.root)}
    )
    assert again.status_code == 409
    assert "already a library" in again.text
    inside = client.post(
        "/admin/libraries", data={"csrf_token": token, "path": f"{world.lib_a.root}/Orbit"}
    )
    assert inside.status_code == 400
    assert "one library only" in inside.text
    relative = client.post("/admin/libraries", data={"csrf_token": token, "path": "comics"})
    assert relative.status_code == 400
    assert len(world.library.libraries.list()) == 2


def test_the_folder_picker_lists_folders_only(world: WebWorld, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("private words")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "link-to-a").symlink_to(tmp_path / "comics-a")
    client = world.signed_in("owner")
    start = client.get("/admin/libraries/folders")
    assert start.status_code == 200
    assert "<code>/</code>" in start.text
    page = client.get("/admin/libraries/folders", params={"path": str(tmp_path)})
    assert page.status_code == 200
    for name in ("comics-a", "comics-b", "link-to-a"):
        assert f'<span class="name">{name}</span>' in page.text
    assert "note.txt" not in page.text and ".hidden" not in page.text
    assert "web.db" not in page.text
    assert "private words" not in page.text
    assert f'name="path" value="{tmp_path.resolve()}"' in page.text
    # A link is listed where it leads; ``..`` is resolved too.
    linked = client.get("/admin/libraries/folders", params={"path": str(tmp_path / "link-to-a")})
    assert f"<code>{(tmp_path / 'comics-a').resolve()}</code>" in linked.text
    climbed = client.get(
        "/admin/libraries/folders", params={"path": f"{tmp_path}/comics-a/../comics-b"}
    )
    assert f"<code>{(tmp_path / 'comics-b').resolve()}</code>" in climbed.text


@pytest.mark.parametrize("where", ["note.txt", "missing", None])
def test_the_folder_picker_refuses_what_is_not_a_folder(
    world: WebWorld, tmp_path: Path, where: str | None
) -> None:
    (tmp_path / "note.txt").write_text("private words")
    path = "relative/path" if where is None else str(tmp_path / where)
    client = world.signed_in("owner")
    answer = client.get("/admin/libraries/folders", params={"path": path})
    assert answer.status_code == 400
    assert str(tmp_path) not in answer.text
    assert "private words" not in answer.text


def test_a_reader_may_open_no_library_page(world: WebWorld, tmp_path: Path) -> None:
    client = world.signed_in("kid")
    token = token_of(client)
    for where in READER_PAGES:
        assert client.get(where).status_code == 403, where
    picker = client.get("/admin/libraries/folders", params={"path": str(tmp_path)})
    assert picker.status_code == 403
    assert "comics-a" not in picker.text
    lib = world.lib_a.id
    assert client.get(f"/admin/libraries/{lib}/remove").status_code == 403
    assert client.get(f"/web/api/admin/libraries/{lib}/scan").status_code == 403
    posts = {
        "/admin/libraries": {"path": str(_new_folder(tmp_path))},
        f"/admin/libraries/{lib}/enabled": {"on": "0"},
        f"/admin/libraries/{lib}/remove": {},
        f"/admin/libraries/{lib}/scan": {},
    }
    for where, fields in posts.items():
        answer = client.post(where, data={"csrf_token": token, **fields})
        assert answer.status_code == 403, where
    assert [lib.enabled for lib in world.library.libraries.list()] == [True, True]
    jobs: ScanJobs = world.library.container.scan_jobs()
    owner = world.library.accounts.owner()
    assert jobs.status_for(owner, lib).state == "idle"


def test_every_change_needs_the_csrf_token(world: WebWorld, tmp_path: Path) -> None:
    client = world.signed_in("owner")
    lib = world.lib_b.id
    posts = {
        "/admin/libraries": {"path": str(_new_folder(tmp_path))},
        f"/admin/libraries/{lib}/enabled": {"on": "0"},
        f"/admin/libraries/{lib}/remove": {},
        f"/admin/libraries/{lib}/scan": {},
    }
    for where, fields in posts.items():
        for token in (None, "forged"):
            data = fields if token is None else {"csrf_token": token, **fields}
            answer = client.post(where, data=data)
            assert answer.status_code == 403, where
    assert [(lib.name, lib.enabled) for lib in world.library.libraries.list()] == [
        ("A", True),
        ("B", True),
    ]
    jobs: ScanJobs = world.library.container.scan_jobs()
    assert jobs.status_for(world.library.accounts.owner(), lib).state == "idle"
