"""Core entities: users, API tokens, libraries and server settings."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bagboard.domain.errors import InvalidInput, InvalidMode

__all__ = ["ApiToken", "BrowseMode", "Library", "Role", "ServerSettings", "User"]


class Role(StrEnum):
    OWNER = "owner"
    READER = "reader"

    @classmethod
    def parse(cls, raw: str) -> Role:
        try:
            return cls(raw.strip().lower())
        except ValueError:
            raise InvalidInput(f"role must be 'owner' or 'reader', not {raw!r}") from None


class BrowseMode(StrEnum):
    METADATA = "metadata"
    FILESYSTEM = "filesystem"

    @classmethod
    def parse(cls, raw: str | None, *, default: BrowseMode) -> BrowseMode:
        """Parse a ``?mode=`` value: case-insensitive and trimmed; empty or missing means
        ``default``. Blanks alone are not empty: the published document lists no such value."""
        if not raw:
            return default
        try:
            return cls(raw.strip().lower())
        except ValueError:
            raise InvalidMode("mode must be 'metadata' or 'filesystem'") from None


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: Role
    # None means every library; a set limits the user to those library ids.
    library_ids: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("user name must not be empty")

    def may_see(self, library_id: int) -> bool:
        return self.library_ids is None or library_id in self.library_ids


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A stored token: only the SHA-256 hash of the secret is ever kept."""

    id: int
    user_id: int
    name: str
    token_hash: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class Library:
    id: int
    name: str
    root: str
    enabled: bool = True

    def __post_init__(self) -> None:
        if not posixpath.isabs(self.root):
            raise InvalidInput("a library root must be an absolute path")

    def contains(self, path: str) -> bool:
        """True when ``path`` (absolute, normalised) is the root or lies below it."""
        root = self.root.rstrip("/") or "/"
        return path == root or path.startswith(root + "/") or root == "/"


@dataclass(frozen=True, slots=True)
class ServerSettings:
    browse_mode: BrowseMode = BrowseMode.METADATA
