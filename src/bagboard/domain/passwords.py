"""Password rules: what a password may be, and the checks every sign-in path shares."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from bagboard.domain.errors import InvalidInput

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "check_password",
    "kosync_key",
    "parse_basic_login",
    "password_session_mac",
]

MIN_PASSWORD_LENGTH = 8
# Hashing cost grows with length; far beyond any passphrase, short of a denial of service.
MAX_PASSWORD_LENGTH = 1024


def check_password(password: str) -> str:
    """The password as given (never trimmed: spaces are part of it), or ``InvalidInput`` when
    it is shorter than ``MIN_PASSWORD_LENGTH`` or longer than ``MAX_PASSWORD_LENGTH``
    characters, or holds a line break or a NUL (no terminal or form sends one on purpose)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must be at most {MAX_PASSWORD_LENGTH} characters long")
    if any(ch in password for ch in "\r\n\0"):
        raise InvalidInput("the password must not contain a line break or a NUL character")
    return password


def kosync_key(password: str) -> str:
    """What KOReader sends for a password, as its user key: MD5 of the password's UTF-8,
    32 lowercase hex digits. It is the credential on the wire, so it is stored only as a
    password hash, never as it is."""
    return hashlib.md5(password.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def parse_basic_login(authorization: str | None) -> tuple[str, str] | None:
    """(user name, password) from ``Authorization: Basic base64(name:password)``, exactly as
    sent (a password may begin or end with spaces); None when the header is not Basic, does
    not decode, or names no user."""
    if authorization is None or authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, password = decoded.partition(":")
    if not colon or not name.strip() or not password:
        return None
    return name, password


def password_session_mac(password_hash: str, user_id: int, key: bytes = b"") -> str:
    """The proof a session value carries when it stands for a password sign-in: keyed by the
    server's secret ``key`` and the stored hash, so it dies when the password changes."""
    message = f"password-session:{user_id}".encode()
    return hmac.new(key + password_hash.encode("utf-8"), message, hashlib.sha256).hexdigest()
