from __future__ import annotations

from datetime import timedelta

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.errors import ApiDisabled, Unauthorized
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def tokens() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def users() -> MemoryUserStore:
    return MemoryUserStore()


@pytest.fixture
def accounts(
    users: MemoryUserStore, tokens: MemoryTokenStore, clock: ManualClock
) -> AccountService:
    return AccountService(users, tokens, clock)


@pytest.fixture
def auth(users: MemoryUserStore, tokens: MemoryTokenStore, clock: ManualClock) -> Authenticator:
    return Authenticator(users, tokens, clock)


@pytest.mark.parametrize("header", [None, "Bearer whatever", "garbage"])
def test_no_token_at_all_disables_the_api(auth: Authenticator, header: str | None) -> None:
    with pytest.raises(ApiDisabled) as info:
        auth.authenticate(header)
    assert "bagboard token create" in info.value.message


def test_valid_bearer_returns_the_owner(auth: Authenticator, accounts: AccountService) -> None:
    issued = accounts.create_token()
    user = auth.authenticate(f"Bearer {issued.secret}")
    assert user.id == issued.token.user_id
    assert user.role == "owner"


@pytest.mark.parametrize(
    "make_header",
    [
        lambda s: None,
        lambda s: f"bearer {s}x",
        lambda s: f"Basic {s}",
        lambda s: "Bearer ",
        lambda s: f"Bearer {s}x",
        lambda s: f"Bearer{s}",
    ],
)
def test_bad_credentials_are_unauthorized(
    auth: Authenticator, accounts: AccountService, make_header: object
) -> None:
    issued = accounts.create_token()
    header = make_header(issued.secret)  # type: ignore[operator]
    with pytest.raises(Unauthorized):
        auth.authenticate(header)


def test_whitespace_around_the_token_is_trimmed(
    auth: Authenticator, accounts: AccountService
) -> None:
    issued = accounts.create_token()
    assert auth.authenticate(f"Bearer   {issued.secret} \t").id == issued.token.user_id


def test_api_key_header_is_an_alternative(auth: Authenticator, accounts: AccountService) -> None:
    issued = accounts.create_token()
    assert auth.authenticate(None, api_key=f" {issued.secret} ").id == issued.token.user_id
    with pytest.raises(Unauthorized):
        auth.authenticate(None, api_key="nope")


def test_revoked_token_is_refused_but_the_api_stays_enabled(
    auth: Authenticator, accounts: AccountService
) -> None:
    issued = accounts.create_token()
    accounts.revoke_token(issued.token.id)
    with pytest.raises(Unauthorized):
        auth.authenticate(f"Bearer {issued.secret}")


def test_two_users_tokens_authenticate_as_two_users(
    auth: Authenticator, accounts: AccountService
) -> None:
    accounts.add_user("bob")
    mine = accounts.create_token()
    bobs = accounts.create_token("bob", "phone")
    assert auth.authenticate(f"Bearer {mine.secret}").name == "owner"
    assert auth.authenticate(f"Bearer {bobs.secret}").name == "bob"


def test_last_used_is_written_at_most_once_a_minute(
    auth: Authenticator, accounts: AccountService, tokens: MemoryTokenStore, clock: ManualClock
) -> None:
    issued = accounts.create_token()
    header = f"Bearer {issued.secret}"
    first = clock.now()
    auth.authenticate(header)
    assert tokens.list()[0].last_used_at == first
    clock.advance(timedelta(seconds=59))
    auth.authenticate(header)
    assert tokens.list()[0].last_used_at == first
    clock.advance(timedelta(seconds=2))
    auth.authenticate(header)
    assert tokens.list()[0].last_used_at == clock.now()
