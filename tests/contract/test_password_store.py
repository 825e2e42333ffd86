"""The PasswordStore contract, run against every adapter."""

from __future__ import annotations

import pytest

from bagboard.adapters.memory.passwords import MemoryPasswordStore
from bagboard.adapters.storage.admin.passwords import SqlPasswordStore
from bagboard.domain.model import Role, User
from bagboard.ports.password_store import PasswordStore
from bagboard.ports.user_store import UserStore
from tests.contract.conftest import Backend


@pytest.fixture
def password_store(backend: Backend, user_store: UserStore) -> PasswordStore:
    return backend.pick(lambda: MemoryPasswordStore(user_store), SqlPasswordStore)


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


def test_a_new_user_has_no_password(password_store: PasswordStore, alice: User) -> None:
    assert password_store.password_hash(alice.id) is None
    assert not password_store.has_any()


def test_a_hash_round_trips_and_replaces_the_last(
    password_store: PasswordStore, alice: User, bob: User
) -> None:
    assert password_store.set_password_hash(alice.id, "$argon2id$v=19$first")
    assert password_store.set_password_hash(alice.id, "$argon2id$v=19$second")
    assert password_store.password_hash(alice.id) == "$argon2id$v=19$second"
    assert password_store.password_hash(bob.id) is None


def test_none_removes_the_password(password_store: PasswordStore, alice: User) -> None:
    password_store.set_password_hash(alice.id, "hash")
    assert password_store.set_password_hash(alice.id, None)
    assert password_store.password_hash(alice.id) is None
    assert not password_store.has_any()


def test_an_unknown_user_stores_nothing(password_store: PasswordStore, alice: User) -> None:
    assert password_store.set_password_hash(999_999, "hash") is False
    assert password_store.password_hash(999_999) is None
    assert not password_store.has_any()


def test_has_any_by_role(password_store: PasswordStore, alice: User, bob: User) -> None:
    password_store.set_password_hash(bob.id, "hash")
    assert password_store.has_any()
    assert password_store.has_any(Role.READER)
    assert not password_store.has_any(Role.OWNER)
    password_store.set_password_hash(alice.id, "hash")
    assert password_store.has_any(Role.OWNER)


def test_a_role_change_moves_the_password_with_the_user(
    password_store: PasswordStore, user_store: UserStore, bob: User
) -> None:
    password_store.set_password_hash(bob.id, "hash")
    user_store.update(bob.id, Role.OWNER)
    assert password_store.has_any(Role.OWNER)
    assert not password_store.has_any(Role.READER)


def test_removing_a_user_removes_its_password(
    password_store: PasswordStore, user_store: UserStore, alice: User, bob: User
) -> None:
    password_store.set_password_hash(alice.id, "alice's")
    password_store.set_password_hash(bob.id, "bob's")
    user_store.remove(alice.id)
    assert password_store.password_hash(alice.id) is None
    assert not password_store.has_any(Role.OWNER)
    assert password_store.password_hash(bob.id) == "bob's"
    again = user_store.add("alice", Role.OWNER)
    assert password_store.password_hash(again.id) is None


def test_the_password_does_not_change_what_the_user_store_says(
    password_store: PasswordStore, user_store: UserStore, alice: User
) -> None:
    password_store.set_password_hash(alice.id, "hash")
    assert user_store.get(alice.id) == alice
    assert user_store.list() == [alice]
