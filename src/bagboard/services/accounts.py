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

    def update_user(
        self,
        name: str,
        *,
        role: Role | None = None,
        library_ids: Iterable[int] | None = None,
        all_libraries: bool = False,
    ) -> User:
        """Change a user's role, and the libraries they may see: ``library_ids`` replaces
        the allowance, ``all_libraries`` lifts it (not both); what is not given is kept.
        Refuses to demote the last owner."""
        if library_ids is not None and all_libraries:
            raise InvalidInput("give either libraries or all libraries, not both")
        user = self.user(name)
        new_role = user.role if role is None else role
        if user.role is Role.OWNER and new_role is not Role.OWNER:
            self._keep_an_owner(user, "demote")
        if all_libraries:
            allowed: Iterable[int] | None = None
        else:
            allowed = user.library_ids if library_ids is None else library_ids
        updated = self._users.update(user.id, new_role, allowed)
        if updated is None:
            raise UserNotFound(f"no user named {name!r}")
        return updated

    def remove_user(self, name: str) -> User:
        """Delete a user with its tokens, shelves, reading positions and read marks (they
        belong to nobody else). Refuses to remove the last owner. A running server refuses
        the user's tokens once its short cache of them lapses (two seconds)."""
        user = self.user(name)
        if user.role is Role.OWNER:
            self._keep_an_owner(user, "remove")
        removed = self._users.remove(user.id)
        if removed is None:
            raise UserNotFound(f"no user named {name!r}")
        return removed

    def _keep_an_owner(self, user: User, verb: str) -> None:
        others = [u for u in self._users.list() if u.role is Role.OWNER and u.id != user.id]
        if not others:
            raise InvalidInput(
                f"cannot {verb} {user.name!r}: it is the last owner (make another user "
                "an owner first)"
            )

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
