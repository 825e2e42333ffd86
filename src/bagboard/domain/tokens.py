"""API token secrets: generation and the one-way hash that is all we store."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

__all__ = [
    "TOKEN_BYTES",
    "basic_user_name",
    "hash_secret",
    "new_secret",
    "parse_basic",
    "parse_bearer",
    "parse_credentials",
    "session_mac",
]

# 32 random bytes, URL-safe base64: 43 characters, 256 bits of entropy.
TOKEN_BYTES = 32


def new_secret() -> str:
    """A random URL-safe token that never starts with ``-``: pasted after an option on a
    command line (``--token -Ab3...``), such a token would be taken for another option."""
    while True:
        secret = secrets.token_urlsafe(TOKEN_BYTES)
        if not secret.startswith("-"):
            return secret


def hash_secret(secret: str) -> str:
    """SHA-256 hex digest of the token as presented (after trimming)."""
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def parse_bearer(authorization: str | None) -> str | None:
    """The token from an ``Authorization`` header, or None.

    The scheme is ``Bearer`` in any case (RFC 9110 §11.1: ``bearer x`` and ``BEARER x`` too;
    contract §2) followed by a space; ``Basic x`` is not a bearer token. Surrounding
    whitespace of the token is trimmed.
    """
    if authorization is None or authorization[:7].lower() != "bearer ":
        return None
    token = authorization[7:].strip()
    return token or None


def parse_basic(authorization: str | None) -> str | None:
    """The token from ``Authorization: Basic base64(<any name>:<token>)``, or None.

    Most OPDS readers (Panels, KOReader, Moon+) only have user and password fields, so the
    password carries the API token and the user name is ignored. The scheme name is
    case-insensitive (RFC 7617); anything that does not decode to ``name:secret`` is None.
    """
    if authorization is None or authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _, colon, password = decoded.partition(":")
    if not colon:
        return None
    return password.strip() or None


def basic_user_name(authorization: str | None) -> str | None:
    """The user name of an ``Authorization: Basic`` header, exactly as sent; None when the
    header is not Basic or does not decode to ``name:secret``."""
    if authorization is None or authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, _ = decoded.partition(":")
    return name if colon else None


def session_mac(token_hash: str, token_id: int, key: bytes = b"") -> str:
    """The proof a session value carries for the token it was issued for.

    Keyed by the server's secret ``key`` and the token's stored hash: only the server can
    compute it (reading the database is not enough), and it dies with the token, so a
    session never outlives a revoked token.
    """
    message = f"session:{token_id}".encode()
    return hmac.new(key + token_hash.encode("ascii"), message, hashlib.sha256).hexdigest()


def parse_credentials(authorization: str | None, api_key: str | None = None) -> str | None:
    """The token a request presents: ``Authorization: Bearer``, else ``Basic`` with the token
    as password, else ``X-API-Key``; None when it presents none."""
    secret = parse_bearer(authorization) or parse_basic(authorization)
    if secret is None and api_key is not None:
        secret = api_key.strip() or None
    return secret
