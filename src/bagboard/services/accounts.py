"""Users and their API tokens.

The ``*_for`` and ``*_as`` methods are the same use cases for a signed-in person (the web
app's administration pages): they take the acting ``User`` and raise ``Forbidden`` unless it
is an owner, then apply the same rules as the plain methods (never remove or demote the last
owner, no duplicate names). ``on_change`` runs after every change a running server must see at
once (the API gate's short cache of tokens and users).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bagboard.domain.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    TokenNotFound,
    UserNotFound,
)
from bagboard.domain.model import ApiToken, Library, Role, User
from bagboard.domain.tokens import hash_secret, new_secret
from bagboard.ports.clock import Clock
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore

__all__ = ["DEFAULT_OWNER_NAME", "AccountService", "IssuedToken", "require_owner"]

DEFAULT_OWNER_NAME = "owner"
# Names typed in a web form: a user's and a token's.
MAX_NAME = 100
MAX_ID = 2**63


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly created token: the only moment its secret is known."""

    token: ApiToken
    secret: str


def require_owner(actor: User, what: str) -> None:
    """``Forbidden`` unless ``actor`` is an owner: only owners administer accounts."""
    if actor.role is not Role.OWNER:
        raise Forbidden(f"only an owner may {what}")


class AccountService:
    def __init__(
        self,
        users: UserStore,
        tokens: TokenStore,
        clock: Clock,
        *,
        libraries: LibraryStore | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._users = users
        self._tokens = tokens
        self._clock = clock
        # Optional: without it, library ids are not checked and ``libraries_for`` is empty.
        self._libraries = libraries
        self._on_change = on_change

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
        the user's tokens from its next request on (its change feed tells it)."""
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
        # Ids are positive 64-bit integers in every store; anything else names no token.
        if not 0 < token_id < MAX_ID:
            raise TokenNotFound(f"no token with id {token_id}")
        token = self._tokens.revoke(token_id, self._clock.now())
        if token is None:
            raise TokenNotFound(f"no token with id {token_id}")
        return token

    # --- for a signed-in owner --------------------------------------------------------------

    def list_users_for(self, actor: User) -> list[User]:
        """Every user, for an owner; ``Forbidden`` for anyone else."""
        require_owner(actor, "list the users")
        return self.list_users()

    def user_for(self, actor: User, name: str) -> User:
        """The user named ``name``, for an owner; ``UserNotFound`` when there is none."""
        require_owner(actor, "see users")
        return self.user(name)

    def libraries_for(self, actor: User) -> list[Library]:
        """The libraries a user may be limited to (enabled or not), for an owner."""
        require_owner(actor, "list the libraries")
        return [] if self._libraries is None else self._libraries.list()

    def add_user_as(
        self, actor: User, name: str, role: Role, library_ids: Iterable[int] | None
    ) -> User:
        """``add_user`` for an owner; ``library_ids`` None means every library."""
        require_owner(actor, "add users")
        if len(name.strip()) > MAX_NAME:
            raise InvalidInput(f"a user name has at most {MAX_NAME} characters")
        user = self.add_user(name, role, self._known(library_ids))
        self._changed()
        return user

    def update_user_as(
        self, actor: User, name: str, role: Role, library_ids: Iterable[int] | None
    ) -> User:
        """Set a user's role and libraries (None: every library), for an owner. Refuses to
        demote the last owner."""
        require_owner(actor, "change users")
        known = self._known(library_ids)
        if known is None:
            user = self.update_user(name, role=role, all_libraries=True)
        else:
            user = self.update_user(name, role=role, library_ids=known)
        self._changed()
        return user

    def remove_user_as(self, actor: User, name: str) -> User:
        """``remove_user`` for an owner. Refuses to remove the last owner."""
        require_owner(actor, "remove users")
        user = self.remove_user(name)
        self._changed()
        return user

    def list_tokens_for(self, actor: User) -> list[ApiToken]:
        """Every user's tokens, revoked ones included, for an owner."""
        require_owner(actor, "list the API tokens")
        return self.list_tokens()

    def create_token_as(self, actor: User, user_name: str, token_name: str) -> IssuedToken:
        """A token for ``user_name`` (who must exist), for an owner; its secret is in the
        result and nowhere else."""
        require_owner(actor, "create API tokens")
        if not user_name.strip():
            raise InvalidInput("choose the user the token is for")
        if len(token_name.strip()) > MAX_NAME:
            raise InvalidInput(f"a token name has at most {MAX_NAME} characters")
        return self.create_token(user_name, token_name)

    def revoke_token_as(self, actor: User, token_id: int) -> ApiToken:
        """``revoke_token`` for an owner; the API refuses the token from now on."""
        require_owner(actor, "revoke API tokens")
        token = self.revoke_token(token_id)
        self._changed()
        return token

    def _known(self, library_ids: Iterable[int] | None) -> frozenset[int] | None:
        if library_ids is None:
            return None
        wanted = frozenset(library_ids)
        if self._libraries is not None:
            unknown = wanted - {lib.id for lib in self._libraries.list()}
            if unknown:
                raise InvalidInput(f"no library with id {min(unknown)}")
        return wanted

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()
