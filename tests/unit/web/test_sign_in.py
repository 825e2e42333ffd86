"""``/login``, ``/logout``, ``/setup``: the cookie, where a signed-out browser goes, and what
the other protocols keep doing whatever the browser holds."""

from __future__ import annotations

from tests.unit.web.support import PASSWORD, WebWorld, csrf


def test_a_signed_out_browser_is_sent_to_sign_in_and_back(web: WebWorld) -> None:
    client = web.client()
    answer = client.get("/browse/series?publisher=Orbit", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fbrowse%2Fseries%3Fpublisher%3DOrbit"
    form = client.get(answer.headers["location"])
    assert form.status_code == 200
    assert 'name="next" value="/browse/series?publisher=Orbit"' in form.text
    # The login page points API and OPDS clients where they belong.
    for link in ("/api/v1/docs", "/opds/v1.2/catalog", "/opds/v2.0/catalog", "/about"):
        assert f'href="{link}"' in form.text
    signed = client.post(
        "/login",
        data={"name": "owner", "password": PASSWORD, "next": "/browse/series?publisher=Orbit"},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/browse/series?publisher=Orbit"
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("bagboard_session=")
    for flag in ("HttpOnly", "Path=/", "SameSite=lax", "Max-Age="):
        assert flag.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http here
    assert "Night Owls" in client.get("/browse/series?publisher=Orbit").text


def test_the_cookie_is_secure_over_https(web: WebWorld) -> None:
    client = web.client(base_url="https://comics.example")
    signed = client.post(
        "/login", data={"name": "kid", "password": PASSWORD}, follow_redirects=False
    )
    assert signed.status_code == 303 and "secure" in signed.headers["set-cookie"].lower()


def test_a_wrong_password_shows_the_form_again(web: WebWorld) -> None:
    client = web.client()
    answer = client.post("/login", data={"name": "owner", "password": "nope nope"})
    assert answer.status_code == 401
    assert "Wrong name or password." in answer.text
    assert "set-cookie" not in answer.headers
    assert client.get("/", follow_redirects=False).status_code == 303


def test_next_never_leaves_the_site(web: WebWorld) -> None:
    client = web.client()
    for target in ("//evil.example/x", "https://evil.example/", "\\\\evil", ""):
        answer = client.post(
            "/login",
            data={"name": "owner", "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/", target


def test_signing_in_from_another_site_is_refused(web: WebWorld) -> None:
    answer = web.client().post(
        "/login",
        data={"name": "owner", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert answer.status_code == 403 and "set-cookie" not in answer.headers


def test_sign_out_needs_the_token_and_ends_the_session(web: WebWorld) -> None:
    client = web.signed_in("owner")
    token = csrf(client.get("/").text)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    refused = client.post("/logout", data={"csrf_token": "x" + token}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200
    secret = client.cookies["bagboard_session"]
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert web.sessions.session(secret) is None
    # Even a browser that kept the cookie is signed out.
    again = web.client()
    again.cookies.set("bagboard_session", secret)
    assert again.get("/", follow_redirects=False).status_code == 303


def test_scripts_get_401_not_a_redirect(web: WebWorld) -> None:
    client = web.client()
    saved = client.put("/web/api/issue/1/progress", json={"page": 2})
    assert saved.status_code == 401 and saved.json()["error"] == "unauthorized"
    assert client.get("/web/issue/1/cover", follow_redirects=False).status_code == 401


def test_the_cookie_opens_no_other_protocol(web: WebWorld) -> None:
    client = web.signed_in("owner")
    assert client.get("/api/v1/auth/ping").status_code == 401
    assert client.get("/opds/v1.2/catalog").status_code == 401
    bearer = {"Authorization": f"Bearer {web.owner_token}"}
    assert client.get("/api/v1/auth/ping", headers=bearer).status_code == 200


def test_the_about_page_stays_public(web: WebWorld) -> None:
    page = web.client().get("/about")
    assert page.status_code == 200 and "/opds/v1.2/catalog" in page.text
    assert 'href="http://testserver.local/login"' in page.text


def test_a_signed_in_browser_skips_the_form(web: WebWorld) -> None:
    client = web.signed_in("kid")
    answer = client.get("/login?next=/browse", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/browse"


def test_setup_link_sets_the_password_and_signs_in(web: WebWorld) -> None:
    client = web.client()
    bad = client.get("/setup/not-a-link")
    assert bad.status_code == 200 and 'action="/setup/not-a-link"' in bad.text
    refused = client.post(
        "/setup/not-a-link", data={"password": "new password 1", "confirm": "new password 1"}
    )
    assert refused.status_code == 404 and "no longer valid" in refused.text
    differ = client.post("/setup/x", data={"password": "one password", "confirm": "another"})
    assert differ.status_code == 400 and "differ" in differ.text
