"""Users and their API tokens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bagboard.domain.errors import AlreadyExists, InvalidInput, TokenNotFound, UserNotFound
from bagboard.domain.model import ApiToken, Role, User
from bagboard.domain.tokens import hash_secret, new_secret
from bagboard.ports.clock import Clock
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore

__all__ = ["DEFAULT_OWNER_NAME", "AccountService", "IssuedToken"]

DEFAULT_OWNER_NAME = "owner"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly created token: the only moment its secret is known."""

    token: ApiToken
    secret: str


class AccountService:
    def __init__(self, users: UserStore, tokens: TokenStore, clock: Clock) -> None:
        self._users = users
        self._tokens = tokens
        self._clock = clock

    def add_user(
        self, name: str, role: Role = Role.READER, library_ids: Iterable[int] | None = None
    ) -> User:
        name = name.strip()
        if not name:
            raise InvalidInput("user name must not be empty")
        if self._users.get_by_name(name) is not None:
            raise AlreadyExists(f"a user named {name!r} already exists")
        return self._users.add(name, role, library_ids)

    def list_users(self) -> list[User]:
        return self._users.list()

    def user(self, name: str) -> User:
        user = self._users.get_by_name(name.strip())
        if user is None:
            raise UserNotFound(f"no user named {name!r}")
        return user

    def owner(self) -> User:
        """The first owner, created (named ``owner``) when there is none yet."""
        owner = self._users.first_owner()
        if owner is not None:
            return owner
        name = DEFAULT_OWNER_NAME
        suffix = 1
        while self._users.get_by_name(name) is not None:
            suffix += 1
            name = f"{DEFAULT_OWNER_NAME}{suffix}"
        return self._users.add(name, Role.OWNER, None)

    def create_token(self, user_name: str | None = None, token_name: str = "") -> IssuedToken:
        """Create a token for ``user_name`` (default: the first owner, created if needed)."""
        user = self.owner() if user_name is None else self.user(user_name)
        secret = new_secret()
        label = token_name.strip() or "default"
        token = self._tokens.add(user.id, label, hash_secret(secret), self._clock.now())
        return IssuedToken(token=token, secret=secret)

    def list_tokens(self, user_name: str | None = None) -> list[ApiToken]:
        user_id = None if user_name is None else self.user(user_name).id
        return self._tokens.list(user_id)

    def revoke_token(self, token_id: int) -> ApiToken:
        token = self._tokens.revoke(token_id, self._clock.now())
        if token is None:
            raise TokenNotFound(f"no token with id {token_id}")
        return token
