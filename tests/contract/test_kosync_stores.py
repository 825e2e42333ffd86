"""The KosyncOrphans and KosyncKeyStore contracts, run against every adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bagboard.adapters.memory.kosync import MemoryKosyncOrphans
from bagboard.adapters.memory.passwords import MemoryKosyncKeys, MemoryPasswordStore
from bagboard.adapters.storage.admin.passwords import SqlKosyncKeys, SqlPasswordStore
from bagboard.adapters.storage.kosync.orphans import SqlKosyncOrphans
from bagboard.domain.errors import UserNotFound
from bagboard.domain.kosync import KosyncPosition
from bagboard.domain.model import Role, User
from bagboard.ports.kosync_keys import KosyncKeyStore
from bagboard.ports.kosync_orphans import KosyncOrphans
from bagboard.ports.password_store import PasswordStore
from bagboard.ports.user_store import UserStore
from tests.contract.conftest import Backend

T0 = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
DOC = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def orphans(backend: Backend, user_store: UserStore) -> KosyncOrphans:
    return backend.pick(lambda: MemoryKosyncOrphans(user_store), SqlKosyncOrphans)


@pytest.fixture
def keys(backend: Backend, user_store: UserStore) -> KosyncKeyStore:
    return backend.pick(lambda: MemoryKosyncKeys(user_store), SqlKosyncKeys)


@pytest.fixture
def passwords(backend: Backend, user_store: UserStore) -> PasswordStore:
    return backend.pick(lambda: MemoryPasswordStore(user_store), SqlPasswordStore)


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


def _position(document: str = DOC, progress: str = "12", at: datetime = T0) -> KosyncPosition:
    return KosyncPosition(document, progress, 0.2, "Kobo Libra 2", "a1b2c3", at)


def test_an_orphan_round_trips_per_user(orphans: KosyncOrphans, alice: User, bob: User) -> None:
    orphans.put(alice.id, _position())
    found = orphans.get(alice.id, DOC)
    assert found == _position()
    assert found is not None and found.updated_at == T0
    assert orphans.get(bob.id, DOC) is None
    assert orphans.get(alice.id, "f" * 32) is None


def test_the_last_write_replaces_the_orphan(orphans: KosyncOrphans, alice: User) -> None:
    orphans.put(alice.id, _position(progress="12"))
    later = _position(progress="/body/DocFragment[3]/text().0", at=T0 + timedelta(minutes=5))
    orphans.put(alice.id, later)
    assert orphans.get(alice.id, DOC) == later
    assert orphans.documents() == [DOC]


def test_documents_lists_each_once_in_order(orphans: KosyncOrphans, alice: User, bob: User) -> None:
    orphans.put(bob.id, _position("b" * 32))
    orphans.put(alice.id, _position("b" * 32))
    orphans.put(alice.id, _position("a" * 32))
    assert orphans.documents() == ["a" * 32, "b" * 32]


def test_take_removes_every_users_orphan_of_a_document(
    orphans: KosyncOrphans, alice: User, bob: User
) -> None:
    orphans.put(bob.id, _position(progress="7"))
    orphans.put(alice.id, _position(progress="3"))
    orphans.put(alice.id, _position("e" * 32))
    taken = orphans.take(DOC)
    assert [(user_id, p.progress) for user_id, p in taken] == [(alice.id, "3"), (bob.id, "7")]
    assert orphans.get(alice.id, DOC) is None
    assert orphans.documents() == ["e" * 32]
    assert list(orphans.take(DOC)) == []


def test_orphans_go_with_their_user(
    orphans: KosyncOrphans, user_store: UserStore, alice: User
) -> None:
    orphans.put(alice.id, _position())
    user_store.remove(alice.id)
    assert orphans.get(alice.id, DOC) is None
    assert orphans.documents() == []


def test_an_orphan_for_an_unknown_user_is_refused(orphans: KosyncOrphans) -> None:
    with pytest.raises(UserNotFound):
        orphans.put(999_999, _position())


def test_key_hashes_are_kept_apart_from_passwords(
    keys: KosyncKeyStore, passwords: PasswordStore, alice: User, bob: User
) -> None:
    assert keys.password_hash(alice.id) is None
    assert keys.set_password_hash(alice.id, "$argon2id$key")
    passwords.set_password_hash(alice.id, "$argon2id$password")
    assert keys.password_hash(alice.id) == "$argon2id$key"
    assert passwords.password_hash(alice.id) == "$argon2id$password"
    assert keys.has_any(Role.OWNER) and not keys.has_any(Role.READER)
    assert keys.set_password_hash(alice.id, None)
    assert keys.password_hash(alice.id) is None
    assert passwords.password_hash(alice.id) == "$argon2id$password"
    assert keys.set_password_hash(999_999, "x") is False
