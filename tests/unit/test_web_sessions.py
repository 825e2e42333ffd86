"""WebSessionService: passwords, sessions and sign-out, on the memory adapters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.domain.errors import InvalidInput, TooManyAttempts, Unauthorized, UserNotFound
from bagboard.domain.model import Role
from bagboard.domain.tokens import hash_secret
from bagboard.domain.web_sessions import SESSION_LIFETIME, TOUCH_INTERVAL
from bagboard.services.passwords import PasswordCheck
from bagboard.services.web_sessions import WebSessionService
from tests.unit.sign_in_support import SignInWorld, sign_in_world

PASSWORD = "correct horse battery"
HOME = "192.0.2.10"


@pytest.fixture
def world() -> SignInWorld:
    w = sign_in_world()
    w.accounts.add_user("alice", Role.OWNER)
    w.accounts.add_user("bob", Role.READER)
    w.service.set_password("alice", PASSWORD)
    return w


def test_sign_in_gives_a_secret_that_finds_the_session(world: SignInWorld) -> None:
    secret, session = world.service.sign_in("alice", PASSWORD, HOME)
    assert session.user.name == "alice"
    assert session.expires_at - session.created_at == SESSION_LIFETIME
    assert len(session.csrf_token) >= 40
    assert world.service.session(secret) == session
    # Only the hash is stored: the secret itself is nowhere in the store.
    stored = world.sessions.find(hash_secret(secret))
    assert stored is not None and stored.secret_hash != secret


def test_each_sign_in_has_its_own_secret_and_csrf_token(world: SignInWorld) -> None:
    one, first = world.service.sign_in("alice", PASSWORD, HOME)
    two, second = world.service.sign_in("ALICE", PASSWORD, HOME)
    assert one != two and first.csrf_token != second.csrf_token and first.id != second.id


@pytest.mark.parametrize(
    ("name", "password"),
    [("alice", "wrong password"), ("nobody", PASSWORD), ("bob", PASSWORD), ("", PASSWORD)],
)
def test_wrong_name_password_or_no_password_say_the_same(
    world: SignInWorld, name: str, password: str
) -> None:
    with pytest.raises(Unauthorized) as info:
        world.service.sign_in(name, password, HOME)
    assert info.value.message == "Wrong user name or password."


def test_an_unknown_user_is_checked_against_a_dummy_hash() -> None:
    calls: list[str] = []

    class Counting(QuickHasher):
        def verify(self, password_hash: str, password: str) -> bool:
            calls.append(password_hash)
            return super().verify(password_hash, password)

    world = sign_in_world(Counting())
    with pytest.raises(Unauthorized):
        world.service.sign_in("nobody", PASSWORD, HOME)
    assert len(calls) == 1 and calls[0].startswith("scrypt$")


def test_sessions_expire_after_their_fixed_lifetime(world: SignInWorld) -> None:
    secret, _ = world.service.sign_in("alice", PASSWORD, HOME)
    world.clock.advance(SESSION_LIFETIME - timedelta(seconds=1))
    assert world.service.session(secret) is not None
    world.clock.advance(timedelta(seconds=1))
    assert world.service.session(secret) is None


def test_use_is_recorded_at_most_once_per_interval(world: SignInWorld) -> None:
    secret, session = world.service.sign_in("alice", PASSWORD, HOME)
    world.clock.advance(TOUCH_INTERVAL - timedelta(seconds=1))
    world.service.session(secret)
    stored = world.sessions.find(hash_secret(secret))
    assert stored is not None and stored.last_seen_at == session.created_at
    world.clock.advance(timedelta(seconds=1))
    world.service.session(secret)
    stored = world.sessions.find(hash_secret(secret))
    assert stored is not None and stored.last_seen_at == world.clock.now()


def test_a_server_records_the_use_through_what_it_gives_not_the_store(
    world: SignInWorld,
) -> None:
    noted: list[tuple[int, datetime]] = []
    service = WebSessionService(
        world.users,
        world.passwords,
        world.sessions,
        world.check,
        world.accounts,
        world.clock,
        touch=lambda session_id, at: noted.append((session_id, at)),
    )
    secret, session = service.sign_in("alice", PASSWORD, HOME)
    world.clock.advance(TOUCH_INTERVAL)
    service.session(secret)
    assert noted == [(session.id, world.clock.now())]
    stored = world.sessions.find(hash_secret(secret))
    assert stored is not None and stored.last_seen_at == session.created_at


def test_sign_out_ends_the_session_server_side(world: SignInWorld) -> None:
    secret, _ = world.service.sign_in("alice", PASSWORD, HOME)
    other, _ = world.service.sign_in("alice", PASSWORD, HOME)
    world.service.sign_out(secret)
    assert world.service.session(secret) is None
    assert world.service.session(other) is not None
    world.service.sign_out(secret)  # twice is harmless
    world.service.sign_out("not a session")


@pytest.mark.parametrize("secret", ["", "x", "a" * 10_000])
def test_unknown_secrets_are_no_session(world: SignInWorld, secret: str) -> None:
    assert world.service.session(secret) is None


def test_the_session_carries_the_user_as_stored_now(world: SignInWorld) -> None:
    secret, _ = world.service.sign_in("alice", PASSWORD, HOME)
    world.accounts.add_user("carol", Role.OWNER)
    world.accounts.update_user("alice", role=Role.READER, library_ids=[])
    session = world.service.session(secret)
    assert session is not None
    assert session.user.role is Role.READER and session.user.library_ids == frozenset()


def test_removing_the_user_ends_sessions_and_password(world: SignInWorld) -> None:
    world.service.set_password("bob", PASSWORD)
    secret, _ = world.service.sign_in("bob", PASSWORD, HOME)
    world.accounts.remove_user("bob")
    assert world.service.session(secret) is None
    world.accounts.add_user("bob")
    assert not world.service.has_password("bob")


@pytest.mark.parametrize("password", ["short", "x" * 7, "y" * 1025, "line\nbreak here"])
def test_set_password_refuses_bad_passwords(world: SignInWorld, password: str) -> None:
    with pytest.raises(InvalidInput):
        world.service.set_password("bob", password)
    assert not world.service.has_password("bob")


def test_set_password_accepts_the_length_bounds(world: SignInWorld) -> None:
    world.service.set_password("bob", "e" * 8)
    world.service.set_password("bob", " " * 1024)
    world.service.sign_in("bob", " " * 1024, HOME)


def test_unknown_users_are_not_found(world: SignInWorld) -> None:
    with pytest.raises(UserNotFound):
        world.service.set_password("nobody", PASSWORD)
    with pytest.raises(UserNotFound):
        world.service.has_password("nobody")


def test_a_new_password_ends_other_sessions_but_keeps_the_callers(world: SignInWorld) -> None:
    mine, _ = world.service.sign_in("alice", PASSWORD, HOME)
    theirs, _ = world.service.sign_in("alice", PASSWORD, "198.51.100.7")
    world.service.set_password("bob", PASSWORD)
    bobs, _ = world.service.sign_in("bob", PASSWORD, HOME)
    world.service.set_password("alice", "a brand new password", keep_session=mine)
    assert world.service.session(mine) is not None
    assert world.service.session(theirs) is None
    assert world.service.session(bobs) is not None
    with pytest.raises(Unauthorized):
        world.service.sign_in("alice", PASSWORD, HOME)
    world.service.sign_in("alice", "a brand new password", HOME)


def test_another_users_session_is_not_kept(world: SignInWorld) -> None:
    world.service.set_password("bob", PASSWORD)
    bobs, _ = world.service.sign_in("bob", PASSWORD, HOME)
    world.service.set_password("alice", "a brand new password", keep_session=bobs)
    assert world.service.session(bobs) is not None  # bob's own sessions are untouched
    alices, _ = world.service.sign_in("alice", "a brand new password", HOME)
    world.service.set_password("alice", "yet another password", keep_session=bobs)
    assert world.service.session(alices) is None


def test_clearing_a_password_ends_every_session(world: SignInWorld) -> None:
    secret, _ = world.service.sign_in("alice", PASSWORD, HOME)
    assert world.service.clear_password("alice") is True
    assert world.service.session(secret) is None
    assert not world.service.has_password("alice")
    assert world.service.clear_password("alice") is False
    with pytest.raises(Unauthorized):
        world.service.sign_in("alice", PASSWORD, HOME)


def test_a_hash_with_old_parameters_is_upgraded_on_sign_in() -> None:
    world = sign_in_world(QuickHasher(cost=4))
    world.accounts.add_user("alice", Role.OWNER)
    world.service.set_password("alice", PASSWORD)
    user = world.users.get_by_name("alice")
    assert user is not None
    assert (world.passwords.password_hash(user.id) or "").startswith("scrypt$4$")
    # The same stores, served by a process whose hasher has moved on.
    check = PasswordCheck(
        world.users, world.passwords, QuickHasher(cost=16), world.limiter, world.clock
    )
    service = WebSessionService(
        world.users, world.passwords, world.sessions, check, world.accounts, world.clock
    )
    service.sign_in("alice", PASSWORD, HOME)
    assert (world.passwords.password_hash(user.id) or "").startswith("scrypt$16$")
    service.sign_in("alice", PASSWORD, HOME)


def test_failures_per_user_name_lock_it_for_a_while(world: SignInWorld) -> None:
    for _ in range(5):
        with pytest.raises(Unauthorized):
            world.service.sign_in("Alice", "wrong password", f"198.51.100.{_}")
    with pytest.raises(TooManyAttempts) as info:
        world.service.sign_in("alice", PASSWORD, HOME)  # even the right one
    assert 0 < info.value.retry_after <= 15 * 60
    world.clock.advance(timedelta(seconds=info.value.retry_after))
    world.service.sign_in("alice", PASSWORD, HOME)


def test_a_success_clears_the_users_failures(world: SignInWorld) -> None:
    for _ in range(4):
        with pytest.raises(Unauthorized):
            world.service.sign_in("alice", "wrong password", HOME)
    world.service.sign_in("alice", PASSWORD, HOME)
    for _ in range(4):
        with pytest.raises(Unauthorized):
            world.service.sign_in("alice", "wrong password", HOME)
    world.service.sign_in("alice", PASSWORD, HOME)


def test_failures_per_address_lock_that_address_only(world: SignInWorld) -> None:
    for n in range(20):
        with pytest.raises(Unauthorized):
            world.service.sign_in(f"guess{n}", PASSWORD, HOME)
    with pytest.raises(TooManyAttempts):
        world.service.sign_in("alice", PASSWORD, HOME)
    world.service.sign_in("alice", PASSWORD, "198.51.100.7")
