from __future__ import annotations

import base64
import hashlib

import pytest

from bagboard.domain.tokens import (
    hash_secret,
    new_secret,
    parse_basic,
    parse_bearer,
    parse_credentials,
)


def test_new_secret_is_long_random_and_url_safe() -> None:
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for secret in secrets:
        assert len(secret) >= 43  # 32 random bytes
        assert all(c.isalnum() or c in "-_" for c in secret)


def test_no_secret_starts_like_a_command_line_option() -> None:
    # One in 64 URL-safe strings starts with "-"; in 2,000 draws one would show up.
    assert not [secret for secret in (new_secret() for _ in range(2_000)) if secret[0] == "-"]


def test_hash_is_sha256_of_trimmed_secret() -> None:
    assert hash_secret(" abc \n") == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer abc", "abc"),
        ("Bearer   abc  ", "abc"),
        ("bearer abc", "abc"),
        ("BEARER abc", "abc"),
        ("bEaReR  abc ", "abc"),
        ("bearer", None),
        ("Basic abc", None),
        ("Bearer", None),
        ("Bearer ", None),
        ("Bearer    ", None),
        ("Bearerabc", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_bearer(header: str | None, expected: str | None) -> None:
    assert parse_bearer(header) == expected


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (_basic("anything:abc"), "abc"),
        (_basic(":abc"), "abc"),
        (_basic("reader:  abc "), "abc"),
        (_basic("name:with:colons"), "with:colons"),
        ("basic " + base64.b64encode(b"u:abc").decode(), "abc"),
        (_basic("no-colon"), None),
        (_basic("user:"), None),
        ("Basic abc", None),
        ("Basic !!!", None),
        ("Basic " + base64.b64encode(b"u:\xff").decode(), None),
        ("Bearer abc", None),
        (None, None),
    ],
)
def test_parse_basic_takes_the_password_as_the_token(
    header: str | None, expected: str | None
) -> None:
    assert parse_basic(header) == expected


def test_parse_credentials_order() -> None:
    assert parse_credentials("Bearer a", "b") == "a"
    assert parse_credentials(_basic("u:c"), "b") == "c"
    assert parse_credentials(None, " b ") == "b"
    assert parse_credentials("Bearer ", "  ") is None
    assert parse_credentials("garbage", None) is None
