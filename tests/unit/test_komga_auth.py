"""``/komga``'s gate: API key, Basic naming the token's user, the session cookie and header."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from bagboard.domain.model import Role
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import INSTANT, basic, kjson, owner_name

ME = "/komga/api/v2/users/me"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


def _fresh(world: World) -> None:
    world.client.cookies.clear()


def test_no_credentials_is_a_401_with_a_basic_challenge_and_a_spring_body(world: World) -> None:
    _fresh(world)
    response = world.client.get(ME)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    body = response.json()
    assert set(body) == {"timestamp", "status", "error", "message", "path"}
    assert body["status"] == 401 and body["error"] == "Unauthorized"
    assert body["path"] == ME and INSTANT.match(body["timestamp"])
    assert "set-cookie" not in response.headers


def test_api_key_and_basic_with_the_users_own_name(world: World) -> None:
    _fresh(world)
    me = world.client.get(ME, headers={"X-API-Key": world.kid}).json()
    assert me["email"] == "kid"
    assert "ADMIN" not in me["roles"]
    assert me["sharedAllLibraries"] is False and me["sharedLibrariesIds"] == [str(world.lib_a.id)]
    assert set(me) >= {"labelsAllow", "labelsExclude", "ageRestriction"}
    _fresh(world)
    response = world.client.get(ME, headers=basic("kid", world.kid))
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    assert any("Path=/komga;" in c for c in cookies)
    assert all("HttpOnly" in c and "SameSite=Lax" in c and "Max-Age=" in c for c in cookies)
    assert world.kid not in " ".join(cookies)


def test_basic_naming_another_user_is_refused(world: World) -> None:
    _fresh(world)
    response = world.client.get(ME, headers=basic(owner_name(world), world.kid))
    assert response.status_code == 401
    _fresh(world)
    assert world.client.get(ME, headers=basic("KID", world.kid)).status_code == 401


def test_the_cookie_alone_signs_the_next_request_in_until_the_token_is_revoked(
    world: World,
) -> None:
    name = "cookie-reader"
    world.app.accounts.add_user(name, Role.READER, None)
    issued = world.app.accounts.create_token(name)
    _fresh(world)
    assert world.client.get(ME, headers=basic(name, issued.secret)).status_code == 200
    follow = world.client.get(ME)
    assert follow.status_code == 200 and follow.json()["email"] == name
    # A valid session sets no new cookie.
    assert "set-cookie" not in follow.headers
    world.app.accounts.revoke_token(issued.token.id)
    world.app.authenticator.forget()
    assert world.client.get(ME).status_code == 401


def test_credentials_sent_with_a_request_win_over_another_users_session(world: World) -> None:
    _fresh(world)
    assert world.client.get(ME, headers={"X-API-Key": world.kid}).json()["email"] == "kid"
    # The kid's session cookie is still in the jar; the owner's key must speak for the owner.
    me = world.client.get(ME, headers={"X-API-Key": world.owner})
    assert me.json()["email"] == owner_name(world)
    assert any("Path=/komga;" in c for c in me.headers.get_list("set-cookie"))
    # Sent again with the session it now holds, the same key needs no new cookie.
    again = world.client.get(ME, headers={"X-API-Key": world.owner})
    assert again.json()["email"] == owner_name(world)
    assert "set-cookie" not in again.headers
    # A wrong key is refused even beside a valid session.
    assert world.client.get(ME, headers={"X-API-Key": "nope"}).status_code == 401


def test_forged_cookie_is_refused(world: World) -> None:
    _fresh(world)
    world.client.get(ME, headers={"X-API-Key": world.kid})
    value = world.client.cookies.get("komga-remember-me", path="/komga")
    assert value
    _fresh(world)
    forged = value[:-4] + ("0000" if not value.endswith("0000") else "1111")
    response = world.client.get(ME, headers={"Cookie": f"komga-remember-me={forged}"})
    assert response.status_code == 401


def test_x_auth_token_header_mode(world: World) -> None:
    _fresh(world)
    login = world.client.get(ME, headers={"X-API-Key": world.kid, "X-Auth-Token": ""})
    session = login.headers["x-auth-token"]
    _fresh(world)
    again = world.client.get(ME, headers={"X-Auth-Token": session})
    assert again.status_code == 200 and again.json()["email"] == "kid"


def test_public_settings_and_logout(world: World) -> None:
    _fresh(world)
    settings = world.client.get("/komga/api/v1/client-settings/global/list")
    assert settings.status_code == 200 and settings.json() == {}
    world.client.get(ME, headers={"X-API-Key": world.kid})
    out = world.client.post("/komga/api/logout")
    assert out.status_code == 204
    assert any("Max-Age=0" in c for c in out.headers.get_list("set-cookie"))
    assert world.client.get(ME).status_code == 401


def test_libraries_are_scoped(world: World) -> None:
    names = [lib["name"] for lib in kjson(world, "/api/v1/libraries")]
    assert names == ["A", "B"]
    kid = kjson(world, "/api/v1/libraries", world.kid)
    assert [lib["id"] for lib in kid] == [str(world.lib_a.id)]
    assert kid[0]["oneshotsDirectory"] is None and kid[0]["scanInterval"] == "DISABLED"
    _fresh(world)
    hidden = world.client.get(
        f"/komga/api/v1/libraries/{world.lib_b.id}", headers={"X-API-Key": world.kid}
    )
    assert hidden.status_code == 404 and hidden.json()["error"] == "Not Found"
    for bad in ("abc", "-1", "1.0"):
        assert world.client.get(f"/komga/api/v1/libraries/{bad}").status_code == 404


def test_unknown_paths_and_methods_answer_in_springs_shape(world: World) -> None:
    _fresh(world)
    headers = {"X-API-Key": world.owner}
    missing = world.client.get("/komga/api/v1/nothing-here", headers=headers)
    assert missing.status_code == 404 and set(missing.json()) >= {"error", "message", "path"}
    wrong = world.client.delete("/komga/api/v1/libraries", headers=headers)
    assert wrong.status_code == 405 and wrong.json()["status"] == 405
    # Other routes keep their own error body.
    assert "path" not in world.client.get("/api/v1/nothing").json()


def test_one_trailing_slash_is_tolerated(world: World) -> None:
    _fresh(world)
    response = world.client.get("/komga/api/v1/libraries/", headers={"X-API-Key": world.owner})
    assert response.status_code == 200


def test_an_error_names_the_path_as_sent_never_decoded(world: World) -> None:
    """Spring's ``path`` is the request URI as written: an encoded server folder stays encoded."""
    _fresh(world)
    folder = world.lib_a.root
    for path in (
        f"/komga/api/v1/series/{quote(folder, safe='')}",
        f"/komga/api/v1/books/{quote(folder, safe='')}/pages",
        "/komga/api/v1/series/caf%C3%A9",
    ):
        answer = world.client.get(path, headers={"X-API-Key": world.owner})
        assert answer.status_code == 404, answer.text
        assert answer.json()["path"] == path
        assert folder not in answer.text
