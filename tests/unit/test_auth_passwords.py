"""The Authenticator with passwords: HTTP Basic ``name:password`` beside tokens."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from bagboard.adapters.memory.changes import MemoryChangeFeed
from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.domain.errors import ApiDisabled, TooManyAttempts, Unauthorized
from bagboard.domain.model import Role
from bagboard.services.auth import Authenticator
from bagboard.services.passwords import REMEMBER_VERIFIED, PasswordCheck
from bagboard.services.recent_cache import Freshness
from bagboard.services.sign_in_limits import SignInLimiter
from tests.unit.sign_in_support import SignInWorld, sign_in_world

PASSWORD = "correct horse battery"
HOME = "192.0.2.10"


class CountingHasher(QuickHasher):
    def __init__(self) -> None:
        super().__init__()
        self.verified = 0

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return super().verify(password_hash, password)


def basic(name: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def world(hasher: CountingHasher) -> SignInWorld:
    return sign_in_world(hasher)


@pytest.fixture
def auth(world: SignInWorld) -> Authenticator:
    return Authenticator(
        world.users,
        world.tokens,
        world.clock,
        freshness=Freshness(MemoryChangeFeed()),
        passwords=world.check,
        password_store=world.passwords,
    )


@pytest.fixture
def alice(world: SignInWorld) -> str:
    world.accounts.add_user("alice", Role.OWNER)
    world.service.set_password("alice", PASSWORD)
    return "alice"


def test_basic_with_the_users_password_names_the_user(auth: Authenticator, alice: str) -> None:
    credential = auth.credential(basic("Alice", PASSWORD), address=HOME)
    assert credential.user.name == alice and credential.token is None


def test_a_password_works_before_any_token_exists(auth: Authenticator, alice: str) -> None:
    assert auth.authenticate(basic(alice, PASSWORD)).name == alice
    with pytest.raises(Unauthorized) as info:
        auth.authenticate(basic(alice, "wrong password"))
    assert info.value.message == "Wrong user name or password."


def test_with_neither_tokens_nor_passwords_the_api_is_disabled(
    auth: Authenticator, world: SignInWorld, hasher: CountingHasher
) -> None:
    world.accounts.add_user("alice", Role.OWNER)
    with pytest.raises(ApiDisabled):
        auth.authenticate(basic("alice", PASSWORD))
    # Nobody has a password: a failed token costs no hash and counts as no failure.
    assert hasher.verified == 0


def test_a_token_as_the_basic_password_still_wins(
    auth: Authenticator, world: SignInWorld, alice: str, hasher: CountingHasher
) -> None:
    issued = world.accounts.create_token(alice)
    credential = auth.credential(basic("anything", issued.secret))
    assert credential.token == issued.token
    assert hasher.verified == 0


def test_a_verified_password_is_remembered_not_rehashed(
    auth: Authenticator, world: SignInWorld, alice: str, hasher: CountingHasher
) -> None:
    for _ in range(5):
        auth.authenticate(basic(alice, PASSWORD))
        world.clock.advance(timedelta(seconds=30))
    assert hasher.verified == 1
    world.clock.advance(REMEMBER_VERIFIED)
    auth.authenticate(basic(alice, PASSWORD))
    assert hasher.verified == 2


def test_the_memo_is_keyed_by_the_password(
    auth: Authenticator, alice: str, hasher: CountingHasher
) -> None:
    auth.authenticate(basic(alice, PASSWORD))
    with pytest.raises(Unauthorized):
        auth.authenticate(basic(alice, PASSWORD + "!"))
    assert hasher.verified == 2


def test_a_password_changed_in_this_process_applies_at_once(
    auth: Authenticator, world: SignInWorld, alice: str
) -> None:
    auth.authenticate(basic(alice, PASSWORD))
    world.service.set_password(alice, "a brand new password")
    with pytest.raises(Unauthorized):
        auth.authenticate(basic(alice, PASSWORD))
    assert auth.authenticate(basic(alice, "a brand new password")).name == alice


def test_a_password_changed_by_another_process_applies_within_seconds(
    auth: Authenticator, world: SignInWorld, alice: str
) -> None:
    auth.authenticate(basic(alice, PASSWORD))
    # Another process: its own check, over the same stores.
    other = PasswordCheck(
        world.users, world.passwords, QuickHasher(), SignInLimiter(world.clock), world.clock
    )
    user = world.users.get_by_name(alice)
    assert user is not None
    other.set(user, "a brand new password")
    world.clock.advance(timedelta(seconds=3))
    with pytest.raises(Unauthorized):
        auth.authenticate(basic(alice, PASSWORD))


def test_failures_are_throttled_by_name_and_address(auth: Authenticator, alice: str) -> None:
    for n in range(5):
        with pytest.raises(Unauthorized):
            auth.authenticate(basic(alice, "wrong password"), address=f"198.51.100.{n}")
    with pytest.raises(TooManyAttempts):
        auth.authenticate(basic(alice, PASSWORD), address=HOME)


def test_a_removed_user_is_refused_even_when_remembered(
    auth: Authenticator, world: SignInWorld, alice: str
) -> None:
    world.accounts.add_user("bob", Role.OWNER)
    world.service.set_password("bob", PASSWORD)
    auth.authenticate(basic(alice, PASSWORD))
    world.accounts.remove_user(alice)
    auth.forget()
    with pytest.raises(Unauthorized):
        auth.authenticate(basic(alice, PASSWORD))


def test_a_password_session_value_lasts_until_the_password_changes(
    auth: Authenticator, world: SignInWorld, alice: str
) -> None:
    credential = auth.credential(basic(alice, PASSWORD))
    value = auth.session_value(credential)
    found = auth.session_credential(value)
    assert found is not None and found.user.name == alice and found.token is None
    assert found.same_signer(credential)
    user_id, _, mac = value.split(".")
    assert auth.session_credential(f"{user_id}.p.{'0' * len(mac)}") is None
    world.service.set_password(alice, "a brand new password")
    auth.forget()
    assert auth.session_credential(value) is None
