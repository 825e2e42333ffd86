"""TAR members (.cbt, .tar) through the standard library's tarfile.

Only plain (uncompressed) tar is accepted: that is what CBT means, and a compressed tar must
be inflated whole just to be listed, which a hostile file could abuse.
"""

from __future__ import annotations

import tarfile

from bagboard.adapters.archive.source import MemberSource, check_declared_size, read_capped

__all__ = ["TarSource"]


class TarSource(MemberSource):
    def __init__(self, path: str) -> None:
        self._tar = tarfile.open(path, mode="r:")  # noqa: SIM115 - closed by close()
        try:
            # Links and device entries are left out: only regular files can be pages.
            members = self._tar.getmembers()
        except BaseException:
            self._tar.close()
            raise
        self._members = {member.name: member for member in members if member.isreg()}

    def names(self) -> list[str]:
        return list(self._members)

    def check_readable(self, name: str) -> None:
        if name not in self._members:
            raise KeyError(name)

    def read(self, name: str, limit: int) -> bytes:
        member = self._members[name]
        check_declared_size(member.size, limit)
        stream = self._tar.extractfile(member)
        if stream is None:
            raise KeyError(name)
        with stream:
            return read_capped(stream, limit)

    def close(self) -> None:
        self._tar.close()
