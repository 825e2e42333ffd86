"""API tokens in the web app: an owner creates one (its secret shown once, with a QR code),
the API takes it, revoking it makes the API refuse it; a reader may do none of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import segno
from litestar.testing import TestClient

from bagboard.adapters.http.web.qr import phone_payload, qr_svg
from tests.unit.web.support import WebWorld, csrf, web_world

PING = "/api/v1/auth/ping"
SECRET = re.compile(r'<output id="secret" class="secret">([^<]+)</output>')


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    with web_world(tmp_path) as made:
        yield made


def create(client: TestClient[Any], user: str, name: str) -> Any:
    token = csrf(client.get("/admin/tokens").text)
    return client.post("/admin/tokens", data={"user": user, "name": name, "csrf_token": token})


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_created_token_works_until_it_is_revoked(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    assert 'href="/admin/tokens"' in owner.get("/").text
    made = create(owner, "kid", "kid's phone")
    assert made.status_code == 201
    assert made.headers["cache-control"] == "no-store"
    found = SECRET.search(made.text)
    assert found, made.text
    secret = found.group(1)
    # Where KOReader syncs, with the token as its user name.
    assert "/koreader (the secret as the user name, any password)" in made.text
    api = world.client()
    ping = api.get(PING, headers=bearer(secret))
    assert ping.status_code == 200
    # The token is kid's: kid's scope, not the owner's.
    assert api.get("/api/v1/problems", headers=bearer(secret)).status_code == 403

    listing = owner.get("/admin/tokens")
    assert "kid&#39;s phone" in listing.text
    assert secret not in listing.text
    stored = [t for t in world.library.accounts.list_tokens("kid") if t.name == "kid's phone"]
    assert len(stored) == 1 and stored[0].last_used_at is not None
    revoke = f"/admin/tokens/{stored[0].id}/revoke"
    done = owner.post(revoke, data={"csrf_token": csrf(listing.text)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin/tokens"
    # At once, without waiting for the gate's short cache to lapse.
    assert api.get(PING, headers=bearer(secret)).status_code == 401
    after = owner.get("/admin/tokens").text
    assert "Revoked" in after and secret not in after
    assert f'action="{revoke}"' not in after


def test_the_secret_is_never_shown_again(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    secret = SECRET.search(create(owner, "owner", "tablet").text).group(1)  # type: ignore[union-attr]
    for path in ("/", "/admin/tokens", "/admin/users", "/admin/users/edit?name=owner",
                 "/admin/problems"):  # fmt: skip
        assert secret not in owner.get(path).text, path
    # The store holds its hash only.
    assert all(secret not in repr(t) for t in world.library.accounts.list_tokens())


def test_the_qr_code_holds_the_token(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    page = create(owner, "owner", "phone").text
    secret = SECRET.search(page).group(1)  # type: ignore[union-attr]
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg
    # The very code of the payload, drawn inline, and well-formed SVG.
    assert svg.group(0) == qr_svg(phone_payload(secret), title="QR code of the token")
    root = ElementTree.fromstring(svg.group(0))
    assert root.tag.endswith("svg")
    code = segno.make_qr(secret, error="m")
    modules = code.symbol_size(border=4)[0]
    assert root.get("viewBox") == f"0 0 {modules} {modules}"
    assert modules == 17 + 4 * int(code.version) + 8
    assert code.designator[-1] in "MQH"  # medium or better
    assert drawn_modules(root) == dark_modules(code.matrix)
    assert "<script" not in page and "http://" not in svg.group(0).replace("http://www.w3.org", "")


def drawn_modules(svg: ElementTree.Element) -> set[tuple[int, int]]:
    """The dark modules an SVG path of horizontal runs draws (``M``/``m`` moves, ``h`` runs),
    as (row, column) below the four-module quiet zone."""
    path = next(p for p in svg.iter() if p.tag.endswith("path") and p.get("stroke"))
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.get("d", "")):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = int(float(a))
            dark.update((int(y) - 4, int(x) + n - 4) for n in range(run))
            x += run
    return dark


def dark_modules(matrix: Any) -> set[tuple[int, int]]:
    return {(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v & 1}


def test_the_phone_payload_is_the_token() -> None:
    assert phone_payload("Ab3-xyz_") == "Ab3-xyz_"


def test_bad_requests_get_a_message(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    assert create(owner, "nobody", "x").status_code == 404
    assert create(owner, "", "x").status_code == 400
    long = create(owner, "kid", "n" * 101)
    assert long.status_code == 400 and "at most 100 characters" in long.text
    token = csrf(owner.get("/admin/tokens").text)
    gone = owner.post("/admin/tokens/9999/revoke", data={"csrf_token": token})
    assert gone.status_code == 404
    huge = owner.post(f"/admin/tokens/{10**30}/revoke", data={"csrf_token": token})
    assert huge.status_code == 404
    assert [t.name for t in world.library.accounts.list_tokens()] == ["default"]


def test_a_reader_may_not_list_create_or_revoke(world: WebWorld) -> None:
    kid = world.signed_in("kid")
    assert 'href="/admin/tokens"' not in kid.get("/").text
    listing = kid.get("/admin/tokens")
    assert listing.status_code == 403 and "default" not in listing.text
    token = csrf(kid.get("/").text)
    made = kid.post("/admin/tokens", data={"user": "kid", "name": "mine", "csrf_token": token})
    assert made.status_code == 403
    owner_token = world.library.accounts.list_tokens("owner")[0]
    revoke = kid.post(f"/admin/tokens/{owner_token.id}/revoke", data={"csrf_token": token})
    assert revoke.status_code == 403
    assert [t.name for t in world.library.accounts.list_tokens()] == ["default"]
    assert world.client().get(PING, headers=bearer(world.owner_token)).status_code == 200


def test_creating_and_revoking_need_the_csrf_token(world: WebWorld) -> None:
    owner = world.signed_in("owner")
    made = owner.post("/admin/tokens", data={"user": "kid", "name": "x"})
    assert made.status_code == 403
    forged = owner.post("/admin/tokens", data={"user": "kid", "name": "x", "csrf_token": "forged"})
    assert forged.status_code == 403
    first = world.library.accounts.list_tokens("owner")[0]
    assert owner.post(f"/admin/tokens/{first.id}/revoke").status_code == 403
    assert (
        owner.post(f"/admin/tokens/{first.id}/revoke", data={"csrf_token": "forged"}).status_code
        == 403
    )
    # From another site, even with the token.
    token = csrf(owner.get("/admin/tokens").text)
    elsewhere = owner.post(
        f"/admin/tokens/{first.id}/revoke",
        data={"csrf_token": token},
        headers={"Origin": "http://evil.example"},
    )
    assert elsewhere.status_code == 403
    assert [t.name for t in world.library.accounts.list_tokens()] == ["default"]
    assert world.library.accounts.list_tokens()[0].is_active
