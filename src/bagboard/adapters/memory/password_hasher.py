"""A fast but real password hash for tests and memory libraries: scrypt with small costs.

Still salted and one-way (never the plain password), so every test exercises the same
``PasswordHasher`` contract as argon2; only the cost is lowered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from bagboard.ports.password_hasher import PasswordHasher

__all__ = ["QuickHasher"]

_PREFIX = "scrypt"


class QuickHasher(PasswordHasher):
    def __init__(self, cost: int = 16) -> None:
        if cost < 2 or cost & (cost - 1):
            raise ValueError("the scrypt cost must be a power of two, at least 2")
        self._cost = cost

    def hash(self, password: str) -> str:
        salt = secrets.token_bytes(16)
        return (
            f"{_PREFIX}${self._cost}${_b64(salt)}${_b64(self._derive(password, salt, self._cost))}"
        )

    def verify(self, password_hash: str, password: str) -> bool:
        parsed = _parse(password_hash)
        if parsed is None:
            return False
        cost, salt, digest = parsed
        return hmac.compare_digest(self._derive(password, salt, cost), digest)

    def needs_rehash(self, password_hash: str) -> bool:
        parsed = _parse(password_hash)
        return parsed is None or parsed[0] != self._cost

    @staticmethod
    def _derive(password: str, salt: bytes, cost: int) -> bytes:
        data = password.encode("utf-8", "surrogatepass")
        return hashlib.scrypt(data, salt=salt, n=cost, r=8, p=1, dklen=32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _parse(password_hash: str) -> tuple[int, bytes, bytes] | None:
    parts = password_hash.split("$")
    if len(parts) != 4 or parts[0] != _PREFIX or not parts[1].isdigit():
        return None
    cost = int(parts[1])
    if cost < 2 or cost & (cost - 1) or cost > 2**20:
        return None
    try:
        return cost, _unb64(parts[2]), _unb64(parts[3])
    except ValueError:
        return None
