"""The one rule of the administration pages: only an owner may run the server."""

from __future__ import annotations

from bagboard.domain.errors import Forbidden
from bagboard.domain.model import Role, User

__all__ = ["require_owner"]


def require_owner(user: User, doing: str) -> None:
    """Raise ``Forbidden`` unless ``user`` is an owner; ``doing`` ends the message."""
    if user.role is not Role.OWNER:
        raise Forbidden(f"only an owner may {doing}")
