"""The WebSessionStore contract, run against every adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bagboard.adapters.memory.web_sessions import MemoryWebSessionStore
from bagboard.adapters.storage.admin.web_sessions import SqlWebSessionStore
from bagboard.domain.errors import AlreadyExists, UserNotFound
from bagboard.domain.model import Role, User
from bagboard.domain.tokens import hash_secret
from bagboard.domain.web_sessions import StoredSession
from bagboard.ports.user_store import UserStore
from bagboard.ports.web_session_store import WebSessionStore
from tests.contract.conftest import Backend

# Microseconds and a non-UTC offset on purpose: both must survive the round trip.
T0 = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
KOLKATA = timezone(timedelta(hours=5, minutes=30))
DAY = timedelta(days=1)


@pytest.fixture
def sessions(backend: Backend, user_store: UserStore) -> WebSessionStore:
    return backend.pick(lambda: MemoryWebSessionStore(user_store), SqlWebSessionStore)


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


def add(store: WebSessionStore, user: User, name: str, at: datetime = T0) -> StoredSession:
    return store.add(user.id, hash_secret(f"{user.name}-{name}"), f"csrf-{name}", at, at + DAY)


def test_add_returns_the_session_found_by_hash(sessions: WebSessionStore, alice: User) -> None:
    digest = hash_secret("secret")
    stored = sessions.add(alice.id, digest, "csrf", T0, T0 + DAY)
    assert (stored.user_id, stored.secret_hash, stored.csrf_token) == (alice.id, digest, "csrf")
    assert (stored.created_at, stored.expires_at, stored.last_seen_at) == (T0, T0 + DAY, T0)
    assert sessions.find(digest) == stored


def test_times_come_back_in_utc(sessions: WebSessionStore, alice: User) -> None:
    local = T0.astimezone(KOLKATA)
    stored = sessions.add(alice.id, hash_secret("x"), "csrf", local, local + DAY)
    assert stored.created_at == T0 and stored.created_at.utcoffset() == timedelta(0)
    found = sessions.find(hash_secret("x"))
    assert found is not None and found.expires_at.utcoffset() == timedelta(0)


def test_unknown_hashes_are_none(sessions: WebSessionStore, alice: User) -> None:
    add(sessions, alice, "phone")
    assert sessions.find(hash_secret("nope")) is None


def test_ids_differ(sessions: WebSessionStore, alice: User, bob: User) -> None:
    ids = {add(sessions, alice, "a").id, add(sessions, alice, "b").id, add(sessions, bob, "a").id}
    assert len(ids) == 3


def test_a_duplicate_hash_is_refused(sessions: WebSessionStore, alice: User, bob: User) -> None:
    first = sessions.add(alice.id, hash_secret("same"), "csrf", T0, T0 + DAY)
    with pytest.raises(AlreadyExists):
        sessions.add(bob.id, hash_secret("same"), "other", T0, T0 + DAY)
    assert sessions.find(hash_secret("same")) == first


def test_an_unknown_user_is_refused(sessions: WebSessionStore, alice: User) -> None:
    with pytest.raises(UserNotFound):
        sessions.add(999_999, hash_secret("x"), "csrf", T0, T0 + DAY)
    assert sessions.find(hash_secret("x")) is None


def test_expired_sessions_are_still_found(sessions: WebSessionStore, alice: User) -> None:
    # The caller decides what an expired session means.
    stored = add(sessions, alice, "old", T0 - 3 * DAY)
    assert sessions.find(stored.secret_hash) == stored


def test_touch_moves_last_seen_only(sessions: WebSessionStore, alice: User) -> None:
    stored = add(sessions, alice, "phone")
    later = T0 + timedelta(hours=3, microseconds=5)
    sessions.touch(stored.id, later)
    found = sessions.find(stored.secret_hash)
    assert found is not None and found.last_seen_at == later
    assert (found.created_at, found.expires_at) == (stored.created_at, stored.expires_at)
    sessions.touch(stored.id, T0)  # the last call wins, even when earlier
    found = sessions.find(stored.secret_hash)
    assert found is not None and found.last_seen_at == T0
    sessions.touch(999_999, later)  # ignored


def test_remove_deletes_one(sessions: WebSessionStore, alice: User) -> None:
    one, two = add(sessions, alice, "one"), add(sessions, alice, "two")
    assert sessions.remove(one.id) is True
    assert sessions.find(one.secret_hash) is None
    assert sessions.find(two.secret_hash) == two
    assert sessions.remove(one.id) is False


def test_remove_for_user_keeps_the_one_named_and_other_users(
    sessions: WebSessionStore, alice: User, bob: User
) -> None:
    a1, a2, a3 = (add(sessions, alice, n) for n in ("1", "2", "3"))
    b1 = add(sessions, bob, "1")
    assert sessions.remove_for_user(alice.id, keep=a2.id) == 2
    assert [sessions.find(s.secret_hash) for s in (a1, a2, a3, b1)] == [None, a2, None, b1]
    assert sessions.remove_for_user(alice.id) == 1
    assert sessions.find(a2.secret_hash) is None
    assert sessions.remove_for_user(alice.id) == 0


def test_remove_expired_deletes_those_not_after_now(sessions: WebSessionStore, alice: User) -> None:
    ended = add(sessions, alice, "ended", T0 - 2 * DAY)  # expired a day before T0
    edge = add(sessions, alice, "edge", T0 - DAY)  # expires exactly at T0
    live = add(sessions, alice, "live", T0)
    assert sessions.remove_expired(T0) == 2
    assert [sessions.find(s.secret_hash) for s in (ended, edge, live)] == [None, None, live]


def test_removing_a_user_removes_its_sessions(
    sessions: WebSessionStore, user_store: UserStore, alice: User, bob: User
) -> None:
    mine, theirs = add(sessions, alice, "phone"), add(sessions, bob, "phone")
    user_store.remove(alice.id)
    assert sessions.find(mine.secret_hash) is None
    assert sessions.find(theirs.secret_hash) == theirs
    assert sessions.remove_for_user(alice.id) == 0
