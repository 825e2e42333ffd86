"""The domain error hierarchy.

Every error carries a stable machine ``code`` (the wire ``error`` string) and a human message.
The HTTP adapter maps error classes to statuses in one table (``adapters/http/errors.py``).

``StaleProgress``, the error of the progress conflict rule, lives beside that rule in
``domain/progress.py``: it carries the stored ``ReadingProgress``, and this module imports
nothing from the domain, so every other domain module can import it without a cycle.
"""

from __future__ import annotations

__all__ = [
    "AlreadyExists",
    "ApiDisabled",
    "ArchiveMissing",
    "ArchiveUnreadable",
    "ComicNotFound",
    "CoverFailed",
    "CoverUnavailable",
    "DomainError",
    "Forbidden",
    "ImageUnreadable",
    "InvalidInput",
    "InvalidMode",
    "InvalidPath",
    "LibraryNotFound",
    "NotFound",
    "ScanStopped",
    "StorageUnavailable",
    "TokenNotFound",
    "TooManyAttempts",
    "Unauthorized",
    "UserNotFound",
]


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    code: str = "error"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class NotFound(DomainError):
    """The requested item does not exist or is not visible to this user."""

    code = "not_found"


class ComicNotFound(NotFound):
    """No such comic, or the user may not see it."""


class UserNotFound(NotFound):
    """No user of that name or id."""


class LibraryNotFound(NotFound):
    """No library at that path or with that id."""


class TokenNotFound(NotFound):
    """No token with that id."""


class AlreadyExists(DomainError):
    """Something with that name or path already exists."""

    code = "already_exists"


class InvalidInput(DomainError):
    """A request value is malformed or out of range."""

    code = "invalid_input"


class InvalidMode(InvalidInput):
    """The browse mode is neither ``metadata`` nor ``filesystem``."""

    code = "invalid_mode"


class InvalidPath(InvalidInput):
    """A path is malformed, climbs out with ``..``, or lies outside every enabled library."""

    code = "invalid_path"


class Forbidden(DomainError):
    """The caller is known but may not do this (an owner-only request from a reader)."""

    code = "forbidden"


class ApiDisabled(DomainError):
    """No API token exists yet, so the API is switched off."""

    code = "api_disabled"


class Unauthorized(DomainError):
    """The request carries no valid, unrevoked API token."""

    code = "unauthorized"


class TooManyAttempts(DomainError):
    """Too many failed sign-ins from this address or for this user name lately; the caller
    may try again after ``retry_after`` seconds."""

    code = "too_many_attempts"

    def __init__(self, message: str = "", *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class ArchiveUnreadable(DomainError):
    """A comic archive is corrupt, truncated, hostile or in an unsupported format."""

    code = "archive_unreadable"


class StorageUnavailable(DomainError):
    """The database is locked or unreachable; the request may be retried."""

    code = "storage_unavailable"


class ScanStopped(StorageUnavailable):
    """The scan was stopped while it waited for another process's scan of the library."""

    code = "scan_stopped"


class CoverUnavailable(NotFound):
    """The comic holds no image to make a cover from."""

    code = "cover_unavailable"


class ArchiveMissing(ArchiveUnreadable):
    """The archive file is not on disk: moved or deleted since it was indexed, or on a share
    that is not mounted right now."""


class ImageUnreadable(ArchiveUnreadable):
    """A page image is corrupt, in a format that cannot be decoded, or too large to decode."""

    code = "image_unreadable"


class CoverFailed(ArchiveUnreadable):
    """The cover could not be made: the archive or its cover image is unreadable."""

    code = "cover_failed"
