"""API token secrets: generation and the one-way hash that is all we store."""

from __future__ import annotations

import hashlib
import secrets

# 32 random bytes, URL-safe base64: 43 characters, 256 bits of entropy.
TOKEN_BYTES = 32


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_secret(secret: str) -> str:
    """SHA-256 hex digest of the token as presented (after trimming)."""
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def parse_bearer(authorization: str | None) -> str | None:
    """The token from an ``Authorization`` header, or None.

    The scheme must be exactly ``Bearer`` followed by a space (contract §2): ``bearer x`` or
    ``Basic x`` are refused. Surrounding whitespace of the token is trimmed.
    """
    if authorization is None or not authorization.startswith("Bearer "):
        return None
    token = authorization[len("Bearer ") :].strip()
    return token or None
