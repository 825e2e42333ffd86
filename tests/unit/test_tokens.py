from __future__ import annotations

import hashlib

import pytest

from bagboard.domain.tokens import hash_secret, new_secret, parse_bearer


def test_new_secret_is_long_random_and_url_safe() -> None:
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for secret in secrets:
        assert len(secret) >= 43  # 32 random bytes
        assert all(c.isalnum() or c in "-_" for c in secret)


def test_hash_is_sha256_of_trimmed_secret() -> None:
    assert hash_secret(" abc \n") == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer abc", "abc"),
        ("Bearer   abc  ", "abc"),
        ("bearer abc", None),
        ("BEARER abc", None),
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
