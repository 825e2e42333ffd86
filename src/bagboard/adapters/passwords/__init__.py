"""Password hashing with argon2id (argon2-cffi)."""

from bagboard.adapters.passwords.argon2 import Argon2Hasher

__all__ = ["Argon2Hasher"]
