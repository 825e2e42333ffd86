"""The TokenStore contract, run against every adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bagboard.domain.model import ApiToken, Role, User
from bagboard.domain.tokens import hash_secret
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore

# Microseconds and a non-UTC offset on purpose: both must survive the round trip.
T0 = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
KOLKATA = timezone(timedelta(hours=5, minutes=30))


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


def add(store: TokenStore, user: User, name: str, at: datetime = T0) -> ApiToken:
    return store.add(user.id, name, hash_secret(f"{user.name}-{name}"), at)


def test_add_returns_an_active_token_found_by_hash(token_store: TokenStore, alice: User) -> None:
    digest = hash_secret("secret")
    token = token_store.add(alice.id, "phone", digest, T0)
    assert (token.user_id, token.name, token.token_hash, token.created_at) == (
        alice.id,
        "phone",
        digest,
        T0,
    )
    assert token.last_used_at is None and token.revoked_at is None and token.is_active
    assert token_store.find_by_hash(digest) == token


def test_an_unknown_hash_is_none(token_store: TokenStore, alice: User) -> None:
    add(token_store, alice, "phone")
    assert token_store.find_by_hash(hash_secret("nope")) is None


def test_list_is_in_creation_order_overall_and_per_user(
    token_store: TokenStore, alice: User, bob: User
) -> None:
    a1 = add(token_store, alice, "phone")
    b1 = add(token_store, bob, "tablet")
    a2 = add(token_store, alice, "laptop")
    assert token_store.list() == [a1, b1, a2]
    assert token_store.list(alice.id) == [a1, a2]
    assert token_store.list(bob.id) == [b1]
    assert token_store.list(999_999) == []


def test_revoke_keeps_the_first_revocation_time(token_store: TokenStore, alice: User) -> None:
    token = add(token_store, alice, "phone")
    first = T0 + timedelta(days=1, microseconds=7)
    revoked = token_store.revoke(token.id, first)
    assert revoked is not None
    assert revoked.revoked_at == first and not revoked.is_active
    again = token_store.revoke(token.id, first + timedelta(hours=1))
    assert again == revoked
    # Revoked tokens stay findable: the caller decides what a revoked token means.
    assert token_store.find_by_hash(token.token_hash) == revoked
    assert token_store.list() == [revoked]


def test_revoke_touches_only_that_token(token_store: TokenStore, alice: User) -> None:
    phone = add(token_store, alice, "phone")
    tablet = add(token_store, alice, "tablet")
    token_store.revoke(phone.id, T0)
    assert token_store.find_by_hash(tablet.token_hash) == tablet


def test_revoking_an_unknown_token_is_none(token_store: TokenStore) -> None:
    assert token_store.revoke(999_999, T0) is None


def test_touch_records_the_last_use(token_store: TokenStore, alice: User) -> None:
    token = add(token_store, alice, "phone")
    other = add(token_store, alice, "tablet")
    used = T0 + timedelta(minutes=5, microseconds=123)
    token_store.touch(token.id, used)
    found = token_store.find_by_hash(token.token_hash)
    assert found is not None and found.last_used_at == used
    later = used + timedelta(minutes=2)
    token_store.touch(token.id, later)
    found = token_store.find_by_hash(token.token_hash)
    assert found is not None and found.last_used_at == later
    assert token_store.find_by_hash(other.token_hash) == other


def test_touching_an_unknown_token_does_nothing(token_store: TokenStore) -> None:
    token_store.touch(999_999, T0)
    assert token_store.list() == []


def test_exists_any_stays_true_once_a_token_was_created(
    token_store: TokenStore, alice: User
) -> None:
    assert token_store.exists_any() is False
    token = add(token_store, alice, "phone")
    assert token_store.exists_any() is True
    token_store.revoke(token.id, T0)
    assert token_store.exists_any() is True


def test_datetimes_round_trip_exactly_and_stay_timezone_aware(
    token_store: TokenStore, alice: User
) -> None:
    created = datetime(2026, 7, 1, 23, 59, 59, 999999, tzinfo=KOLKATA)
    used = datetime(2026, 7, 2, 0, 0, 0, 1, tzinfo=UTC)
    revoked = datetime(2026, 12, 31, 18, 30, 0, 500000, tzinfo=KOLKATA)
    token = add(token_store, alice, "phone", created)
    token_store.touch(token.id, used)
    token_store.revoke(token.id, revoked)
    (stored,) = token_store.list(alice.id)
    assert stored.created_at == created
    assert stored.last_used_at == used
    assert stored.revoked_at == revoked
    for moment in (stored.created_at, stored.last_used_at, stored.revoked_at):
        assert moment is not None and moment.utcoffset() is not None
    assert token.created_at == created and token.created_at.utcoffset() is not None
