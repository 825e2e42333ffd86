"""RAR members (.cbr, .rar) through rarfile.

Stored members are read by rarfile itself; compressed ones are piped through RARLAB's
``unrar`` (``unrar p``, to stdout), so nothing is extracted to disk. Other rarfile backends
are not used: ``unar`` and ``bsdtar`` fail on RAR5 or solid archives through rarfile, which
would turn a clear "tool missing" into random corrupt-page errors.
"""

from __future__ import annotations

from collections.abc import Callable

import rarfile

from bagboard.adapters.archive.source import MemberSource, check_declared_size, read_capped
from bagboard.domain.errors import ArchiveUnreadable

__all__ = ["NEEDS_UNRAR", "RarSource", "find_unrar"]

NEEDS_UNRAR = "this RAR archive is compressed and the unrar tool is not installed"


def find_unrar() -> bool:
    """True when rarfile can run a working unrar. Spawns ``unrar`` once to check."""
    try:
        rarfile.tool_setup(
            unrar=True, unar=False, bsdtar=False, sevenzip=False, sevenzip2=False, force=True
        )
    except rarfile.RarCannotExec:
        return False
    return True


class RarSource(MemberSource):
    def __init__(self, path: str, has_unrar: Callable[[], bool]) -> None:
        try:
            # Strict parsing turns a truncated or damaged header into an error instead of a
            # silently shortened member list.
            self._rar = rarfile.RarFile(path, errors="strict")
        except rarfile.PasswordRequired as exc:
            raise ArchiveUnreadable("the archive is password-protected") from exc
        self._has_unrar = has_unrar

    def names(self) -> list[str]:
        return [info.filename for info in self._rar.infolist() if info.is_file()]

    def check_readable(self, name: str) -> None:
        info = self._rar.getinfo(name)
        if info.needs_password():
            raise ArchiveUnreadable("the archive is password-protected")
        if info.compress_type != rarfile.RAR_M0 and not self._has_unrar():
            raise ArchiveUnreadable(NEEDS_UNRAR)

    def read(self, name: str, limit: int) -> bytes:
        self.check_readable(name)
        info = self._rar.getinfo(name)
        check_declared_size(info.file_size, limit)
        with self._rar.open(info) as stream:
            return read_capped(stream, limit)

    def close(self) -> None:
        self._rar.close()
