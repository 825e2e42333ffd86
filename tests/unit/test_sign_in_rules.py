"""The password rules and the failure window, with literals."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from bagboard.domain.attempts import AttemptLimit
from bagboard.domain.errors import InvalidInput, TooManyAttempts
from bagboard.domain.passwords import check_password, parse_basic_login, password_session_mac

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_fewer_failures_than_the_limit_allow_an_attempt() -> None:
    rule = AttemptLimit(3, timedelta(minutes=15))
    assert rule.retry_after([], T0) is None
    assert rule.retry_after([T0 - MINUTE, T0], T0) is None


def test_the_limit_refuses_until_the_oldest_leaves_the_window() -> None:
    rule = AttemptLimit(3, timedelta(minutes=15))
    failures = [T0 - 10 * MINUTE, T0 - 5 * MINUTE, T0]
    assert rule.retry_after(failures, T0) == 5 * 60
    assert rule.retry_after(failures, T0 + 4 * MINUTE) == 60
    assert rule.retry_after(failures, T0 + 5 * MINUTE) is None


def test_failures_outside_the_window_do_not_count() -> None:
    rule = AttemptLimit(2, timedelta(minutes=15))
    assert rule.retry_after([T0 - 15 * MINUTE, T0 - 20 * MINUTE, T0], T0) is None


def test_more_failures_than_the_limit_wait_for_enough_to_leave() -> None:
    rule = AttemptLimit(2, timedelta(minutes=10))
    failures = [T0 - 9 * MINUTE, T0 - 8 * MINUTE, T0 - 1 * MINUTE]
    # Two must remain at most: allowed again when the one of -8 minutes leaves.
    assert rule.retry_after(failures, T0) == 2 * 60


def test_retry_after_rounds_up_to_a_whole_second() -> None:
    rule = AttemptLimit(1, timedelta(seconds=10))
    assert rule.retry_after([T0], T0 + timedelta(seconds=9, milliseconds=500)) == 1


def test_a_limit_needs_sense() -> None:
    with pytest.raises(ValueError):
        AttemptLimit(0)
    with pytest.raises(ValueError):
        AttemptLimit(1, timedelta(0))


def test_too_many_attempts_carries_a_positive_wait() -> None:
    assert TooManyAttempts("x", retry_after=0).retry_after == 1
    assert TooManyAttempts("x", retry_after=90).retry_after == 90
    assert TooManyAttempts().code == "too_many_attempts"


@pytest.mark.parametrize("password", ["12345678", " padded ", "ü" * 1024])
def test_passwords_within_the_bounds_are_kept_as_given(password: str) -> None:
    assert check_password(password) == password


@pytest.mark.parametrize("password", ["", "1234567", "x" * 1025, "two\nlines!", "nul\0nul!"])
def test_other_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput):
        check_password(password)


def _basic(raw: str) -> str:
    return "Basic " + base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize(
    ("header", "login"),
    [
        (_basic("alice: secret :x"), ("alice", " secret :x")),
        ("basic " + base64.b64encode(b"alice:pw").decode(), ("alice", "pw")),
        (_basic("alice:"), None),
        (_basic(":password"), None),
        (_basic("no colon"), None),
        ("Basic !!!", None),
        ("Bearer abc", None),
        (None, None),
    ],
)
def test_basic_logins_are_read_exactly(header: str | None, login: tuple[str, str] | None) -> None:
    assert parse_basic_login(header) == login


def test_a_password_session_mac_changes_with_the_hash_the_user_and_the_key() -> None:
    mac = password_session_mac("hash", 1, b"key")
    assert mac == password_session_mac("hash", 1, b"key")
    assert len({mac, password_session_mac("other", 1, b"key")}) == 2
    assert len({mac, password_session_mac("hash", 2, b"key")}) == 2
    assert len({mac, password_session_mac("hash", 1, b"yek")}) == 2
