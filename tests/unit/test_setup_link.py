"""The first-run setup link: once, for ten minutes, from the address it names."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bagboard.domain.errors import InvalidInput, Unauthorized
from bagboard.domain.model import Role
from bagboard.domain.web_sessions import SETUP_LINK_LIFETIME
from bagboard.services.web_sessions import same_address
from tests.unit.sign_in_support import SignInWorld, sign_in_world

PASSWORD = "correct horse battery"
HERE = "127.0.0.1"


@pytest.fixture
def world() -> SignInWorld:
    return sign_in_world()


def test_setup_is_needed_until_an_owner_has_a_password(world: SignInWorld) -> None:
    assert world.service.setup_needed()
    world.accounts.add_user("reader", Role.READER)
    world.service.set_password("reader", PASSWORD)
    assert world.service.setup_needed()
    world.accounts.add_user("boss", Role.OWNER)
    world.service.set_password("boss", PASSWORD)
    assert not world.service.setup_needed()


def test_redeeming_creates_the_owner_sets_the_password_and_signs_in(world: SignInWorld) -> None:
    secret = world.service.issue_setup_link(HERE)
    cookie, session = world.service.redeem_setup(secret, HERE, PASSWORD)
    assert session.user.name == "owner" and session.user.role is Role.OWNER
    assert world.service.session(cookie) == session
    assert not world.service.setup_needed()
    world.service.sign_in("owner", PASSWORD, HERE)


def test_the_existing_first_owner_gets_the_password(world: SignInWorld) -> None:
    world.accounts.add_user("alice", Role.OWNER)
    secret = world.service.issue_setup_link(HERE)
    _, session = world.service.redeem_setup(secret, HERE, PASSWORD)
    assert session.user.name == "alice"
    assert world.service.has_password("alice")


def test_the_link_works_once(world: SignInWorld) -> None:
    secret = world.service.issue_setup_link(HERE)
    world.service.redeem_setup(secret, HERE, PASSWORD)
    with pytest.raises(Unauthorized):
        world.service.redeem_setup(secret, HERE, "another password")
    world.service.sign_in("owner", PASSWORD, HERE)


def test_the_link_expires(world: SignInWorld) -> None:
    secret = world.service.issue_setup_link(HERE)
    world.clock.advance(SETUP_LINK_LIFETIME)
    with pytest.raises(Unauthorized):
        world.service.redeem_setup(secret, HERE, PASSWORD)
    assert world.service.setup_needed()


def test_the_link_works_until_it_expires(world: SignInWorld) -> None:
    secret = world.service.issue_setup_link(HERE)
    world.clock.advance(SETUP_LINK_LIFETIME - timedelta(seconds=1))
    world.service.redeem_setup(secret, HERE, PASSWORD)


def test_the_link_only_works_from_its_address(world: SignInWorld) -> None:
    secret = world.service.issue_setup_link("192.0.2.10")
    for elsewhere in ("192.0.2.11", HERE, "garbage", ""):
        with pytest.raises(Unauthorized):
            world.service.redeem_setup(secret, elsewhere, PASSWORD)
    # Refusals do not spend it.
    world.service.redeem_setup(secret, "::ffff:192.0.2.10", PASSWORD)


def test_a_wrong_secret_is_refused(world: SignInWorld) -> None:
    secret = world.service.issue_setup_link(HERE)
    for wrong in (secret + "x", secret[:-1], "", "x" * 5000):
        with pytest.raises(Unauthorized):
            world.service.redeem_setup(wrong, HERE, PASSWORD)
    world.service.redeem_setup(secret, HERE, PASSWORD)


def test_a_refused_password_leaves_the_link_usable(world: SignInWorld) -> None:
    secret = world.service.issue_setup_link(HERE)
    with pytest.raises(InvalidInput):
        world.service.redeem_setup(secret, HERE, "short")
    assert world.accounts.list_users() == []
    world.service.redeem_setup(secret, HERE, PASSWORD)


def test_a_new_link_replaces_the_last(world: SignInWorld) -> None:
    first = world.service.issue_setup_link(HERE)
    second = world.service.issue_setup_link(HERE)
    with pytest.raises(Unauthorized):
        world.service.redeem_setup(first, HERE, PASSWORD)
    world.service.redeem_setup(second, HERE, PASSWORD)


def test_the_link_dies_once_an_owner_has_a_password_another_way(world: SignInWorld) -> None:
    world.accounts.add_user("alice", Role.OWNER)
    secret = world.service.issue_setup_link(HERE)
    world.service.set_password("alice", PASSWORD)
    with pytest.raises(Unauthorized):
        world.service.redeem_setup(secret, HERE, "a takeover password")
    world.service.sign_in("alice", PASSWORD, HERE)


def test_no_link_is_issued_when_not_needed_or_for_a_non_address(world: SignInWorld) -> None:
    with pytest.raises(InvalidInput):
        world.service.issue_setup_link("example.org")
    world.accounts.add_user("alice", Role.OWNER)
    world.service.set_password("alice", PASSWORD)
    with pytest.raises(InvalidInput):
        world.service.issue_setup_link(HERE)


@pytest.mark.parametrize(
    ("bound", "address", "same"),
    [
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "::1", True),
        ("127.0.0.1", "127.0.0.2", True),
        ("::1", "[::1]", True),
        ("192.0.2.10", "::ffff:192.0.2.10", True),
        ("192.0.2.10", "192.0.2.1", False),
        ("192.0.2.10", "127.0.0.1", False),
        ("127.0.0.1", "localhost", False),
        ("2001:db8::1", "2001:DB8:0::1", True),
    ],
)
def test_same_address(bound: str, address: str, same: bool) -> None:
    assert same_address(bound, address) is same
