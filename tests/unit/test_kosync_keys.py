"""KOReader's key (md5 of the password) is hashed beside the password, never kept as is,
and a PasswordCheck over the key hashes verifies what KOReader sends."""

from __future__ import annotations

import hashlib

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.adapters.memory.passwords import MemoryKosyncKeys, MemoryPasswordStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.errors import TooManyAttempts, Unauthorized
from bagboard.domain.model import Role
from bagboard.domain.passwords import kosync_key
from bagboard.services.passwords import PasswordCheck
from bagboard.services.sign_in_limits import SignInLimiter

PASSWORD = "correct horse battery"


class World:
    def __init__(self) -> None:
        self.clock = ManualClock()
        self.users = MemoryUserStore(MemoryTokenStore())
        self.passwords = MemoryPasswordStore(self.users)
        self.keys = MemoryKosyncKeys(self.users)
        self.hasher = QuickHasher()
        self.limiter = SignInLimiter(self.clock)
        self.check = PasswordCheck(
            self.users,
            self.passwords,
            self.hasher,
            self.limiter,
            self.clock,
            kosync_keys=self.keys,
        )
        self.kosync = PasswordCheck(self.users, self.keys, self.hasher, self.limiter, self.clock)


@pytest.fixture
def world() -> World:
    return World()


def test_the_key_is_koreaders_md5_of_the_password() -> None:
    # KOReader sends md5("secret") for the password "secret" (its sync dialog).
    assert kosync_key("secret") == "5ebe2294ecd0e0f08eab7690d2a6ee69"
    assert kosync_key(PASSWORD) == hashlib.md5(PASSWORD.encode()).hexdigest()


def test_setting_a_password_stores_a_hash_of_the_key_not_the_key(world: World) -> None:
    alice = world.users.add("alice", Role.OWNER)
    world.check.set(alice, PASSWORD)
    stored = world.keys.password_hash(alice.id)
    assert stored is not None and kosync_key(PASSWORD) not in stored
    assert world.hasher.verify(stored, kosync_key(PASSWORD))
    assert world.kosync.verify("alice", kosync_key(PASSWORD)).id == alice.id
    with pytest.raises(Unauthorized):
        world.kosync.verify("alice", PASSWORD)  # the password itself is not the key


def test_clearing_the_password_clears_the_key(world: World) -> None:
    alice = world.users.add("alice", Role.OWNER)
    world.check.set(alice, PASSWORD)
    world.check.set(alice, None)
    assert world.keys.password_hash(alice.id) is None
    with pytest.raises(Unauthorized):
        world.kosync.verify("alice", kosync_key(PASSWORD))


def test_a_password_set_before_gets_its_key_at_the_next_sign_in(world: World) -> None:
    alice = world.users.add("alice", Role.OWNER)
    world.passwords.set_password_hash(alice.id, world.hasher.hash(PASSWORD))
    with pytest.raises(Unauthorized):
        world.kosync.verify("alice", kosync_key(PASSWORD))
    world.check.verify("alice", PASSWORD)
    assert world.kosync.verify("alice", kosync_key(PASSWORD)).id == alice.id


def test_wrong_keys_share_the_web_throttle(world: World) -> None:
    alice = world.users.add("alice", Role.OWNER)
    world.check.set(alice, PASSWORD)
    with pytest.raises(TooManyAttempts):
        for _ in range(100):
            with pytest.raises(Unauthorized):
                world.kosync.verify("alice", "0" * 32, "192.0.2.7")
    # The web sign-in of the same name is throttled too.
    with pytest.raises(TooManyAttempts):
        world.check.verify("alice", PASSWORD, "192.0.2.8")
