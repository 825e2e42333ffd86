"""Administration of users in the web app: owners only, every change in effect at once, the
account rules' refusals shown on the page, and CSRF on every change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from bagboard.adapters.http.web.admin_users import library_choice
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import Role
from tests.unit.web.support import HIDDEN_NAMES, PASSWORD, WebWorld, csrf, web_world

NEW_PASSWORD = "another good password"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    # Each test changes users: a collection of its own.
    with web_world(tmp_path) as made:
        yield made


def form(client: TestClient[Any], page: str) -> str:
    return csrf(client.get(page).text)


def change(client: TestClient[Any], path: str, data: dict[str, str], token: str) -> Any:
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def sign_in(world: WebWorld, name: str, password: str = PASSWORD) -> TestClient[Any]:
    client = world.client()
    answer = client.post(
        "/login", data={"name": name, "password": password, "next": "/"}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return client


def test_the_list_shows_name_role_libraries_and_password(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    assert 'href="/admin/users"' in owner.get("/").text
    page = owner.get("/admin/users")
    assert page.status_code == 200
    cells = re.sub(r"(<[^>]+>)+", "|", page.text.split("<tbody>")[1].split("</tbody>")[0])
    assert cells.split() == ["|owner|owner|All|Yes|", "|kid|reader|A|Yes|"]


def test_an_added_user_signs_in_once_given_a_password(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    token = form(owner, "/admin/users")
    fields = {"name": "zed", "role": "reader", "scope": "chosen", f"library-{world.lib_a.id}": "on"}
    added = change(owner, "/admin/users/add", fields, token)
    assert added.status_code == 303 and added.headers["location"] == "/admin/users/edit?name=zed"
    user = world.library.accounts.user("zed")
    assert user.role is Role.READER and user.library_ids == {world.lib_a.id}
    edit = owner.get("/admin/users/edit?name=zed")
    assert "No password" in edit.text
    refused = world.client().post(
        "/login", data={"name": "zed", "password": NEW_PASSWORD}, follow_redirects=False
    )
    assert refused.status_code != 303
    done = change(owner, "/admin/users/password", {"name": "zed", "password": NEW_PASSWORD}, token)
    assert done.status_code == 303
    zed = sign_in(world, "zed", NEW_PASSWORD)
    assert "Night Owls" in zed.get("/search?q=Night").text
    assert HIDDEN_NAMES[1] not in zed.get("/search?q=Hidden").text


def test_a_role_or_library_change_applies_to_a_signed_in_user_at_once(world: WebWorld) -> None:
    owner, kid = world.signed_in("owner"), world.signed_in("kid")
    assert HIDDEN_NAMES[1] not in kid.get("/search?q=Hidden").text
    assert kid.get("/admin/users").status_code == 403
    token = form(owner, "/admin/users/edit?name=kid")
    assert (
        change(
            owner, "/admin/users/update", {"name": "kid", "role": "reader", "scope": "all"}, token
        ).status_code
        == 303
    )
    assert HIDDEN_NAMES[1] in kid.get("/search?q=Hidden").text
    change(owner, "/admin/users/update", {"name": "kid", "role": "owner", "scope": "all"}, token)
    assert kid.get("/admin/users").status_code == 200
    # Back to no library at all: nothing is found any more.
    nothing = {"name": "kid", "role": "reader", "scope": "chosen"}
    change(owner, "/admin/users/update", nothing, token)
    assert world.library.accounts.user("kid").library_ids == frozenset()
    assert "Night Owls" not in kid.get("/search?q=Night").text
    assert kid.get("/admin/users").status_code == 403


def test_the_last_owner_cannot_be_demoted_or_removed(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    token = form(owner, "/admin/users")
    demoted = change(
        owner, "/admin/users/update", {"name": "owner", "role": "reader", "scope": "all"}, token
    )
    assert demoted.status_code == 400
    assert "it is the last owner" in demoted.text
    removed = change(owner, "/admin/users/remove", {"name": "owner"}, token)
    assert removed.status_code == 400 and "it is the last owner" in removed.text
    assert world.library.accounts.user("owner").role is Role.OWNER


def test_bad_input_is_refused_with_a_message(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    token = form(owner, "/admin/users")
    twice = change(owner, "/admin/users/add", {"name": "kid", "role": "reader"}, token)
    assert twice.status_code == 409
    role = change(owner, "/admin/users/add", {"name": "new", "role": "admin"}, token)
    assert role.status_code == 400 and "role must be" in role.text
    empty = change(owner, "/admin/users/add", {"name": "  ", "role": "reader"}, token)
    assert empty.status_code == 400
    unknown = change(
        owner, "/admin/users/add", {"name": "n", "role": "reader", "scope": "chosen",
                                    "library-999": "on"}, token,
    )  # fmt: skip
    assert unknown.status_code == 400 and "no library with id 999" in unknown.text
    short = change(owner, "/admin/users/password", {"name": "kid", "password": "short"}, token)
    assert short.status_code == 400
    assert owner.get("/admin/users/edit?name=nobody").status_code == 404
    assert [u.name for u in world.library.accounts.list_users()] == ["owner", "kid"]


def test_library_choice_reads_the_form() -> None:
    assert library_choice({"scope": "all", "library-1": "on"}) is None
    assert library_choice({}) is None
    assert library_choice({"scope": "chosen", "library-3": "on", "library-7": "on"}) == [3, 7]
    assert library_choice({"scope": "chosen"}) == []
    with pytest.raises(InvalidInput):
        library_choice({"scope": "chosen", "library-x": "on"})


def test_removing_a_user_asks_first_and_ends_their_sessions(world: WebWorld) -> None:
    owner, kid = world.signed_in("owner"), world.signed_in("kid")
    confirm = owner.get("/admin/users/remove?name=kid")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    assert world.library.accounts.user("kid")  # asking removes nothing
    done = change(owner, "/admin/users/remove", {"name": "kid"}, csrf(confirm.text))
    assert done.status_code == 303 and done.headers["location"] == "/admin/users"
    assert ">kid</a>" not in owner.get("/admin/users").text
    gone = kid.get("/", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")


def test_passwords_set_and_cleared(world: WebWorld) -> None:
    owner, other_owner_tab, kid = (world.signed_in(n) for n in ("owner", "owner", "kid"))
    token = form(owner, "/admin/users/edit?name=owner")
    # An owner's own new password keeps this session and ends the others.
    mine = {"name": "owner", "password": NEW_PASSWORD}
    assert change(owner, "/admin/users/password", mine, token).status_code == 303
    assert owner.get("/admin/users").status_code == 200
    assert other_owner_tab.get("/", follow_redirects=False).status_code == 303
    sign_in(world, "owner", NEW_PASSWORD)
    # Clearing kid's password ends kid's sessions and sign-ins.
    cleared = change(owner, "/admin/users/clear-password", {"name": "kid"}, token)
    assert cleared.status_code == 303
    assert kid.get("/", follow_redirects=False).status_code == 303
    assert not world.sessions.has_password("kid")
    assert "No password" in owner.get("/admin/users/edit?name=kid").text
    refused = world.client().post(
        "/login", data={"name": "kid", "password": PASSWORD}, follow_redirects=False
    )
    assert refused.status_code != 303


GETS = ("/admin/users", "/admin/users/edit?name=owner", "/admin/users/remove?name=owner")
POSTS = (
    ("/admin/users/add", {"name": "sneaky", "role": "owner"}),
    ("/admin/users/update", {"name": "kid", "role": "owner", "scope": "all"}),
    ("/admin/users/password", {"name": "owner", "password": NEW_PASSWORD}),
    ("/admin/users/clear-password", {"name": "owner"}),
    ("/admin/users/remove", {"name": "owner"}),
)


def test_a_reader_may_not_open_or_use_any_of_it(world: WebWorld) -> None:
    kid = world.signed_in("kid")
    assert 'href="/admin/users"' not in kid.get("/").text
    for path in GETS:
        answer = kid.get(path)
        assert answer.status_code == 403, path
        assert ">owner</a>" not in answer.text
    token = csrf(kid.get("/").text)
    for path, data in POSTS:
        assert change(kid, path, data, token).status_code == 403, path
    accounts = world.library.accounts
    assert [(u.name, u.role) for u in accounts.list_users()] == [
        ("owner", Role.OWNER),
        ("kid", Role.READER),
    ]
    assert accounts.user("kid").library_ids == {world.lib_a.id}
    assert world.sessions.has_password("owner")
    sign_in(world, "owner")


def test_every_change_needs_the_csrf_token(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    for path, data in POSTS:
        assert owner.post(path, data=data, follow_redirects=False).status_code == 403, path
        wrong = change(owner, path, data, "not-the-token")
        assert wrong.status_code == 403, path
    assert [u.name for u in world.library.accounts.list_users()] == ["owner", "kid"]
    assert world.library.accounts.user("kid").role is Role.READER
    assert world.sessions.has_password("owner")
    sign_in(world, "owner")


def test_odd_forms_get_an_answer_not_a_failure(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    token = form(owner, "/admin/users")
    odd = [
        ("/admin/users/add", {"name": "x", "role": "reader", "scope": "chosen",
                              "library-" + "9" * 30: "on"}),
        ("/admin/users/add", {"name": "x", "role": "reader", "scope": "chosen",
                              "library-\u0661": "on"}),
        ("/admin/users/update", {"name": "", "role": "reader"}),
        ("/admin/users/update", {"name": "nobody", "role": "reader"}),
        ("/admin/users/password", {"name": "nobody", "password": NEW_PASSWORD}),
        ("/admin/users/password", {"name": "kid", "password": "x" * 2000}),
        ("/admin/users/clear-password", {"name": ""}),
        ("/admin/users/remove", {"name": "nobody"}),
        ("/admin/users/add", {"name": "n" * 101, "role": "reader"}),
    ]  # fmt: skip
    for path, data in odd:
        answer = change(owner, path, data, token)
        assert answer.status_code in (400, 404), (path, data, answer.status_code)
        assert "Traceback" not in answer.text
    repeated = owner.post(
        "/admin/users/add",
        content=f"csrf_token={token}&name=a&name=b&role=reader",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert repeated.status_code < 500
    assert [u.name for u in world.library.accounts.list_users()] == ["owner", "kid"]
