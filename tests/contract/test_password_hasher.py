"""The PasswordHasher contract: argon2id (with small costs, to stay quick) and the memory
adapter's scrypt."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.adapters.passwords import Argon2Hasher
from bagboard.ports.password_hasher import PasswordHasher

HASHERS: dict[str, Callable[[], PasswordHasher]] = {
    "argon2": lambda: Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),
    "quick": QuickHasher,
}
# The same adapters, with other parameters than the ones above.
OTHER_PARAMETERS: dict[str, Callable[[], PasswordHasher]] = {
    "argon2": lambda: Argon2Hasher(time_cost=2, memory_cost=2048, parallelism=1),
    "quick": lambda: QuickHasher(cost=32),
}


@pytest.fixture(params=sorted(HASHERS))
def kind(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def hasher(kind: str) -> PasswordHasher:
    return HASHERS[kind]()


@pytest.mark.parametrize("password", ["correct horse", " spaced out ", "ünïcødé 🔑", "x" * 1024])
def test_a_hash_verifies_its_password_only(hasher: PasswordHasher, password: str) -> None:
    digest = hasher.hash(password)
    assert password not in digest
    assert hasher.verify(digest, password)
    assert not hasher.verify(digest, password + "x")
    assert not hasher.verify(digest, password.strip() + "!")


def test_hashes_are_salted(hasher: PasswordHasher) -> None:
    assert hasher.hash("correct horse") != hasher.hash("correct horse")


@pytest.mark.parametrize("garbage", ["", "plain text", "$argon2id$v=19$broken", "scrypt$16$@@$@@"])
def test_unreadable_hashes_verify_nothing(hasher: PasswordHasher, garbage: str) -> None:
    assert hasher.verify(garbage, "plain text") is False
    assert hasher.needs_rehash(garbage) is True


def test_a_fresh_hash_needs_no_rehash(hasher: PasswordHasher) -> None:
    assert not hasher.needs_rehash(hasher.hash("correct horse"))


def test_other_parameters_need_a_rehash_but_still_verify(kind: str, hasher: PasswordHasher) -> None:
    old = OTHER_PARAMETERS[kind]().hash("correct horse")
    assert hasher.verify(old, "correct horse")
    assert hasher.needs_rehash(old)
