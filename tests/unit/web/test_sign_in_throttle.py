"""Repeated wrong passwords get a 429 page with Retry-After (a module of its own: the
throttle's counts live as long as its collection)."""

from __future__ import annotations

from bagboard.domain.attempts import USER_LIMIT
from tests.unit.web.support import PASSWORD, WebWorld


def test_too_many_attempts_is_a_429_page(web: WebWorld) -> None:
    client = web.client()
    for _ in range(USER_LIMIT.limit):
        answer = client.post("/login", data={"name": "kid", "password": "wrong password"})
        assert answer.status_code == 401
    refused = client.post("/login", data={"name": "kid", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "Too many attempts" in refused.text and "set-cookie" not in refused.headers
